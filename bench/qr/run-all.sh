#!/usr/bin/env bash
# Regenerates the QR corpus and prints every table of bench/qr/RESULTS.md:
# machine and versions, decoder comparison (with zbarimg), wasm sizes, wasm timing in V8.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../out"
venv="${QR_VENV:-$out/qr-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"

echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
     "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(rustc --version); node $(node --version); zbar-tools $(dpkg-query -W -f '${Version}' zbar-tools 2>/dev/null || echo '?');" \
     "python $("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
echo

"$venv/bin/python" "$here/gen_corpus.py"
cd "$here/compare"
cargo build --quiet --release --target-dir "$out/compare-target"
"$out/compare-target/release/dump_luma" >/dev/null
"$out/compare-target/release/kiln-qr-compare" 2>"$out/qr/compare.log"
echo
"$here/wasm-size.sh"
echo
for candidate in quircs rqrr kiln-qr kiln-qr-o3 rxing; do
  node "$here/wasm-node.mjs" "$out/qr/wasm/$candidate.opt.wasm"
  echo
done
