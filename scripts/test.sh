#!/usr/bin/env bash
# The test command. Installs what it needs, then typechecks and runs the whole suite on Node 24. The suite
# starts its own services (a registry and a Docker engine on loopback) and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "==> Typecheck (tsc, Node $(node --version))"
npm run -s typecheck
echo "==> Tests (vitest)"
npm test -- "$@"
