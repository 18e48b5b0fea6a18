"""Image helpers for the QR corpus: render a QR matrix, warp it, and damage it like a camera,
a screen or a careless screenshot would. Every function takes its randomness from the caller's
numpy Generator, so the corpus is reproducible."""

import io

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter, ImageFont

EC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}

WORDS = ("account security sign in verify settings two-step authenticator app scan code "
         "enter next cancel help privacy terms password recovery device trusted backup keys "
         "dashboard profile billing team members notifications integrations api tokens").split()


def qr_matrix(payload: str, ec: str):
    """Boolean module matrix (True = dark) without quiet zone, and the QR version."""
    code = qrcode.QRCode(error_correction=EC_LEVELS[ec], border=0, box_size=1)
    code.add_data(payload)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool), code.version


def render(matrix, module_px: int, quiet: int = 4, dark=(0, 0, 0), light=(255, 255, 255)):
    """RGB image of the code, `module_px` pixels per module, `quiet` modules of margin."""
    padded = np.pad(matrix, quiet, constant_values=False)
    big = np.kron(padded, np.ones((module_px, module_px), dtype=bool))
    out = np.empty(big.shape + (3,), dtype=np.uint8)
    out[big] = dark
    out[~big] = light
    return Image.fromarray(out, "RGB")


def perspective_coefficients(output_quad, input_quad):
    """PIL PERSPECTIVE data mapping output pixels back to input pixels."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(output_quad, input_quad):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    return np.linalg.solve(np.array(rows, float), np.array(rhs, float)).tolist()


def paste_warped(canvas: Image.Image, tile: Image.Image, quad, resample=Image.BICUBIC):
    """Draw `tile` onto `canvas` (RGB, in place) so its corners land on `quad` (TL, TR, BR, BL)."""
    w, h = tile.size
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    coeffs = perspective_coefficients(quad, corners)
    rgba = tile.convert("RGBA")
    warped = rgba.transform(canvas.size, Image.PERSPECTIVE, coeffs, resample=resample)
    canvas.paste(warped, (0, 0), warped)


def jittered_quad(rng, cx, cy, half_w, half_h, angle_deg, jitter):
    """Corners of a rotated rectangle centred on (cx, cy), each moved by up to `jitter` of its size."""
    base = np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h], [-half_w, half_h]])
    base = base + rng.uniform(-jitter, jitter, size=(4, 2)) * np.array([half_w, half_h]) * 2
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    pts = base @ rot.T + np.array([cx, cy])
    return [tuple(p) for p in pts]


def add_noise(img: Image.Image, rng, sigma: float, salt_pepper: float = 0.0) -> Image.Image:
    arr = np.asarray(img).astype(np.float32)
    arr = arr + rng.normal(0.0, sigma, size=arr.shape)
    if salt_pepper > 0:
        mask = rng.random(arr.shape[:2])
        arr[mask < salt_pepper / 2] = 0
        arr[mask > 1 - salt_pepper / 2] = 255
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), img.mode)


def illumination(img: Image.Image, rng, low: float) -> Image.Image:
    """Uneven lighting: multiply by a linear ramp from `low` to 1 in a random direction, plus a
    soft vignette."""
    w, h = img.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(a) * xx / w + np.sin(a) * yy / h)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    gain = low + (1 - low) * ramp
    r2 = ((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2
    gain = gain * (1 - 0.35 * r2)
    arr = np.asarray(img).astype(np.float32)
    if arr.ndim == 3:
        gain = gain[..., None]
    return Image.fromarray(np.clip(arr * gain, 0, 255).astype(np.uint8), img.mode)


def jpeg_roundtrip(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert(img.mode)


def smooth_texture(rng, w, h, cells, colourful=True) -> Image.Image:
    """Low-frequency random colour field: stands in for photos, wallpapers and desks."""
    small = rng.integers(0, 256, size=(cells, max(2, cells * w // h), 3), dtype=np.uint8)
    if not colourful:
        small[..., 1] = small[..., 0]
        small[..., 2] = small[..., 0]
    return Image.fromarray(small, "RGB").resize((w, h), Image.BICUBIC)


def _font(size):
    return ImageFont.load_default(size=size)


def busy_screenshot(rng, w: int, h: int) -> Image.Image:
    """A cluttered desktop/web-page screenshot: bars, sidebar, text, photos, icons (some with
    nested squares that look like QR finder patterns), buttons."""
    dark_theme = rng.random() < 0.3
    bg = (32, 33, 36) if dark_theme else (246, 247, 249)
    fg = (220, 220, 220) if dark_theme else (32, 33, 36)
    img = Image.new("RGB", (w, h), bg)
    draw = ImageDraw.Draw(img)
    # title bar, tabs, address bar
    bar = int(h * 0.07)
    draw.rectangle([0, 0, w, bar], fill=(60, 64, 67) if dark_theme else (222, 225, 230))
    for i in range(int(rng.integers(3, 9))):
        x0 = 10 + i * int(w * 0.11)
        draw.rounded_rectangle([x0, 6, x0 + int(w * 0.1), bar - 4], 6,
                               fill=(80, 84, 88) if i == 0 else (200, 204, 210))
        draw.text((x0 + 12, 12), " ".join(rng.choice(WORDS, 2)), fill=fg, font=_font(13))
    # sidebar with menu entries and icons
    side = int(w * rng.uniform(0.12, 0.2))
    draw.rectangle([0, bar, side, h], fill=(41, 42, 45) if dark_theme else (232, 234, 237))
    for i in range(int((h - bar) / 40)):
        y = bar + 16 + i * 40
        draw.ellipse([12, y, 32, y + 20], fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
        draw.text((42, y + 2), " ".join(rng.choice(WORDS, 2)).title(), fill=fg, font=_font(15))
    # content: paragraphs, photos, icons, buttons
    x_min = side + 20
    for _ in range(int(rng.integers(14, 26))):
        x = int(rng.integers(x_min, w - 200))
        y = int(rng.integers(bar + 10, h - 40))
        kind = rng.random()
        if kind < 0.45:
            size = int(rng.integers(12, 22))
            for line in range(int(rng.integers(1, 6))):
                words = " ".join(rng.choice(WORDS, int(rng.integers(4, 12))))
                draw.text((x, y + line * (size + 6)), words, fill=fg, font=_font(size))
        elif kind < 0.65:
            pw, ph = int(rng.integers(120, 420)), int(rng.integers(80, 300))
            img.paste(smooth_texture(rng, pw, ph, int(rng.integers(3, 12))), (x, y))
        elif kind < 0.8:
            s = int(rng.integers(18, 60))
            draw.rectangle([x, y, x + s, y + s], fill=fg)
            draw.rectangle([x + s // 7, y + s // 7, x + s - s // 7, y + s - s // 7], fill=bg)
            draw.rectangle([x + 2 * s // 7, y + 2 * s // 7, x + s - 2 * s // 7, y + s - 2 * s // 7],
                           fill=fg)
        elif kind < 0.9:
            bw = int(rng.integers(80, 180))
            draw.rounded_rectangle([x, y, x + bw, y + 36], 8, fill=(26, 115, 232))
            draw.text((x + 14, y + 9), str(rng.choice(WORDS)).upper(), fill=(255, 255, 255),
                      font=_font(15))
        else:
            for i in range(int(rng.integers(5, 20))):
                draw.line([x, y + 6 * i, x + int(rng.integers(100, 400)), y + 6 * i], fill=fg)
    return img


def desk_background(rng, w: int, h: int) -> Image.Image:
    """A camera's view around a phone/monitor: smooth texture, a few hard-edged objects."""
    img = smooth_texture(rng, w, h, int(rng.integers(2, 6)))
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(3, 10))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        s = int(rng.integers(30, 300))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.rectangle([x, y, x + s, y + int(s * rng.uniform(0.3, 1.5))], fill=colour)
        else:
            draw.ellipse([x, y, x + s, y + s], fill=colour)
    for _ in range(int(rng.integers(2, 6))):
        words = " ".join(rng.choice(WORDS, int(rng.integers(2, 6))))
        draw.text((int(rng.integers(0, w - 100)), int(rng.integers(0, h - 30))), words,
                  fill=tuple(int(c) for c in rng.integers(0, 255, 3)),
                  font=_font(int(rng.integers(14, 40))))
    return img


