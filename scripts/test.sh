#!/usr/bin/env bash
# Runs every test Kiln has, setting up whatever is missing first. .ci/run calls exactly this.
#
#   bash scripts/test.sh                 # all phases, in order
#   bash scripts/test.sh native e2e      # only these phases (in the order given)
#   bash scripts/test.sh --list          # the phases and what they do
#
# To add a phase: write a `phase_<name>` function below, then add <name> to PHASES with a
# one-line description. Each phase runs from the repository root and fails the run on error.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KILN_ROOT"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

# name|description, in run order.
PHASES=(
  "bootstrap|install what is missing (scripts/bootstrap.sh)"
  "lint|rustfmt, clippy -D warnings (native + wasm32), cargo check of the fuzz targets"
  "native|cargo test for every native crate (not the web app)"
  "cli|the kiln CLI against pcscd + vpcd with the simulated token"
  "wasm|wasm-bindgen-test: web app components in headless Chromium"
  "build|release build of the web app into dist/ (trunk, offline)"
  "e2e|Playwright tests: dist/ in Chromium (tests/e2e/*.test.mjs; *.vpcd.mjs through kiln bridge + pcscd)"
)

phase_bootstrap() {
  bash scripts/bootstrap.sh all
}

phase_lint() {
  cargo fmt --all --check
  cargo fmt --manifest-path fuzz/Cargo.toml --all --check
  # The policy is [workspace.lints] in Cargo.toml; here every warning fails the run.
  cargo clippy --workspace --exclude kiln-web --all-targets --features kiln-cli/vpcd-tests --locked -- -D warnings
  # The web app only builds for wasm32 (its tests/web.rs too).
  cargo clippy -p kiln-web --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
  # The release build's variant: src/on_demand.rs's screens as #[lazy] split points.
  cargo clippy -p kiln-web --target wasm32-unknown-unknown --all-targets --features split --locked -- -D warnings
  # tools/wasm-split (the splitter the release build runs) is a workspace of its own.
  cargo fmt --manifest-path tools/wasm-split/Cargo.toml --check
  cargo clippy --manifest-path tools/wasm-split/Cargo.toml --locked -- -D warnings
  # fuzz/ is a workspace of its own (own Cargo.lock); checking needs no nightly, only a C++
  # compiler for libfuzzer-sys's build script.
  cargo check --manifest-path fuzz/Cargo.toml --locked --bins
}

phase_native() {
  # kiln-web is a browser app; its tests run in the wasm and e2e phases.
  cargo test --workspace --exclude kiln-web --locked
}

phase_cli() {
  # The real PC/SC stack: pcscd with vsmartcard's vpcd reader, kiln-sim as the virtual card, the
  # real `kiln` binary. scripts/start-pcscd.sh is idempotent (needs root to start pcscd).
  bash scripts/start-pcscd.sh
  cargo test -p kiln-cli --locked --features vpcd-tests --test pcsc_vpcd
  # `kiln bridge` with a WebSocket client, the same reader and simulated token.
  cargo test -p kiln-cli --locked --features vpcd-tests --test bridge_vpcd
  # The simulated Molto2 needs a reader named "Molto2": pcscd restarts with it, then without.
  KILN_MOLTO2_READER=1 bash scripts/start-pcscd.sh
  cargo test -p kiln-cli --locked --features vpcd-tests --test molto2_vpcd
  bash scripts/start-pcscd.sh
}

phase_wasm() {
  export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
  export WASM_BINDGEN_TEST_WEBDRIVER_JSON=${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$KILN_ROOT/webdriver.json}
  export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
  # The runner (wasm-bindgen-test-runner) is set in .cargo/config.toml.
  cargo test -p kiln-web --target wasm32-unknown-unknown --locked
}

phase_build() {
  bash scripts/build-web.sh
}

phase_e2e() {
  [ -f dist/index.html ] || { echo "dist/ is missing: run the build phase first" >&2; return 1; }
  # The simulated reader + token the WebUSB tests talk to (tests/e2e/lib/sim-bridge.mjs).
  cargo build -p kiln-sim --bin kiln-sim --locked
  # Kiln's own QR decoder and classifier, for checking what the page draws (tests/e2e/lib/kiln-cli.mjs).
  cargo build -p kiln-cli --bin kiln --locked
  (cd tests/e2e && node --test)
  # The Kiln bridge end to end: page → `kiln bridge` → pcscd → vpcd → kiln-sim-vpcd. pcscd and
  # vpcd are machine-wide (the cli phase and other checkouts use them too), hence the lock.
  cargo build -p kiln-cli --bin kiln --locked
  cargo build -p kiln-sim --bin kiln-sim-vpcd --locked
  # start-pcscd.sh may restart pcscd (to drop the Molto2 reader), so it runs under the lock too;
  # `-o`: the daemon it starts must not inherit the lock's file descriptor (it would hold the
  # lock for as long as it runs).
  flock -o /tmp/kiln-vpcd.lock bash -c "bash scripts/start-pcscd.sh && cd tests/e2e && node --test \$(ls ./*.vpcd.mjs | grep -v molto2)"
  # The Molto2 in the page (tests/e2e/molto2-*.vpcd.mjs) needs the Molto2 reader: pcscd restarts
  # with it and, pass or fail, without it again, all under the one lock so no other run sees
  # the Molto2 reader come and go.
  flock -o /tmp/kiln-vpcd.lock bash -c "KILN_MOLTO2_READER=1 bash scripts/start-pcscd.sh && (cd tests/e2e && node --test ./molto2-*.vpcd.mjs); status=\$?; bash scripts/start-pcscd.sh; exit \$status"
  echo "screenshots: ${E2E_ARTIFACTS:-tests/e2e/artifacts}/"
}

# ---------------------------------------------------------------------------------------------
names=()
for entry in "${PHASES[@]}"; do names+=("${entry%%|*}"); done

if [ "${1:-}" = "--list" ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  echo "usage: bash scripts/test.sh [phase ...]   (default: all, in this order)"
  for entry in "${PHASES[@]}"; do printf '  %-10s %s\n' "${entry%%|*}" "${entry#*|}"; done
  exit 0
fi

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${names[@]}")
for phase in "${selected[@]}"; do
  case " ${names[*]} " in
    *" $phase "*) ;;
    *) echo "unknown phase '$phase'; known: ${names[*]}" >&2; exit 2 ;;
  esac
done

summary=()
started=$SECONDS
current=""
# Not `if ! phase_x`: bash ignores `set -e` inside a function called as a condition.
trap 'rc=$?; [ $rc -eq 0 ] || [ -z "$current" ] ||
  printf "\n######## FAILED in phase %s after %ss (exit %s)\n" "$current" "$((SECONDS - phase_start))" "$rc" >&2' EXIT
for phase in "${selected[@]}"; do
  printf '\n######## phase %s (%(%T)T)\n' "$phase" -1
  phase_start=$SECONDS
  current=$phase
  ("phase_$phase") # a subshell: a phase's exports and cd stay inside it
  summary+=("$(printf '%-10s %5ss' "$phase" "$((SECONDS - phase_start))")")
done
current=""

printf '\n######## all phases passed in %ss\n' "$((SECONDS - started))"
printf '  %s\n' "${summary[@]}"
