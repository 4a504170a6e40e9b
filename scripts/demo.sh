#!/usr/bin/env bash
# The demo: what rollgate does today, for real, on the local sandbox (a real registry, a real Docker engine, the
# Artifact Registry emulator). It builds a two-stage image twice, checks the registry agrees on the digests, reads
# the image's packages, moves a target tag to a "broken" v2 and reverts it by compare-and-swap, on a plain OCI
# registry and on (emulated) Google Artifact Registry. The sandbox is left running; the end says how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash scripts/setup.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
rollgate() { node "$ROOT/dist/cli.js" "$@"; }
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

say "Starting the sandbox (registry, Docker engine, GAR emulator; loopback only)"
eval "$(npm run -s sandbox -- up)"
REG=$ROLLGATE_SANDBOX_REGISTRY

DEMO=$ROOT/.sandbox/demo
rm -rf "$DEMO" && mkdir -p "$DEMO/k8s" && cd "$DEMO"
git init -q && git config user.email demo@rollgate.invalid && git config user.name demo
cat > Dockerfile <<'DOCKERFILE'
ARG BASE_IMAGE
FROM ${BASE_IMAGE} AS build
ARG GREETING=hello
RUN mkdir -p /out && echo "${GREETING} from a multi-stage build" > /out/index.html

FROM ${BASE_IMAGE} AS runtime
COPY --from=build /out /www
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
DOCKERFILE
cat > rollgate.yml <<YAML
images:
  web:
    repository: $REG/demo/hello
    target: runtime
    network: none
    buildArgs: { BASE_IMAGE: $ROLLGATE_SANDBOX_BASE_IMAGE, GREETING: "\${GREETING}" }
tags: ["{version}", "{major}.{minor}"]
manifests: [k8s]
environments:
  dev: { namespace: demo-dev, targetTag: dev }
YAML
echo '{ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "hello" } }' > k8s/app.json
cat > broken.yml <<'YAML'
images:
  web: { repository: Demo/Hello:v1, contxt: . }
tags: ["{version}", "{major}", "{sha"]
rollout: { timeout: 5 minutes }
environments:
  dev: { targetTag: "1", namespace: demo-dev, kubeContext: "${KUBE_CONTEXT}" }
YAML
git add -A && git commit -qm demo

say "rollgate validate on a config with mistakes: every one listed with file:line and field, exit 2"
rollgate validate -c broken.yml || echo "(exit $?)"

say "rollgate validate on the demo config"
GREETING=hello rollgate validate --version v1.0.0

say "rollgate build --version v1.0.0 (docker BuildKit, two stages, pushed to the registry)"
GREETING=hello rollgate build --version v1.0.0 --json v1.json 2>/dev/null
say "rollgate build --version v2.0.0 (the release that will fail its verification)"
GREETING=broken rollgate build --version v2.0.0 --json v2.json 2>/dev/null

say "The registry agrees: skopeo (not rollgate) reads the digest of each tag"
for tag in v1.0.0 v1.0 v2.0.0; do
  printf '  %-8s %s\n' "$tag" "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/hello:$tag")"
done

say "rollgate inventory of a Debian-style layer set is read straight from the registry (here: busybox, no packages)"
rollgate inventory "$REG/demo/hello:v1.0.0"

say "Target tag on a plain OCI registry: move to v2, verification fails, compare-and-swap back"
node "$ROOT/scripts/demo/tags.ts" "$REG/demo/hello" v1.0.0 v2.0.0 dev 2>/dev/null

say "The same on Google Artifact Registry (the emulator, through the Artifact Registry API)"
for tag in v1.0.0 v2.0.0; do
  skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$REG/demo/hello:$tag" "docker://$REG/acme/apps/hello:$tag"
done
node "$ROOT/scripts/demo/tags.ts" us-docker.pkg.dev/acme/apps/hello v1.0.0 v2.0.0 dev 2>/dev/null

cat <<TXT

Done. The sandbox is still running:
  npm run sandbox -- status        where everything listens (and the environment to use it)
  skopeo list-tags --tls-verify=false docker://$REG/demo/hello
  npm run sandbox -- down          stop it all
Not in this demo yet: applying manifests to the Kubernetes API emulator, the rollout verdict, the smoke test and
the workload restore (rollgate deploy); they land with the deploy engine and the gated deploy.
TXT
