#!/usr/bin/env python3
"""Regenerate the small committed QR fixtures in tests/fixtures/qr/ (used by kiln-qr, the CLI and
the web app's tests). Their exact payloads are listed in tests/fixtures/qr/README.md; this script
prints them so the README can be checked.

    python3 bench/qr/gen_fixtures.py [--out tests/fixtures/qr]
"""

import argparse
import os
import sys

import numpy as np
from PIL import Image

sys.dont_write_bytecode = True  # keep bench/qr free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imaging as im  # noqa: E402
import payloads as pl  # noqa: E402

M365 = ("otpauth://totp/Some+Company%3ame%40somecompany.net?secret=abcdefghijklmnop"
        "&issuer=Microsoft")
GITHUB = "otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"
PHONEFACTOR = ("phonefactor://activate_account?code=123456789&url=https%3a%2f%2f"
               "mobileappcommunicator.auth.microsoft.com%2factivate%2f123456789%2fWE")
HOTP = "otpauth://hotp/Example:alice?secret=JBSWY3DPEHPK3PXP&counter=0&issuer=Example"
SERIAL = "8659622000123"

MIGRATION_ACCOUNTS = [
    dict(secret=b"12345678901234567890", name="alice@gmail.com", issuer="Google",
         algorithm="SHA1", digits=6, otp_type="TOTP"),
    dict(secret=bytes.fromhex("48656C6C6F21DEADBEEF"), name="octocat", issuer="GitHub",
         algorithm="SHA1", digits=6, otp_type="TOTP"),
    dict(secret=bytes(range(1, 21)), name="bob", issuer="Bank",
         algorithm="SHA512", digits=6, otp_type="TOTP"),
]


def migration():
    payload = pl.migration_payload(MIGRATION_ACCOUNTS, version=1, batch_size=1, batch_index=0)
    return pl.migration_uri(payload), payload


def clean(payload, ec="M", module_px=4):
    matrix, _ = im.qr_matrix(payload, ec)
    return im.render(matrix, module_px, 4).convert("L")


def side_by_side(*tiles, gap=32):
    """Several clean codes in one picture, left to right on white, tops aligned."""
    width = sum(t.size[0] for t in tiles) + gap * (len(tiles) - 1)
    height = max(t.size[1] for t in tiles)
    canvas = Image.new("L", (width, height), 255)
    x = 0
    for tile in tiles:
        canvas.paste(tile, (x, 0))
        x += tile.size[0] + gap
    return canvas


def photo(payload):
    """Rotation + perspective + blur + noise + uneven light, on a grey desk, as a JPEG."""
    rng = np.random.default_rng(365)
    matrix, _ = im.qr_matrix(payload, "M")
    tile = im.render(matrix, 5, 4)
    side = 340
    canvas = im.smooth_texture(rng, side, side, 3, colourful=False)
    canvas = Image.eval(canvas, lambda v: 140 + v // 3)
    half = tile.size[0] * 0.6 / 2
    quad = im.jittered_quad(rng, side / 2, side / 2, half, half, 17.0, 0.07)
    im.paste_warped(canvas, tile, quad)
    canvas = im.illumination(canvas, rng, 0.7)
    canvas = im.add_noise(im.gaussian_blur(canvas, 0.9), rng, 9.0)
    return canvas.convert("L")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "tests", "fixtures", "qr"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    migration_uri, migration_bytes = migration()
    fixtures = {
        "m365.png": clean(M365),
        "github.png": clean(GITHUB),
        "phonefactor.png": clean(PHONEFACTOR),
        "migration.png": clean(migration_uri, ec="L"),
        "hotp.png": clean(HOTP),
        "serial.png": clean(SERIAL, ec="M", module_px=6),
        "two-accounts.png": side_by_side(clean(M365), clean(GITHUB)),
    }
    for name, img in fixtures.items():
        img.save(os.path.join(args.out, name), "PNG", optimize=True)
    photo(M365).save(os.path.join(args.out, "photo-m365.jpg"), "JPEG", quality=80)
    for name in sorted(os.listdir(args.out)):
        if name.endswith((".png", ".jpg")):
            print(f"{name}: {os.path.getsize(os.path.join(args.out, name))} bytes")
    print("migration protobuf (hex):", migration_bytes.hex())
    print("migration URI:", migration_uri)


if __name__ == "__main__":
    main()
