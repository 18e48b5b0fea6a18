#!/usr/bin/env python3
"""Generate Kiln's QR benchmark corpus: enrollment QRs (otpauth and Google Authenticator
exports) with realistic damage, plus `manifest.json` listing each file's exact payload.
A few images without any code (`payload: null`) measure false positives and empty-frame time.

Deterministic: every image draws from its own numpy Generator seeded from (damage, index), so
the same versions of the pinned packages (requirements.txt) give byte-identical PNGs.

    python3 bench/qr/gen_corpus.py [--out bench/out/qr/corpus] [--per-damage 18] [--negatives 12]
"""

import argparse
import json
import os
import sys
import zlib

import numpy as np
from PIL import Image

sys.dont_write_bytecode = True  # keep bench/qr free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import camera  # noqa: E402
import imaging as im  # noqa: E402
import payloads as pl  # noqa: E402

MASTER_SEED = 20261130
KIND_ORDER = ["m365", "github", "google", "long_sha256", "google_export"]


def pick(rng, items):
    return items[int(rng.integers(len(items)))]


def ec_for(rng, kind, allowed=("L", "M", "Q", "H")):
    if kind == "google_export":
        allowed = [e for e in allowed if e in ("L", "M")] or ["M"]
    return pick(rng, list(allowed))


def modules_of(matrix):
    return matrix.shape[0]


# ---------------------------------------------------------------- damage types
# Each returns (PIL image, params dict, file extension). `ctx` holds rng, payload, kind.

def d_clean(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [2, 3, 4, 6, 8])
    quiet = pick(rng, [2, 4, 4])
    return im.render(matrix, m, quiet).convert("L"), {"module_px": m, "quiet": quiet}, "png"


