#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) and prints the executions per target.
# Usage: fuzz/run-campaigns.sh [SECONDS] [TARGET…]     (needs: cargo install cargo-fuzz)
# Stable Rust only here, so RUSTC_BOOTSTRAP=1 lets cargo-fuzz use its -Z flags.
# FUZZ_SANITIZER=none drops AddressSanitizer (about 3× more executions for qr_decode; the
# targets are safe Rust, so ASan guards only the dependencies' unsafe code).
# FUZZ_RUNS=N stops each target after N executions (shared out among its FUZZ_JOBS) instead of
# SECONDS (a campaign that can be paused with kill -STOP/-CONT while benchmarks need quiet).
# FUZZ_JOBS=N runs N fuzzer processes per target on the same corpus (they pick up each other's
# finds); the executions printed are their sum, each log is logs/TARGET[.JOB].log.
# FUZZ_TRACE_COMPARES=0 builds without comparison tracing: about 3× more executions for
# qr_decode, whose edge coverage had stopped growing after the first 140,000 executions; the
# other targets are fast enough to keep it.
# QR_PYTHON is a Python with the `qrcode` package (default: bench/qr's venv) to seed qr_decode.
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
  python=${QR_PYTHON:-../bench/out/qr-venv/bin/python}
  if [ "$target" = qr_decode ] && "$python" -c 'import qrcode' 2>/dev/null; then
    "$python" seed_qr.py "corpus/$target"
  fi
  jobs=${FUZZ_JOBS:-1}
  limit=(-max_total_time="$seconds")
  [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$(((FUZZ_RUNS + jobs - 1) / jobs))")
  extra=()
  # qr_decode decodes pictures up to 32×32 (see its target): 4 header bytes + 1024 pixels.
  [ "$target" = qr_decode ] && extra=(-max_len=1028)
  build=(-O -s "${FUZZ_SANITIZER:-address}")
  [ "${FUZZ_TRACE_COMPARES:-1}" = 0 ] && build+=(--no-trace-compares)
  cargo fuzz build "${build[@]}" "$target" > "logs/$target.build.log" 2>&1 \
    || { echo "$target: BUILD FAILED (see fuzz/logs/$target.build.log)"; exit 1; }
  binary=$(ls -t target/*/release/"$target" | head -n 1)
  mkdir -p "artifacts/$target"
  rm -f logs/"$target".[0-9]*.log
  pids=()
  for ((job = 0; job < jobs; job++)); do
    log="logs/$target.log"
    [ "$job" -gt 0 ] && log="logs/$target.$job.log"
    "$binary" -artifact_prefix="artifacts/$target/" "corpus/$target" "${limit[@]}" "${extra[@]}" \
      -print_final_stats=1 > "$log" 2>&1 &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || { echo "$target: FAILED (see fuzz/logs/$target*.log and fuzz/artifacts/$target/)"; exit 1; }
  runs=0
  for log in "logs/$target.log" logs/"$target".[0-9]*.log; do
    [ -f "$log" ] || continue
    n=$(grep -a -E '^stat::number_of_executed_units' "$log" | tail -n 1 | awk '{print $2}')
    runs=$((runs + ${n:-0}))
  done
  echo "$target: $runs executions in $jobs process(es), no crash"
done
