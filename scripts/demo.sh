#!/usr/bin/env bash
# The demo: the real deploy flow on the local sandbox. It starts the sandbox (a Kubernetes API emulator whose
# kubelet runs real containers, the real registry, a Docker engine, the Artifact Registry emulator), then:
# validates a config with mistakes (exit 2), builds and deploys v1 to dev (verified by a smoke test), deploys a
# broken v2 that crashes at start (detected in seconds, the target tag and the workloads reverted, exit 1), shows
# the old version serving again, promotes v1 to stg, and moves tags by compare-and-swap on emulated GAR. The
# sandbox stays up.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash scripts/setup.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
rollgate() { node "$ROOT/dist/cli.js" "$@"; }
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

say "Starting the sandbox (Kubernetes API emulator + kubelet, registry, Docker engine, GAR emulator; loopback only)"
eval "$(npm run -s sandbox -- up)"
REG=$ROLLGATE_SANDBOX_REGISTRY
export RUNNER_TEMP=$ROOT/.sandbox/demo-runner-temp
mkdir -p "$RUNNER_TEMP"

DEMO=$ROOT/.sandbox/demo
rm -rf "$DEMO" && mkdir -p "$DEMO/k8s" && cd "$DEMO"
git init -q && git config user.email demo@rollgate.invalid && git config user.name demo
cat > Dockerfile <<'DOCKERFILE'
ARG BASE_IMAGE
FROM ${BASE_IMAGE} AS build
ARG GREETING=hello
RUN mkdir -p /www && echo "${GREETING}" > /www/index.html && echo ok > /www/healthz

FROM ${BASE_IMAGE} AS runtime
ARG BROKEN=no
COPY --from=build /www /www
ENV BROKEN=${BROKEN}
# A broken release: the app refuses to start without a setting it now needs.
CMD ["sh", "-c", "if [ \"$BROKEN\" = yes ]; then echo 'ImproperlyConfigured: DATABASE_URL is not set'; exit 3; fi; exec httpd -f -p 8080 -h /www"]
DOCKERFILE
mkdir -p k8s/base k8s/dev k8s/stg
cat > k8s/base/app.yaml <<YAML
apiVersion: v1
kind: ConfigMap
metadata: { name: hello-config }
data: { LOG_LEVEL: info }
---
apiVersion: v1
kind: Service
metadata: { name: hello }
spec:
  selector: { app: hello }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: hello }
spec:
  replicas: 2
  selector: { matchLabels: { app: hello } }
  template:
    metadata: { labels: { app: hello } }
    spec:
      containers:
        - name: hello
          image: $REG/demo/hello:dev
          ports: [{ name: http, containerPort: 8080 }]
          envFrom: [{ configMapRef: { name: hello-config } }]
          readinessProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 1 }
YAML
echo 'resources: [app.yaml]' > k8s/base/kustomization.yaml
for env in dev stg; do
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: { name: demo-%s }\n' "$env" > "k8s/$env/namespace.yaml"
  printf 'namespace: demo-%s\nresources: [namespace.yaml, ../base]\n' "$env" > "k8s/$env/kustomization.yaml"
done
cat > rollgate.yml <<YAML
images:
  web:
    repository: $REG/demo/hello
    target: runtime
    network: none
    buildArgs: { BASE_IMAGE: $ROLLGATE_SANDBOX_BASE_IMAGE, GREETING: "\${GREETING}", BROKEN: "\${BROKEN}" }
tags: ["{version}", "{major}.{minor}"]
environments:
  dev: { namespace: demo-dev, targetTag: dev, manifests: [k8s/dev] }
  stg: { namespace: demo-stg, targetTag: stg, manifests: [k8s/stg] }
smoke:
  target: { service: hello, port: 80 }
  duration: 6s
  interval: 2s
  steps:
    - { name: home page, path: /, expect: { status: [200], body: "hello from" } }
    - { name: health, path: /healthz, expect: { status: [200] } }
YAML
cat > broken.yml <<'YAML'
images:
  web: { repository: Demo/Hello:v1, contxt: . }
tags: ["{version}", "{major}", "{sha"]
rollout: { timeout: 5 minutes }
environments:
  dev: { targetTag: "1", namespace: demo-dev, kubeContext: "${KUBE_CONTEXT}" }
YAML
git add -A && git commit -qm demo

say "rollgate validate on a config with mistakes: every one listed with file:line and field, exit 2, nothing changed"
rollgate validate -c broken.yml || echo "(exit $?)"

say "rollgate deploy v1.0.0 to dev: build (two stages), push, apply pinned by digest, wait, smoke test"
GREETING="hello from v1" BROKEN=no rollgate deploy --env dev --version v1.0.0 --json v1.json --summary v1.md 2>&1 | grep -v '^\[web\]' || echo "(exit $?)"

say "The cluster runs v1, pinned by digest; the registry (skopeo, not rollgate) says where dev points"
kubectl -n demo-dev get deploy hello -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
printf '  dev    -> %s\n' "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/hello:dev")"
printf '  v1.0.0 -> %s\n' "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/hello:v1.0.0")"

say "rollgate deploy v2.0.0: a broken release (crashes at start) -- detected, reverted, exit 1"
GREETING="hello from v2" BROKEN=yes rollgate deploy --env dev --version v2.0.0 --json v2.json --summary v2.md 2>&1 | grep -v '^\[web\]' || echo "(exit $?)"

say "After the revert: dev is back on v1's digest and v1 serves (through the API server's service proxy)"
printf '  dev    -> %s\n' "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/hello:dev")"
kubectl -n demo-dev get deploy hello -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
kubectl get --raw /api/v1/namespaces/demo-dev/services/hello:80/proxy/
node -e 'const r=require(process.argv[1]); console.log(`  outcome ${r.outcome}; rule ${r.rollout?.failure?.rule}; time to safe ${r.revert?.timeToSafeSeconds}s`)' "$DEMO/v2.json"

say "The summary of the failed deploy (what GitHub shows as the job summary)"
cat v2.md

say "rollgate promote --from dev --to stg: no build; stg gets the digest dev verified, checked the same way"
GREETING=unused BROKEN=no rollgate promote --from dev --to stg --json promote.json 2>&1 | grep -E '^(rollgate|smoke test|  web)' || echo "(exit $?)"
printf '  stg    -> %s\n' "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/hello:stg")"
kubectl get --raw /api/v1/namespaces/demo-stg/services/hello:80/proxy/

say "Target tags on Google Artifact Registry (the emulator, through the Artifact Registry API): move, revert by compare-and-swap"
for tag in v1.0.0 v2.0.0; do
  skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$REG/demo/hello:$tag" "docker://$REG/acme/apps/hello:$tag"
done
node "$ROOT/scripts/demo/tags.ts" us-docker.pkg.dev/acme/apps/hello v1.0.0 v2.0.0 dev 2>/dev/null

cat <<TXT

Done. The sandbox is still running; look around with the real kubectl:
  eval "\$(npm run -s sandbox -- env)"
  kubectl -n demo-dev get deploy,rs,pods,events     (and -n demo-stg)
  kubectl -n demo-dev logs deploy/hello
  skopeo list-tags --tls-verify=false docker://$REG/demo/hello
  npm run sandbox -- down          stop it all
TXT
