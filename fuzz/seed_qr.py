"""Seeds the qr_decode corpus with small real QR codes, so the fuzzer starts deep in the decoder.

Each seed is the target's input format: width (u16 LE), height (u16 LE, top bit clear: derived
from the buffer), then one luma byte per pixel. The pictures stay within the target's 32×32 cap.
Usage: python seed_qr.py CORPUS_DIR   (needs the `qrcode` package: bench/qr/requirements.txt)
"""
import hashlib
import pathlib
import struct
import sys

import qrcode

PAYLOADS = [
    "otpauth://totp/A?secret=JBSWY3DP",
    "otpauth://totp/Kiln:ann?secret=GEZDGNBV&issuer=Kiln",
    "otpauth-migration://offline?data=CgAQAQ",
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    "hello",
    "12345678901234567890",
]


def picture(text, box, border, invert):
    code = qrcode.QRCode(box_size=1, border=0, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix) + 2 * border
    size = modules * box
    if size * size > 32 * 32:
        return None
    dark, light = (255, 0) if invert else (0, 255)
    rows = []
    for y in range(size):
        my = y // box - border
        row = bytearray()
        for x in range(size):
            mx = x // box - border
            inside = 0 <= my < len(matrix) and 0 <= mx < len(matrix)
            row.append(dark if inside and matrix[my][mx] else light)
        rows.append(bytes(row))
    return struct.pack("<HH", size, 0) + b"".join(rows)


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for text in PAYLOADS:
        for box, border in ((1, 0), (1, 1), (1, 4)):
            for invert in (False, True):
                data = picture(text, box, border, invert)
                if data is None:
                    continue
                (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
                written += 1
    print(f"seeded {written} QR pictures into {out}")


if __name__ == "__main__":
    main()
