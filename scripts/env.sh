# Sourced by the other scripts: puts the pinned tools on PATH, in this order:
# cargo-installed tools (trunk, wasm-bindgen), then npm's wasm-opt (binaryen 132).
# shellcheck shell=bash
KILN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export KILN_ROOT
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$KILN_ROOT/tests/e2e/node_modules/.bin:$PATH"
# Trunk must never download tools; with this a version mismatch is an error, not a download.
export TRUNK_OFFLINE=true