def d_downscale(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    n = modules_of(matrix)
    low = 1.25 if n <= 57 else 1.6
    eff = round(float(rng.uniform(low, 2.5)), 2)
    flt_name = pick(rng, ["bilinear", "bicubic", "box", "nearest"])
    flt = {"bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC, "box": Image.BOX,
           "nearest": Image.NEAREST}[flt_name]
    big = im.render(matrix, 8, 4).convert("L")
    size = max(1, round(big.size[0] * eff / 8))
    return big.resize((size, size), flt), {"module_px": eff, "filter": flt_name}, "png"


def d_rotation(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [3, 4, 5, 6])
    angle = round(float(rng.uniform(4, 86) + 90 * int(rng.integers(0, 4))), 1)
    img = im.render(matrix, m, 4).convert("L")
    img = img.rotate(angle, Image.BICUBIC, expand=True, fillcolor=255)
    return img, {"module_px": m, "angle_deg": angle}, "png"


def d_perspective(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [4, 5, 6, 7])
    tile = im.render(matrix, m, 4)
    side = tile.size[0]
    canvas_side = int(side * 1.45)
    shade = int(rng.integers(200, 256))
    canvas = Image.new("RGB", (canvas_side, canvas_side), (shade, shade, shade))
    jitter = round(float(rng.uniform(0.06, 0.16)), 3)
    angle = round(float(rng.uniform(-15, 15)), 1)
    quad = im.jittered_quad(rng, canvas_side / 2, canvas_side / 2, side / 2, side / 2, angle, jitter)
    im.paste_warped(canvas, tile, quad)
    return canvas.convert("L"), {"module_px": m, "jitter": jitter, "angle_deg": angle}, "png"


def d_blur(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [3, 4, 6, 8])
    rel = round(float(rng.uniform(0.3, 0.7)), 2)
    img = im.gaussian_blur(im.render(matrix, m, 4).convert("L"), rel * m)
    return img, {"module_px": m, "sigma_modules": rel}, "png"


def d_noise(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [3, 4, 5, 6])
    sigma = round(float(rng.uniform(25, 70)), 1)
    sp = round(float(pick(rng, [0.0, 0.0, 0.02, 0.05])), 3)
    img = im.add_noise(im.render(matrix, m, 4).convert("L"), rng, sigma, sp)
    return img, {"module_px": m, "sigma": sigma, "salt_pepper": sp}, "png"


def d_low_contrast(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [3, 4, 5, 6])
    dark = int(rng.integers(90, 141))
    light = dark + int(rng.integers(22, 56))
    img = im.render(matrix, m, 4, dark=(dark,) * 3, light=(light,) * 3)
    uneven = bool(rng.random() < 0.5)
    if uneven:
        img = im.illumination(img, rng, 0.75)
    return img.convert("L"), {"module_px": m, "dark": dark, "light": light,
                              "uneven_light": uneven}, "png"


def d_inverted(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [3, 4, 5, 6])
    palette = pick(rng, [((230, 230, 230), (18, 18, 18)), ((255, 255, 255), (0, 0, 0)),
                         ((138, 180, 248), (32, 33, 36)), ((200, 200, 200), (45, 45, 48))])
    # Dark mode: light modules on a dark background, dark quiet zone.
    img = im.render(matrix, m, 4, dark=palette[0], light=palette[1])
    return img, {"module_px": m, "module_colour": palette[0], "background": palette[1]}, "png"


def d_jpeg(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [2, 3, 4])
    q = int(rng.integers(5, 26))
    img = im.render(matrix, m, 4).convert("L")
    return img, {"module_px": m, "quality": q, "_jpeg_quality": q}, "jpg"


def d_logo(ctx):
    rng = ctx["rng"]
    matrix, ec = ctx["qr"]("QH")
    m = pick(rng, [4, 5, 6])
    colour = pick(rng, [(0, 0, 0), (20, 40, 120), (90, 20, 110), (0, 90, 60)])
    img = im.render(matrix, m, 4, dark=colour)
    # Cover at most ~half of what the EC level can restore (area of the code itself).
    fraction = round(float(rng.uniform(0.05, 0.1) if ec == "H" else rng.uniform(0.03, 0.06)), 3)
    inner = img.crop((4 * m, 4 * m, img.size[0] - 4 * m, img.size[1] - 4 * m))
    im.draw_logo(inner, rng, fraction)
    img.paste(inner, (4 * m, 4 * m))
    return img, {"module_px": m, "logo_area": fraction, "colour": colour}, "png"


def d_screenshot_1080(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    n = modules_of(matrix)
    m = pick(rng, [m for m in (3, 4, 5, 6) if (n + 8) * m <= 900] or [2])
    img = im.busy_screenshot(rng, 1920, 1080)
    quiet = pick(rng, [2, 3, 4])
    tile = im.render(matrix, m, quiet)
    x = int(rng.integers(int(1920 * 0.22), 1920 - tile.size[0] - 10))
    y = int(rng.integers(90, max(91, 1080 - tile.size[1] - 10)))
    img.paste(tile, (x, y))
    return img, {"module_px": m, "quiet": quiet, "at": [x, y]}, "png"


def d_frame_720(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    n = modules_of(matrix)
    eff = float(rng.uniform(2.6, 5.0))
    eff = min(eff, 560 / (n + 8))
    tile = im.render(matrix, 8, 4)
    half = tile.size[0] * eff / 8 / 2
    canvas = im.desk_background(rng, 1280, 720)
    cx = float(rng.uniform(half + 20, 1280 - half - 20))
    cy = float(rng.uniform(min(half + 10, 360), max(720 - half - 10, 360)))
    angle = round(float(rng.uniform(-30, 30)), 1)
    jitter = round(float(rng.uniform(0.02, 0.1)), 3)
    # the phone/paper the code is shown on, slightly larger than the code
    border = Image.new("RGB", (int(tile.size[0] * 1.15), int(tile.size[1] * 1.3)), (250, 250, 250))
    border.paste(tile, ((border.size[0] - tile.size[0]) // 2, (border.size[1] - tile.size[1]) // 2))
    quad = im.jittered_quad(rng, cx, cy, half * 1.15, half * 1.3, angle, jitter)
    im.paste_warped(canvas, border, quad)
    blur = round(float(rng.uniform(0.4, 1.3)), 2)
    sigma = round(float(rng.uniform(3, 12)), 1)
    low = round(float(rng.uniform(0.45, 0.9)), 2)
    canvas = im.illumination(canvas, rng, low)
    canvas = im.add_noise(im.gaussian_blur(canvas, blur), rng, sigma)
    q = int(rng.integers(70, 91))
    return canvas, {"module_px": round(eff, 2), "angle_deg": angle, "jitter": jitter,
                    "blur": blur, "noise": sigma, "light_low": low, "quality": q,
                    "_jpeg_quality": q}, "jpg"


def d_moire(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    n = modules_of(matrix)
    screen_m = max(3, min(8, 340 // (n + 8)))
    tile = im.render(matrix, screen_m, 4)
    screen = Image.new("RGB", (600, 400), (255, 255, 255))
    screen.paste(tile, ((600 - tile.size[0]) // 2, (400 - tile.size[1]) // 2))
    lcd = im.lcd_subpixels(screen)
    # exposure: the subpixel grid is ~1/3 as bright as the screen pixel
    lcd = Image.eval(lcd, lambda v: min(255, int(v * 2.4)))
    scale = float(rng.uniform(0.5, 0.75))
    half_w, half_h = lcd.size[0] * scale / 2, lcd.size[1] * scale / 2
    canvas = Image.new("RGB", (1280, 720), tuple(int(c) for c in rng.integers(10, 60, 3)))
    angle = round(float(rng.uniform(-8, 8)), 1)
    jitter = round(float(rng.uniform(0.01, 0.05)), 3)
    quad = im.jittered_quad(rng, 640 + float(rng.uniform(-60, 60)), 360, half_w, half_h, angle,
                            jitter)
    im.paste_warped(canvas, lcd, quad, resample=Image.BILINEAR)
    blur = round(float(rng.uniform(0.3, 0.9)), 2)
    sigma = round(float(rng.uniform(3, 9)), 1)
    canvas = im.add_noise(im.gaussian_blur(canvas, blur), rng, sigma)
    q = int(rng.integers(75, 91))
    return canvas, {"module_px": round(screen_m * 3 * scale, 2), "screen_module_px": screen_m,
                    "scale": round(scale, 3), "angle_deg": angle, "blur": blur, "noise": sigma,
                    "quality": q, "_jpeg_quality": q}, "jpg"


def d_photo(ctx):
    rng = ctx["rng"]
    matrix, _ = ctx["qr"]("LMQH")
    m = pick(rng, [4, 5, 6])
    tile = im.render(matrix, m, 4)
    side = tile.size[0]
    canvas_side = int(side * 1.5)
    canvas = im.smooth_texture(rng, canvas_side, canvas_side, 3, colourful=False)
    canvas = Image.eval(canvas, lambda v: 150 + v // 3)
    angle = round(float(rng.uniform(-40, 40)), 1)
    jitter = round(float(rng.uniform(0.04, 0.1)), 3)
    quad = im.jittered_quad(rng, canvas_side / 2, canvas_side / 2, side / 2, side / 2, angle, jitter)
    im.paste_warped(canvas, tile, quad)
    blur = round(float(rng.uniform(0.6, 1.6)), 2)
    sigma = round(float(rng.uniform(6, 20)), 1)
    canvas = im.add_noise(im.gaussian_blur(canvas, blur), rng, sigma)
    return canvas, {"module_px": m, "angle_deg": angle, "jitter": jitter, "blur": blur,
                    "noise": sigma, "_jpeg_quality": 88}, "jpg"


def d_no_qr(ctx):
    """No code at all: camera frames and screenshots (1280×720) for false positives and the time
    a scanning loop spends on an empty frame."""
    rng = ctx["rng"]
    if rng.random() < 0.5:
        img = im.desk_background(rng, 1280, 720)
        img = im.add_noise(im.gaussian_blur(im.illumination(img, rng, 0.6), 0.8), rng, 6)
        return img, {"scene": "desk"}, "jpg_q85"
    return im.busy_screenshot(rng, 1280, 720), {"scene": "screenshot"}, "png"


DAMAGES = {
    "clean": d_clean, "downscale": d_downscale, "rotation": d_rotation,
    "perspective": d_perspective, "blur": d_blur, "noise": d_noise,
    "low_contrast": d_low_contrast, "inverted": d_inverted, "jpeg": d_jpeg, "logo": d_logo,
    "screenshot_1080": d_screenshot_1080, "frame_720": d_frame_720, "moire": d_moire,
    "photo": d_photo,
    **camera.DAMAGES,
}
NEGATIVES = {"no_qr": d_no_qr}


def generate(out_dir, per_damage, negatives):
    os.makedirs(out_dir, exist_ok=True)
    entries = []
    jobs = [(d, fn, per_damage) for d, fn in DAMAGES.items()]
    jobs += [(d, fn, negatives) for d, fn in NEGATIVES.items()]
    for damage, fn, count in jobs:
        for i in range(count):
            seed = MASTER_SEED ^ zlib.crc32(damage.encode()) ^ (i * 7919)
            rng = np.random.default_rng(seed)
            negative = damage in NEGATIVES
            kind = None if negative else KIND_ORDER[i % len(KIND_ORDER)]
            payload = None if negative else pl.KINDS[kind](rng)
            chosen = {}

            def make_qr(allowed, rng=rng, kind=kind, payload=payload, chosen=chosen):
                ec = ec_for(rng, kind, tuple(allowed))
                matrix, version = im.qr_matrix(payload, ec)
                chosen.update(ec=ec, version=version, modules=int(matrix.shape[0]))
                return matrix, ec

            ctx = {"rng": rng, "kind": kind, "payload": payload, "qr": make_qr}
            img, params, ext = fn(ctx)
            quality = params.pop("_jpeg_quality", None)
            if ext == "jpg_q85":
                ext, quality = "jpg", 85
            name = f"{damage}_{i:03d}.{ext}"
            path = os.path.join(out_dir, name)
            if ext == "jpg":
                img.save(path, "JPEG", quality=quality)
            else:
                img.save(path, "PNG", optimize=False, compress_level=9)
            entries.append({
                "file": name, "payload": payload, "kind": kind, "damage": damage,
                "params": params, "width": img.size[0], "height": img.size[1],
                "bytes": os.path.getsize(path), "seed": seed, **chosen,
            })
    manifest = {
        "generator": "bench/qr/gen_corpus.py",
        "master_seed": MASTER_SEED,
        "count": len(entries),
        "damages": list(DAMAGES),
        "negatives": list(NEGATIVES),
        "images": entries,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return manifest


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "out", "qr", "corpus"))
    parser.add_argument("--per-damage", type=int, default=18)
    parser.add_argument("--negatives", type=int, default=12)
    args = parser.parse_args()
    manifest = generate(os.path.normpath(args.out), args.per_damage, args.negatives)
    total = sum(e["bytes"] for e in manifest["images"])
    print(f"{manifest['count']} images, {total / 1e6:.1f} MB -> {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