def lcd_subpixels(img: Image.Image, gap: float = 0.55) -> Image.Image:
    """Each screen pixel becomes 3×3 camera pixels: R, G, B vertical stripes and a darker row
    between pixel rows, like a macro photo of an LCD. Resampling this later gives moiré."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w, _ = arr.shape
    out = np.zeros((h * 3, w * 3, 3), np.float32)
    for c in range(3):
        out[:, c::3, c] = np.repeat(arr[:, :, c], 3, axis=0)
    out[2::3, :, :] *= gap
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def draw_logo(img: Image.Image, rng, fraction: float) -> None:
    """A brand badge in the middle covering `fraction` of the code's area (in place)."""
    w, h = img.size
    side = int(np.sqrt(fraction * w * h))
    x0, y0 = (w - side) // 2, (h - side) // 2
    draw = ImageDraw.Draw(img)
    colour = tuple(int(c) for c in rng.integers(0, 200, 3))
    draw.rounded_rectangle([x0, y0, x0 + side, y0 + side], max(2, side // 6), fill=(255, 255, 255))
    inset = max(2, side // 10)
    draw.rounded_rectangle([x0 + inset, y0 + inset, x0 + side - inset, y0 + side - inset],
                           max(2, side // 8), fill=colour)
    draw.text((x0 + side // 3, y0 + side // 4), str(rng.choice(list("KMGSAZ"))),
              fill=(255, 255, 255), font=_font(max(8, side // 2)))


def gaussian_blur(img: Image.Image, radius: float) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius))
