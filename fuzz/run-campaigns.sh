#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) and prints the executions per target.
# Usage: fuzz/run-campaigns.sh [SECONDS] [TARGET…]     (needs: cargo install cargo-fuzz)
# Stable Rust only here, so RUSTC_BOOTSTRAP=1 lets cargo-fuzz use its -Z flags.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(classify migration pn53x_frame ccid_message token_info molto2_profile qr_decode)
export RUSTC_BOOTSTRAP=1
mkdir -p corpus logs
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  # Seed the classifier with the shared case table's inputs.
  if [ "$target" = classify ] && command -v python3 >/dev/null; then
    python3 - "$target" <<'PY'
import json, hashlib, pathlib, sys
cases = json.load(open('../crates/kiln-core/tests/fixtures/otp_cases.json'))
out = pathlib.Path('corpus') / sys.argv[1]
for case in cases:
    data = case['input'].encode()
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
PY
  fi
  cargo fuzz run -O "$target" "corpus/$target" -- -max_total_time="$seconds" -print_final_stats=1 \
    > "logs/$target.log" 2>&1 || { echo "$target: FAILED (see fuzz/logs/$target.log)"; exit 1; }
  runs=$(grep -a -E '^stat::number_of_executed_units' "logs/$target.log" | tail -n 1 | awk '{print $2}')
  echo "$target: ${runs:-?} executions in ${seconds}s, no crash"
done
