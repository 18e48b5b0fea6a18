#!/usr/bin/env bash
# Installs what Kiln's build and tests need, and only what is missing. Safe to run again and again:
# on a machine that has everything it only checks versions (a few seconds, no network).
#
#   bash scripts/bootstrap.sh          # everything (what scripts/test.sh needs)
#   bash scripts/bootstrap.sh web      # only what building/serving the app needs (no apt)
#
# Sources, and nothing else: rustup (the wasm32 target, rustfmt, clippy), crates.io (trunk, wasm-bindgen-cli,
# tools/wasm-split's dependencies),
# npm (tests/e2e/package-lock.json: playwright-core, binaryen's wasm-opt, esbuild, axe-core), Debian apt
# (Chromium and system packages, only when root on Debian/Ubuntu; otherwise it prints what to
# install). Trunk itself is always run --offline so it never downloads tools.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-all}
case "$MODE" in
  all | web) ;;
  *) echo "usage: bash scripts/bootstrap.sh [all|web]" >&2; exit 2 ;;
esac
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TRUNK_VERSION=0.21.14 # trunk 0.22.x needs rustc >= 1.96.1
WASM_OPT_VERSION=132  # npm binaryen@132.0.0; must match [tools] wasm_opt in Trunk.toml
# Debian packages the test run needs: Chromium + its driver (wasm and e2e phases), pcsc-lite
# headers + pkg-config (kiln-cli links libpcsclite), pcscd + vpcd (cli phase), nginx (the
# self-hosting e2e test), a C++ compiler (lint phase: libfuzzer-sys builds libFuzzer), age
# (kiln-seal and `kiln batch --encrypt` tests decrypt with the real tool), zbarimg (native
# phase: kiln-qr-encode's round trip through a second, independent QR decoder).
APT_FOR_TESTS=(chromium chromium-driver pkg-config libpcsclite-dev pcscd vsmartcard-vpcd nginx g++ age zbar-tools)
# Handy, not needed by the tests: pcsc_scan for real readers.
APT_FOR_LATER=(pcsc-tools)

step() { printf '\n=== bootstrap: %s (%(%T)T)\n' "$*" -1; }
die() { printf '\nbootstrap: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
step "prerequisites: cargo, rustup, node, npm"
for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null ||
    die "'$tool' is not installed. Install Rust with rustup (https://rustup.rs) and Node.js >= 20 with npm, then run this again."
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: install Node.js 20 or newer."
echo "$(cargo --version), node $(node --version), npm $(npm --version)"

# ---------------------------------------------------------------------------------------------
step "rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "present"
else
  rustup target add wasm32-unknown-unknown
fi

# ---------------------------------------------------------------------------------------------
if [ "$MODE" = all ]; then
  step "rust components rustfmt, clippy (lint phase)"
  installed=$(rustup component list --installed)
  for component in rustfmt clippy; do
    if grep -q "^$component" <<<"$installed"; then
      echo "$component present"
    else
      rustup component add "$component"
    fi
  done
fi

# ---------------------------------------------------------------------------------------------
if [ "$MODE" = all ]; then
  step "Debian packages: ${APT_FOR_TESTS[*]} ${APT_FOR_LATER[*]}"
  missing=()
  for pkg in "${APT_FOR_TESTS[@]}" "${APT_FOR_LATER[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' ||
      missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "all present"
  elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null &&
    grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release 2>/dev/null; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    cat >&2 <<EOF
bootstrap: these system packages are missing: ${missing[*]}
  On Debian/Ubuntu:  sudo apt-get install ${missing[*]}
  Elsewhere install the equivalents: Chromium and its chromedriver (same version), nginx,
  pcsc-lite (pcscd + development headers), vsmartcard's vpcd, pcsc-tools, zbar (zbarimg),
  a C++ compiler.
EOF
    for pkg in "${APT_FOR_TESTS[@]}"; do
      case " ${missing[*]} " in
        *" $pkg "*) die "the tests need $pkg; install it and run this again." ;;
      esac
    done
    echo "continuing: the tests do not need the others."
  fi
  command -v chromium >/dev/null || die "chromium is not on PATH (/usr/bin/chromium expected)."
  command -v chromedriver >/dev/null || die "chromedriver is not on PATH."
  # chromium's wrapper script prints a harmless '[: unexpected operator' line on Debian.
  chromium --version 2>/dev/null || true
  chromedriver --version
fi

# ---------------------------------------------------------------------------------------------
step "trunk $TRUNK_VERSION"
if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  echo "present"
else
  # trunk's own release profile asks for fat LTO with one codegen unit: a long single-threaded
  # final step that buys nothing for a build tool. Plain release settings install it much faster.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# ---------------------------------------------------------------------------------------------
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly (trunk and the test
# runner check it), so read the version from there.
WB_VERSION=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock")
[ -n "$WB_VERSION" ] || die "wasm-bindgen is not in Cargo.lock; run 'cargo generate-lockfile' first."
step "wasm-bindgen-cli $WB_VERSION"
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WB_VERSION" ] &&
  [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $WB_VERSION" ]; then
  echo "present"
else
  # 0.2.130's own lockfile pins a webpki-roots the registry here does not serve, so --locked
  # fails; fall back to a fresh resolve limited to crates this rustc can build.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked --force ||
    CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
      cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# ---------------------------------------------------------------------------------------------
# The wasm splitter the release build runs after trunk's cargo build (scripts/split-wasm.mjs):
# our own small crate (tools/wasm-split, its own Cargo.lock) around wasm_split_cli_support.
SPLIT_VERSION=$(awk -F'"' '/^version = / { print $2; exit }' "$ROOT/tools/wasm-split/Cargo.toml")
step "kiln-wasm-split $SPLIT_VERSION"
if [ "$(kiln-wasm-split --version 2>/dev/null)" = "kiln-wasm-split $SPLIT_VERSION" ]; then
  echo "present"
else
  cargo install --locked --force --path "$ROOT/tools/wasm-split"
fi

# ---------------------------------------------------------------------------------------------
step "npm packages in tests/e2e (playwright-core, binaryen's wasm-opt, esbuild, axe-core)"
E2E="$ROOT/tests/e2e"
stamp="$E2E/node_modules/.kiln-lock.sha256"
want=$(sha256sum "$E2E/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$E2E/node_modules/.bin/wasm-opt" ] && [ -x "$E2E/node_modules/.bin/esbuild" ]; then
  echo "present (package-lock.json unchanged)"
else
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
wasm_opt_version=$("$E2E/node_modules/.bin/wasm-opt" --version)
echo "$wasm_opt_version"
case "$wasm_opt_version" in
  *"version_$WASM_OPT_VERSION"*) ;;
  *) die "expected wasm-opt version_$WASM_OPT_VERSION from npm binaryen, got: $wasm_opt_version" ;;
esac

step "done"
