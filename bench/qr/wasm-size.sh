#!/usr/bin/env bash
# Builds each QR decoder candidate as a minimal wasm32 cdylib (opt-level z, LTO, codegen-units 1,
# panic abort), runs `wasm-opt -Oz` (npm binaryen@132.0.0) and prints raw and `gzip -9` sizes.
#   WASM_OPT=/path/to/wasm-opt bench/qr/wasm-size.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../out/qr/wasm"
target="$here/../out/wasm-target"
mkdir -p "$out"
wasm_opt="${WASM_OPT:-}"
if [ -z "$wasm_opt" ]; then
  [ -x /tmp/binaryen/node_modules/.bin/wasm-opt ] || npm i --prefix /tmp/binaryen binaryen@132.0.0 >/dev/null
  wasm_opt=/tmp/binaryen/node_modules/.bin/wasm-opt
fi
echo "wasm-opt: $("$wasm_opt" --version)"
echo
echo "| candidate | cargo .wasm B | after wasm-opt -Oz B | gzip -9 B |"
echo "|---|---|---|---|"
for feature in baseline quircs rqrr rxing rxing-wasm-support kiln-qr rxing-pipe; do
  (cd "$here/wasm-size" && cargo build --quiet --release --target wasm32-unknown-unknown \
     --no-default-features --features "$feature" --target-dir "$target")
  cp "$target/wasm32-unknown-unknown/release/qr_wasm_size.wasm" "$out/$feature.wasm"
  "$wasm_opt" -Oz "$out/$feature.wasm" -o "$out/$feature.opt.wasm"
  gzip -9 -c "$out/$feature.opt.wasm" > "$out/$feature.opt.wasm.gz"
  printf '| %s | %s | %s | %s |\n' "$feature" \
    "$(stat -c %s "$out/$feature.wasm")" "$(stat -c %s "$out/$feature.opt.wasm")" \
    "$(stat -c %s "$out/$feature.opt.wasm.gz")"
done
# The speed variant: kiln-qr (and quircs) at opt-level 3, `wasm-opt -O3`, as an app could set
# with `[profile.release.package.quircs] opt-level = 3` (and the same for kiln-qr).
(cd "$here/wasm-size" && CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo build --quiet --release \
   --target wasm32-unknown-unknown --no-default-features --features kiln-qr \
   --target-dir "$target-o3")
cp "$target-o3/wasm32-unknown-unknown/release/qr_wasm_size.wasm" "$out/kiln-qr-o3.wasm"
"$wasm_opt" -O3 "$out/kiln-qr-o3.wasm" -o "$out/kiln-qr-o3.opt.wasm"
gzip -9 -c "$out/kiln-qr-o3.opt.wasm" > "$out/kiln-qr-o3.opt.wasm.gz"
printf '| %s | %s | %s | %s |\n' "kiln-qr, opt-level 3 + wasm-opt -O3" \
  "$(stat -c %s "$out/kiln-qr-o3.wasm")" "$(stat -c %s "$out/kiln-qr-o3.opt.wasm")" \
  "$(stat -c %s "$out/kiln-qr-o3.opt.wasm.gz")"
