#!/usr/bin/env bash
# Checks that Kiln's patch of quircs (vendor/quircs/KILN-PATCH.md) changes no result: decodes
# every picture given (default: bench/qr's corpus, fuzz/regressions and fuzz/corpus/qr_decode if
# present) with kiln-qr and raw quircs, once built against crates.io's quircs 0.10.3 and once
# against vendor/quircs, and compares the results. Prints the time of each build on the slowest
# pictures. Not part of the test run (it builds twice, about 2 minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
out="$root/bench/out/quircs-patch"
mkdir -p "$out"
if [ $# -eq 0 ]; then
  set -- "$root"/bench/out/qr/corpus/*.png "$root"/fuzz/regressions/*
  if [ -d "$root/fuzz/corpus/qr_decode" ]; then
    # A copy: a running fuzzer adds and removes corpus files.
    rm -rf "$out/fuzz-corpus" && mkdir -p "$out/fuzz-corpus"
    cp "$root"/fuzz/corpus/qr_decode/* "$out/fuzz-corpus/" 2>/dev/null || true
    set -- "$@" "$out"/fuzz-corpus/*
  fi
fi
printf '%s\n' "$@" > "$out/inputs.txt"
for variant in upstream patched; do
  manifest="$out/$variant/Cargo.toml"
  mkdir -p "$out/$variant/src"
  cp "$here/src/main.rs" "$out/$variant/src/main.rs"
  sed "s#\.\./\.\./\.\./crates/kiln-qr#$root/crates/kiln-qr#" "$here/Cargo.toml" > "$manifest"
  if [ "$variant" = patched ]; then
    printf '\n[patch.crates-io]\nquircs = { path = "%s/vendor/quircs" }\n' "$root" >> "$manifest"
  fi
  cargo build --quiet --release --manifest-path "$manifest" --target-dir "$out/target-$variant"
  xargs -a "$out/inputs.txt" -d '\n' "$out/target-$variant/release/quircs-patch-check" > "$out/$variant.tsv"
done
if ! diff <(cut -f1-3 "$out/upstream.tsv") <(cut -f1-3 "$out/patched.tsv") > "$out/diff.txt"; then
  echo "DIFFERENT results, see $out/diff.txt"; exit 1
fi
echo "same results for $(wc -l < "$out/patched.tsv") pictures"
echo "slowest pictures (ms upstream → patched):"
paste <(cut -f1,4 "$out/upstream.tsv") <(cut -f4 "$out/patched.tsv") | sort -t$'\t' -k2 -rn | awk 'NR <= 5' \
  | awk -F'\t' '{n = split($1, p, "/"); printf "  %s  %.1f → %.1f\n", p[n], $2, $3}'
for variant in upstream patched; do
  awk -F'\t' -v v="$variant" '{ s += $4 } END { printf "total %s: %.0f ms\n", v, s }' "$out/$variant.tsv"
done
