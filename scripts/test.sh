#!/usr/bin/env bash
# The test command. Installs what it needs, then typechecks and runs the whole suite on Node 24. The suite
# starts its own services on loopback (a registry, a Docker engine when none runs, the emulators) and this
# script stops the Docker engine again if the suite had to start it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"

pidfile=.sandbox/docker/docker.pid
engine_was_running=false
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then engine_was_running=true; fi
stop_engine() {
  if [ "$engine_was_running" = false ] && [ -f "$pidfile" ]; then
    echo "==> Stopping the Docker engine the tests started"
    kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
}
trap stop_engine EXIT

echo "==> Typecheck (tsc, Node $(node --version))"
npm run -s typecheck
echo "==> Tests (vitest)"
npm test -- "$@"
