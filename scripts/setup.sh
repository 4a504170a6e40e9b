#!/usr/bin/env bash
# Shared set-up for the demo and the tests on a fresh Debian machine (root, Node 20): the Debian packages the
# sandbox runs, then the project's npm dependencies (which bring Node 24 for the toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(docker-registry docker.io buildah skopeo busybox-static socat debootstrap ca-certificates rsync)
missing=()
for p in "${PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "==> Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then echo "need root to install Debian packages (or install them yourself)" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "==> Debian packages present: ${PACKAGES[*]}"
fi
command -v kubectl >/dev/null || { echo "kubectl is not installed (the sandbox tests drive the real kubectl)" >&2; exit 1; }

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (brings Node 24 for the toolchain as the 'node' devDependency)"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "==> npm dependencies up to date"
fi
