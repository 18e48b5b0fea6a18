"""Camera-like damage for the QR corpus (issue #19): what a phone or laptop camera adds on top of
the code itself. Every class is a 1280×720 camera frame (JPEG, like a webcam) with the code on a
card or screen in a cluttered scene, then one dominant kind of damage:

* `glare`             — bright reflections (lamp on a glossy screen/card), one over the code;
* `motion_blur`       — the hand or camera moving during the exposure (linear blur at an angle);
* `small_in_frame`    — the code far away: 1.6–2.6 pixels per module in a large frame;
* `perspective_noise` — strong perspective (card held at an angle) plus dim-light sensor noise;
* `uneven_light`      — a steep light gradient plus a hard shadow (hand, phone) across the code.

(Moiré from photographing a screen is the existing `moire` class in gen_corpus.py.)
Every function takes its randomness from the caller's numpy Generator (reproducible corpus).
"""

import numpy as np
from PIL import Image

import imaging as im

FRAME_W, FRAME_H = 1280, 720


def _pick(rng, items):
    return items[int(rng.integers(len(items)))]


def _scene(rng, matrix, module_px, jitter_range=(0.02, 0.08), angle_range=(-25, 25)):
    """The code on a white card somewhere in a desk scene. Returns the RGB frame, the code's
    centre and half side in frame pixels, and the placement parameters."""
    n = matrix.shape[0]
    tile = im.render(matrix, 8, 4)
    half = tile.size[0] * module_px / 8 / 2
    canvas = im.desk_background(rng, FRAME_W, FRAME_H)
    cx = float(rng.uniform(half * 1.3 + 20, FRAME_W - half * 1.3 - 20))
    cy = float(rng.uniform(min(half * 1.3 + 10, FRAME_H / 2), max(FRAME_H - half * 1.3 - 10, FRAME_H / 2)))
    angle = round(float(rng.uniform(*angle_range)), 1)
    jitter = round(float(rng.uniform(*jitter_range)), 3)
    card = Image.new("RGB", (int(tile.size[0] * 1.15), int(tile.size[1] * 1.15)), (245, 245, 245))
    card.paste(tile, ((card.size[0] - tile.size[0]) // 2, (card.size[1] - tile.size[1]) // 2))
    quad = im.jittered_quad(rng, cx, cy, half * 1.15, half * 1.15, angle, jitter)
    im.paste_warped(canvas, card, quad)
    params = {"module_px": round(module_px, 2), "modules": int(n), "angle_deg": angle,
              "jitter": jitter}
    return canvas, (cx, cy, half), params


def _module_px(rng, matrix, low, high, max_side=560):
    """Pixels per module in [low, high], but the code (with quiet zone) at most `max_side` wide."""
    return min(float(rng.uniform(low, high)), max_side / (matrix.shape[0] + 8))


def _finish(canvas, rng, blur, sigma, quality_range=(72, 90)):
    """Lens blur, sensor noise and the camera's JPEG: the part every camera frame shares."""
    canvas = im.add_noise(im.gaussian_blur(canvas, blur), rng, sigma)
    return canvas, int(rng.integers(*quality_range))


def glare(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = _module_px(rng, matrix, 3.0, 5.5)
    canvas, (cx, cy, half), params = _scene(rng, matrix, m)
    arr = np.asarray(canvas).astype(np.float32)
    yy, xx = np.mgrid[0:FRAME_H, 0:FRAME_W].astype(np.float32)
    spots = []
    for i in range(int(rng.integers(1, 4))):
        if i == 0:  # the first reflection always lies on the code, off its centre
            sx = cx + float(rng.uniform(-0.6, 0.6)) * half
            sy = cy + float(rng.uniform(-0.6, 0.6)) * half
            radius = float(rng.uniform(0.08, 0.2)) * half * 2
        else:
            sx, sy = float(rng.uniform(0, FRAME_W)), float(rng.uniform(0, FRAME_H))
            radius = float(rng.uniform(20, 120))
        strength = float(rng.uniform(160, 320))
        stretch = float(rng.uniform(1.0, 2.5))  # reflections are often elongated
        r2 = ((xx - sx) / (radius * stretch)) ** 2 + ((yy - sy) / radius) ** 2
        arr = arr + (strength * np.exp(-r2))[..., None]
        spots.append([round(sx), round(sy), round(radius), round(strength)])
    canvas = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    blur = round(float(rng.uniform(0.4, 1.0)), 2)
    sigma = round(float(rng.uniform(3, 8)), 1)
    canvas, q = _finish(canvas, rng, blur, sigma)
    return canvas, {**params, "spots": spots, "blur": blur, "noise": sigma, "quality": q,
                    "_jpeg_quality": q}, "jpg"


def motion_blur_kernel(img: Image.Image, length: float, angle_deg: float) -> Image.Image:
    """Averages `length` pixels along a line at `angle_deg` (a linear motion-blur PSF)."""
    arr = np.asarray(img).astype(np.float32)
    steps = max(2, int(round(length)))
    a = np.deg2rad(angle_deg)
    out = np.zeros_like(arr)
    for k in range(steps):
        t = k - (steps - 1) / 2
        dx, dy = int(round(t * np.cos(a))), int(round(t * np.sin(a)))
        out += np.roll(np.roll(arr, dy, axis=0), dx, axis=1)
    return Image.fromarray(np.clip(out / steps, 0, 255).astype(np.uint8), img.mode)


def motion_blur(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = _module_px(rng, matrix, 3.5, 6.0)
    canvas, _, params = _scene(rng, matrix, m)
    # 0.4–1.1 modules of travel during the exposure.
    length = round(float(rng.uniform(0.4, 1.1)) * m, 1)
    direction = round(float(rng.uniform(0, 180)), 1)
    canvas = motion_blur_kernel(canvas, length, direction)
    sigma = round(float(rng.uniform(3, 8)), 1)
    canvas, q = _finish(canvas, rng, 0.5, sigma)
    return canvas, {**params, "motion_px": length, "motion_deg": direction, "noise": sigma,
                    "quality": q, "_jpeg_quality": q}, "jpg"


def small_in_frame(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    n = matrix.shape[0]
    # Far away: small versions get fewer pixels per module than big ones can survive.
    low, high = (1.6, 2.4) if n <= 41 else (2.0, 2.6)
    m = float(rng.uniform(low, high))
    canvas, _, params = _scene(rng, matrix, m, angle_range=(-15, 15))
    blur = round(float(rng.uniform(0.3, 0.6)), 2)
    sigma = round(float(rng.uniform(2, 6)), 1)
    canvas = im.illumination(canvas, rng, round(float(rng.uniform(0.6, 0.9)), 2))
    canvas, q = _finish(canvas, rng, blur, sigma, (80, 93))
    return canvas, {**params, "blur": blur, "noise": sigma, "quality": q,
                    "_jpeg_quality": q}, "jpg"


def perspective_noise(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = _module_px(rng, matrix, 3.5, 6.0)
    canvas, _, params = _scene(rng, matrix, m, jitter_range=(0.1, 0.2), angle_range=(-35, 35))
    blur = round(float(rng.uniform(0.4, 0.9)), 2)
    sigma = round(float(rng.uniform(10, 24)), 1)
    low = round(float(rng.uniform(0.35, 0.6)), 2)  # dim light is why the sensor is noisy
    canvas = im.illumination(canvas, rng, low)
    canvas, q = _finish(canvas, rng, blur, sigma)
    return canvas, {**params, "blur": blur, "noise": sigma, "light_low": low, "quality": q,
                    "_jpeg_quality": q}, "jpg"


def uneven_light(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = _module_px(rng, matrix, 3.0, 5.5)
    canvas, (cx, cy, half), params = _scene(rng, matrix, m)
    low = round(float(rng.uniform(0.15, 0.4)), 2)
    canvas = im.illumination(canvas, rng, low)
    # A hard shadow edge through the code (a hand or the phone itself), softened a little.
    arr = np.asarray(canvas).astype(np.float32)
    yy, xx = np.mgrid[0:FRAME_H, 0:FRAME_W].astype(np.float32)
    a = float(rng.uniform(0, 2 * np.pi))
    offset = float(rng.uniform(-0.5, 0.5)) * half
    side = (xx - cx) * np.cos(a) + (yy - cy) * np.sin(a) - offset
    depth = round(float(rng.uniform(0.35, 0.6)), 2)
    softness = float(rng.uniform(2, 12))
    gain = 1 - (1 - depth) / (1 + np.exp(-side / softness))
    canvas = Image.fromarray(np.clip(arr * gain[..., None], 0, 255).astype(np.uint8), "RGB")
    blur = round(float(rng.uniform(0.4, 1.0)), 2)
    sigma = round(float(rng.uniform(3, 8)), 1)
    canvas, q = _finish(canvas, rng, blur, sigma)
    return canvas, {**params, "light_low": low, "shadow_depth": depth,
                    "shadow_deg": round(float(np.rad2deg(a)), 1), "blur": blur, "noise": sigma,
                    "quality": q, "_jpeg_quality": q}, "jpg"


DAMAGES = {
    "glare": glare,
    "motion_blur": motion_blur,
    "small_in_frame": small_in_frame,
    "perspective_noise": perspective_noise,
    "uneven_light": uneven_light,
}
