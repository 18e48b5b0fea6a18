#!/usr/bin/env bash
# One command for every benchmark; rewrites the "Benchmarks" section of README.md.
#
#   bash bench/run.sh            # everything (about 7 minutes on 2 cores once the comparison decoders are built)
#   bash bench/run.sh --no-qr    # skip the QR corpus (keeps the README's previous QR table)
#
# Not part of the test run: numbers depend on the machine. Results go to bench/out/ (ignored).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$KILN_ROOT"
out=bench/out
mkdir -p "$out"
qr=1
[ "${1:-}" = "--no-qr" ] && qr=0

bash scripts/bootstrap.sh all
bash scripts/build-web.sh

echo "=== bundle"
node bench/bundle.mjs dist >"$out/bundle.json"
echo "=== load (15 runs, CPU x1 and x4)"
(cd tests/e2e && node ../../bench/load.mjs ../../dist 15) >"$out/load.json"
echo "=== burn: native"
{
  cargo bench -p kiln-core --bench burn
  cargo bench -p kiln-bench-transfers --bench transfers
} 2>/dev/null | grep -E '^(burn |\{)' >"$out/burn-native.txt"
echo "=== burn: WASM in Chromium"
(cd tests/e2e && node ../../bench/burn.mjs) >"$out/burn-wasm.json"
if [ $qr = 1 ]; then
  echo "=== QR: corpus, native decoders and zbarimg (bench/qr/run-all.sh)"
  bash bench/qr/run-all.sh >"$out/qr-run-all.md"
  echo "=== QR: kiln-qr WASM in Chromium"
  (cd tests/e2e && node ../../bench/qr/wasm-chromium.mjs) >"$out/qr-wasm-chromium.json"
  echo "=== QR: camera loop in Chromium (fake camera)"
  (cd tests/e2e && node ../../bench/qr/camera-loop.mjs) >"$out/qr-camera-loop.json"
fi
node bench/report.mjs
