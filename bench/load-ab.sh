#!/usr/bin/env bash
# Interactive time of two builds on the same machine. Builds COMMIT (default 989ce49, whose
# benchmark set issue #19's "today 156 / 495 ms") in a git worktree under bench/out/, then runs
# bench/load.mjs (15 loads unthrottled, 15 at 4× CPU throttling) on its dist/, on this
# checkout's dist/ and on the floor page in turn, ROUNDS times, and prints each round and the
# median of the rounds.
#
# The floor page is this dist/'s index.html and stylesheet with the secret box written into the
# HTML and no script at all: what the browser and the harness cost before any app runs. Time
# above it is the app's own (fetching, compiling and starting its JS and wasm, the first render),
# the only part a change to Kiln can cut; the summary gives that share for both builds.
#
#   bash scripts/build-web.sh && bash bench/load-ab.sh [COMMIT] [ROUNDS]
#
# Why: the absolute times depend on the machine more than on any cut (on one machine the
# 2026-11-30 build measured 156 / 495 ms, on another 96 / 272 ms), so a change in start-up time
# is only visible against a fixed build measured alongside it. The old commit must build with
# the tools installed now (trunk, wasm-bindgen from its Cargo.lock); if not, this stops there.
# Remove the worktree afterwards with `git worktree remove --force bench/out/load-ab/COMMIT`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$KILN_ROOT"
commit=${1:-989ce49}
rounds=${2:-6}
out=bench/out/load-ab
base="$KILN_ROOT/$out/$commit"
[ -d dist ] || { echo "no dist/ here: run bash scripts/build-web.sh first"; exit 1; }
mkdir -p "$out"
if [ ! -f "$base/dist/index.html" ]; then
  [ -d "$base" ] || git worktree add --force --detach "$base" "$commit"
  # The old build takes its wasm-opt and esbuild from tests/e2e's npm packages, as this one does.
  ln -sfn "$KILN_ROOT/tests/e2e/node_modules" "$base/tests/e2e/node_modules"
  (cd "$base" && CARGO_TARGET_DIR="$KILN_ROOT/$out/target" bash scripts/build-web.sh >/dev/null)
fi
# The floor page, rebuilt from this dist/ every run (bench/out/load-ab/floor).
floor="$KILN_ROOT/$out/floor"
rm -rf "$floor" && mkdir -p "$floor" && cp -r dist/*.css dist/assets "$floor/"
node -e '
  const fs = require("fs");
  const [from, to] = process.argv.slice(1);
  let html = fs.readFileSync(from, "utf8");
  const before = html;
  html = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "").replace(/<link rel="preload"[^>]*>/g, "")
    .replace("<body>", "<body><main><textarea data-testid=\"secret-text\" rows=\"3\"></textarea></main>");
  if (html === before || /<script/.test(html)) throw new Error("load-ab: cannot make the floor page from " + from);
  fs.writeFileSync(to, html);
' dist/index.html "$floor/index.html"
results="$out/$commit-vs-now.jsonl"
: >"$results"
for ((round = 1; round <= rounds; round++)); do
  for build in base now floor; do
    dir="$KILN_ROOT/dist"
    [ "$build" = base ] && dir="$base/dist"
    [ "$build" = floor ] && dir="$floor"
    json=$(cd tests/e2e && node ../../bench/load.mjs "$dir" 15)
    node -e '
      const [build, round, json] = process.argv.slice(1);
      const r = JSON.parse(json);
      console.log(JSON.stringify({ build, round: +round, x1: r.cpu_x1.median_ms, x4: r.cpu_x4.median_ms }));
    ' "$build" "$round" "$json" | tee -a "$results"
  done
done
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  for (const cpu of ["x1", "x4"]) {
    const of = (b) => rows.filter((r) => r.build === b).map((r) => r[cpu]);
    const [b, n, f] = [median(of("base")), median(of("now")), median(of("floor"))];
    const change = (x, y) => `${y < x ? "−" : "+"}${Math.abs((y / x - 1) * 100).toFixed(0)} %`;
    console.log(`${cpu === "x1" ? "normal" : "4x CPU"}: ${process.argv[2]} ${b.toFixed(1)} ms, now ${n.toFixed(1)} ms (${change(b, n)}), floor ${f.toFixed(1)} ms; ` +
      `above the floor ${(b - f).toFixed(1)} → ${(n - f).toFixed(1)} ms (${change(b - f, n - f)}); medians of ${of("now").length} rounds`);
  }
' "$results" "$commit"
