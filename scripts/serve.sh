#!/usr/bin/env bash
# Sets up what is missing, builds the release app into dist/ and serves it at
# http://127.0.0.1:8080 (localhost is a secure context, so WebUSB and the camera work there).
#
#   bash scripts/serve.sh              # build once, serve dist/ (what the e2e tests check)
#   bash scripts/serve.sh --watch      # development: trunk rebuilds and reloads on every change
#   PORT=8081 bash scripts/serve.sh    # another port
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KILN_ROOT"
PORT=${PORT:-8080}

bash scripts/bootstrap.sh web

if [ "${1:-}" = "--watch" ]; then
  echo "Kiln (development build, rebuilt on change) at http://127.0.0.1:$PORT/"
  exec trunk serve --offline --locked --address 127.0.0.1 --port "$PORT"
fi

bash scripts/build-web.sh
exec node tests/e2e/serve.mjs --port "$PORT"
