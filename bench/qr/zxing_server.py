#!/usr/bin/env python3
"""zxing-cpp as a comparison decoder for compare/ (the `zxing-cpp` candidate): reads one image
path per line on stdin and answers one JSON line per image on stdout,
`{"texts": [...], "cpu_ms": <decode CPU time>}`.

A long-running process, so Python's start-up is paid once. The image is loaded and turned into
8-bit luma (what the Rust decoders get) before the clock starts; `cpu_ms` is this thread's CPU
time for `zxingcpp.read_barcodes` alone, with its defaults (try_rotate, try_downscale,
try_invert, LocalAverage binarizer) and QR codes only. Version: requirements.txt.
"""

import json
import sys
import time

import zxingcpp
from PIL import Image

sys.dont_write_bytecode = True


def decode(path):
    luma = Image.open(path).convert("L")
    start = time.thread_time()
    found = zxingcpp.read_barcodes(luma, formats=zxingcpp.BarcodeFormat.QRCode)
    cpu_ms = (time.thread_time() - start) * 1e3
    return {"texts": [b.text for b in found if b.valid], "cpu_ms": cpu_ms}


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        try:
            answer = decode(path)
        except Exception as error:  # noqa: BLE001 — report, keep serving
            answer = {"texts": [], "cpu_ms": 0.0, "error": str(error)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
