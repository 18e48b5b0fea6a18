#!/usr/bin/env bash
# Builds the web app for release into dist/ with trunk (offline; tools from PATH, see
# Trunk.toml) and prints the sizes of what a browser downloads.
#   bash scripts/build-web.sh            # expects scripts/bootstrap.sh to have run
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KILN_ROOT"

trunk build --release --offline --locked

for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -e "$f" ] || continue
  printf 'size %-40s raw=%8d B  gzip=%7d B\n' "$f" "$(stat -c%s "$f")" "$(gzip -9c "$f" | wc -c)"
done
