#!/usr/bin/env bash
# The demo: the real deploy flow on the local sandbox. It starts the sandbox (a Kubernetes API emulator whose
# kubelet runs real containers, the real registry, a Docker engine, the Artifact Registry emulator), makes a Debian
# base with debootstrap, then, with the invoice example app: validates a config with mistakes (exit 2), builds and
# deploys v1 to dev (verified by the smoke test: log in, list, create, read back), deploys a broken v2 that crashes
# at start (detected in seconds, the target tags and the workloads reverted, exit 1), shows v1 serving again,
# promotes v1 to stg, prints the summaries, and moves tags by compare-and-swap on emulated GAR. The sandbox stays
# up.
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

say "Making a Debian bookworm base image with debootstrap (a few minutes the first time, cached in .sandbox/cache)"
BASE=$(node "$ROOT/scripts/demo/debian-base.ts" "$REG")
echo "  $BASE"

say "The invoice app (examples/invoice: Django from Debian, two-stage Dockerfile, dev/stg/prd overlays) as a git repo"
DEMO=$ROOT/.sandbox/demo
rm -rf "$DEMO" && mkdir -p "$DEMO" && cp -r "$ROOT/examples/invoice/." "$DEMO/" && cd "$DEMO"
rm -rf .github .gitlab-ci.yml
# Point it at the sandbox: its registry instead of GAR, the Debian base just pushed, the sandbox's one context, and
# a 10 s smoke test instead of the minute a real pipeline spends.
grep -rl 'us-docker.pkg.dev/acme' . | xargs sed -i -e "s#us-docker.pkg.dev/acme/base/debian:bookworm-slim#$BASE#g" -e "s#us-docker.pkg.dev/acme/apps/#$REG/demo/#g"
sed -i -e '/kubeContext:/d' -e 's/^  duration: 60s/  duration: 10s/' -e 's/^  interval: 5s/  interval: 2s/' rollgate.yml
git init -q && git config user.email demo@rollgate.invalid && git config user.name demo
git add -A && git commit -qm "invoice v1"
cat > broken.yml <<'YAML'
images:
  web: { repository: Demo/Invoice:v1, contxt: . }
tags: ["{version}", "{major}", "{sha"]
rollout: { timeout: 5 minutes }
environments:
  dev: { targetTag: "1", namespace: invoice-dev, kubeContext: "${KUBE_CONTEXT}" }
YAML

# The Secret the manifests leave out (examples/invoice/README.md): made once per namespace, as a person would.
export SMOKE_PASSWORD=demo-$RANDOM$RANDOM
for ns in invoice-dev invoice-stg; do
  kubectl create namespace "$ns" >/dev/null
  kubectl -n "$ns" create secret generic invoice-secrets --from-literal=DJANGO_SECRET_KEY="demo-$RANDOM$RANDOM$RANDOM" \
    --from-literal=SMOKE_USER=smoke --from-literal=SMOKE_PASSWORD="$SMOKE_PASSWORD" >/dev/null
done

say "rollgate validate on a config with mistakes: every one listed with file:line and field, exit 2, nothing changed"
rollgate validate -c broken.yml || echo "(exit $?)"

say "rollgate deploy v1.0.0 to dev: build web and migrate (apt-get from Debian's mirror the first time), push, apply pinned by digest, wait, smoke test"
rollgate deploy --env dev --version v1.0.0 --json v1.json --summary v1.md 2>&1 | grep -v '^\[\(web\|migrate\)\]' || echo "(exit $?)"

say "The cluster runs v1, pinned by digest; the registry (skopeo, not rollgate) says where dev points"
kubectl -n invoice-dev get deploy web -o jsonpath='{range .spec.template.spec.initContainers[*]}{.image}{"\n"}{end}{range .spec.template.spec.containers[*]}{.image}{"\n"}{end}'
printf '  dev    -> %s\n' "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/invoice:dev")"

say "v2 needs a setting nobody configured (gunicorn reads PAYMENTS_URL at start): rollgate deploy v2.0.0 -- detected, reverted, exit 1"
printf '\n# v2: the payment provider\npayments_url = os.environ["PAYMENTS_URL"]\n' >> app/gunicorn.conf.py
git commit -qam "invoice v2: payments"
rollgate deploy --env dev --version v2.0.0 --json v2.json --summary v2.md 2>&1 | grep -v '^\[\(web\|migrate\)\]' || echo "(exit $?)"

say "After the revert: dev is back on v1's digest and v1 serves (through the API server's service proxy)"
printf '  dev    -> %s\n' "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/invoice:dev")"
kubectl -n invoice-dev get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
printf '  /healthz: %s\n' "$(kubectl get --raw /api/v1/namespaces/invoice-dev/services/web:80/proxy/healthz)"
node -e 'const r=require(process.argv[1]); console.log(`  outcome ${r.outcome}; rule ${r.rollout?.failure?.rule}; time to safe ${r.revert?.timeToSafeSeconds} s`)' "$DEMO/v2.json"

say "rollgate promote --from dev --to stg: no build; stg gets the digests dev verified, checked the same way"
rollgate promote --from dev --to stg --json promote.json --summary promote.md 2>&1 | grep -E '^(rollgate|smoke test|  (web|migrate))' || echo "(exit $?)"
printf '  stg    -> %s\n' "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/demo/invoice:stg")"
printf '  stg TAX_RATE %s, dev TAX_RATE %s (the overlays differ only in ConfigMaps)\n' \
  "$(kubectl -n invoice-stg get configmap invoice-config -o jsonpath='{.data.TAX_RATE}')" "$(kubectl -n invoice-dev get configmap invoice-config -o jsonpath='{.data.TAX_RATE}')"

say "rollgate status: what each environment runs (version, digest, commit), straight from the registry and the cluster"
rollgate status --env dev || echo "(exit $?)"
rollgate status --env stg || echo "(exit $?)"

for run in v1 v2 promote; do
  say "The summary of $run (what GitHub shows as the job summary; --summary writes it anywhere)"
  cat "$run.md"
done

say "Target tags on Google Artifact Registry (the emulator, through the Artifact Registry API): move, revert by compare-and-swap"
for tag in v1.0.0 v2.0.0; do
  skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$REG/demo/invoice:$tag" "docker://$REG/acme/apps/invoice:$tag"
done
node "$ROOT/scripts/demo/tags.ts" us-docker.pkg.dev/acme/apps/invoice v1.0.0 v2.0.0 dev 2>/dev/null

cat <<TXT

Done. The sandbox is still running; look around with the real kubectl:
  eval "\$(npm run -s sandbox -- env)"
  kubectl -n invoice-dev get deploy,rs,pods,events     (and -n invoice-stg)
  kubectl -n invoice-dev logs deploy/web
  kubectl get --raw /api/v1/namespaces/invoice-stg/services/web:80/proxy/healthz
  skopeo list-tags --tls-verify=false docker://$REG/demo/invoice
  (cd .sandbox/demo && ../../node_modules/.bin/node ../../dist/cli.js status --env stg)   what runs where (Node 24)
  npm run sandbox -- down          stop it all
TXT
