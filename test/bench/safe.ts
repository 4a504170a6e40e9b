// Time to safe: `rollgate deploy` (the CLI's path, --no-build of version tags pushed beforehand) of a broken
// release after a good one, from the verdict to the target tag restored and the previous revision Available again
// (the deploy's timeToSafeSeconds). Two releases: one that crashes at start (the rollout verdict comes while the
// old pod still serves) and one that rolls out and then fails the smoke test (the old pods are gone and must start
// again). For the first the bench also reads, from the emulator's store, when the Deployment is back on the
// previous digest and rolled out. Baseline: the same undo by hand with the standard tools, started the moment the
// failure can first be known (the crash in the API; the rollout done, for the smoke failure): `skopeo copy` of
// the previous digest to the target tag, `kubectl rollout undo`, `kubectl rollout status`.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { parseArgv } from '../../src/cli/args.ts';
import { runCommand } from '../../src/cli/commands.ts';
import { exitCodeFor, failureResult, type RunResult } from '../../src/report/result.ts';
import { recordingLogger } from '../kube/tracker-cluster.ts';
import { busyboxLayer, pushOneLayerImage } from '../sandbox/base-image.ts';
import type { Pod } from '../sandbox/kube/workload-types.ts';
import type { Bench } from './context.ts';
import { rolledOut, templateImages, type DeploymentStatus } from './deployment-status.ts';
import { median, p95, ratio, secs, verdict, type Row } from './report.ts';
import type { BenchSandbox } from './sandbox.ts';

const TARGET_MS = 30_000;
const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

const serve = (greeting: string) => ['sh', '-c', `mkdir -p /www && echo ok > /www/healthz && echo ${greeting} > /www/index.html && exec httpd -f -p 8080 -h /www`];
const GOOD = serve('hello');

interface BrokenRelease {
  name: string;
  label: string;
  command: string[];
  stage: 'rollout' | 'smoke';
}

const RELEASES: BrokenRelease[] = [
  { name: 'crash', label: 'crashes at start', command: ['sh', '-c', "echo 'missing setting DATABASE_URL'; exit 3"], stage: 'rollout' },
  { name: 'smoke', label: 'rolls out, fails the smoke test', command: serve('broken'), stage: 'smoke' },
];

interface Project {
  dir: string;
  repository: string;
  namespace: string;
  digests: { v1: string; v2: string };
}

/** A project as a user has it (rollgate.yml, manifests naming `repository:dev`) with v1 (good) and v2 (broken) pushed. */
async function project(sb: BenchSandbox, layer: { blob: Buffer; diffId: string }, name: string, broken: BrokenRelease): Promise<Project> {
  const dir = join(sb.dir, name);
  const path = `bench/${name}`;
  const repository = `${sb.registry.host}/${path}`;
  const push = async (tag: string, cmd: string[]) =>
    (await pushOneLayerImage(sb.registry.host, path, tag, { layer: layer.blob, diffId: layer.diffId, config: { config: { Env: ['PATH=/bin'], Cmd: cmd } } })).digest;
  const digests = { v1: await push('v1.0.0', GOOD), v2: await push('v2.0.0', broken.command) };
  mkdirSync(join(dir, 'app'), { recursive: true });
  mkdirSync(join(dir, 'k8s'));
  // Never built (--no-build); the config names a build context all the same.
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
  const config = {
    images: { web: { repository, context: 'app', network: 'none' } },
    tags: ['{version}'],
    builder: 'docker',
    manifests: ['k8s'],
    environments: { dev: { targetTag: 'dev', namespace: name } },
    rollout: { timeout: '60s', allowRestarts: 0, lockTimeout: '20s' },
    smoke: { target: { service: 'web', port: 80 }, duration: '1s', interval: '1s', steps: [{ name: 'read the home page', method: 'GET', path: '/', expect: { status: [200], body: 'hello' } }] },
  };
  writeFileSync(join(dir, 'rollgate.yml'), stringify(config));
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'web', image: `${repository}:dev`, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 } }],
        },
      },
    },
  };
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  writeFileSync(join(dir, 'k8s', 'web.yaml'), [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, service, deployment].map((o) => stringify(o)).join('---\n'));
  return { dir, repository, namespace: name, digests };
}

async function deploy(sb: BenchSandbox, p: Project, version: string): Promise<{ code: number; result: RunResult; log: string[] }> {
  const parsed = parseArgv(['deploy', '-c', join(p.dir, 'rollgate.yml'), '--env', 'dev', '--version', version, '--no-build', '--kubeconfig', sb.cluster.kubeconfigPath]);
  if (parsed.kind !== 'run') throw new Error('deploy argv did not parse as a run');
  const log = recordingLogger();
  const env = { ...(process.env as Record<string, string>), GITHUB_SHA: SHA, RUNNER_TEMP: join(sb.dir, 'runner-temp') };
  mkdirSync(env.RUNNER_TEMP, { recursive: true });
  let result: RunResult;
  try {
    result = await runCommand(parsed.invocation, { logger: log, env, cwd: p.dir, signal: new AbortController().signal }, { stdout: () => {} });
  } catch (err) {
    result = failureResult('deploy', err);
  }
  return { code: exitCodeFor(result), result, log: log.lines };
}

/** Resolves with the ms the Deployment is first back on `digest` and rolled out after running `away`. */
function backOn(sb: BenchSandbox, ns: string, away: string, digest: string): { at: Promise<number>; stop: () => void } {
  let left = false;
  let stop = () => {};
  const at = new Promise<number>((resolve) => {
    stop = sb.cluster.store.watch('deployments.apps', { namespace: ns }, (e) => {
      const d = e.object as unknown as DeploymentStatus;
      if (d.metadata.name !== 'web') return;
      const images = templateImages(d);
      if (images.some((i) => i.endsWith(away))) left = true;
      else if (left && images.some((i) => i.endsWith(digest)) && rolledOut(d)) {
        stop();
        resolve(Date.now());
      }
    });
  });
  return { at, stop: () => stop() };
}

/** Resolves with the ms a pod in `ns` that is not in `known` first shows a container that exited non-zero. */
function crashShows(sb: BenchSandbox, ns: string, known: Set<string>): Promise<number> {
  return new Promise((resolve) => {
    const stop = sb.cluster.store.watch('pods', { namespace: ns }, (e) => {
      const pod = e.object as unknown as Pod;
      if (known.has(pod.metadata.name ?? '')) return;
      const crashed = (pod.status?.containerStatuses ?? []).some((s) => [s.state.terminated, s.lastState.terminated].some((t) => t !== undefined && t.exitCode !== 0));
      if (crashed) {
        stop();
        resolve(Date.now());
      }
    });
  });
}

const run = promisify(execFile);

/** The failed release again, then undone by hand: returns ms from the failure being knowable to kubectl's "rolled out". */
async function byHand(sb: BenchSandbox, p: Project, broken: BrokenRelease): Promise<number> {
  const skopeo = (from: string) => run('skopeo', ['copy', '-q', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${p.repository}@${from}`, `docker://${p.repository}:dev`]);
  const known = new Set(sb.cluster.store.list('pods', { namespace: p.namespace }).items.map((o) => o.metadata.name ?? ''));
  const crashed = crashShows(sb, p.namespace, known);
  await skopeo(p.digests.v2);
  const set = await sb.kubectl(['-n', p.namespace, 'set', 'image', 'deployment/web', `web=${p.repository}:dev@${p.digests.v2}`]);
  if (set.code !== 0) throw new Error(`kubectl set image: ${set.stderr}`);
  let failedAt: number;
  if (broken.stage === 'rollout') failedAt = await crashed;
  else {
    // Known broken once it is rolled out and a check runs: the rollout's end, at the earliest.
    const done = await sb.kubectl(['-n', p.namespace, 'rollout', 'status', 'deployment/web', '--timeout=120s']);
    if (done.code !== 0) throw new Error(`kubectl rollout status of the broken release: ${done.stderr}`);
    failedAt = done.endedAt;
  }
  await skopeo(p.digests.v1);
  const undo = await sb.kubectl(['-n', p.namespace, 'rollout', 'undo', 'deployment/web']);
  if (undo.code !== 0) throw new Error(`kubectl rollout undo: ${undo.stderr}`);
  const status = await sb.kubectl(['-n', p.namespace, 'rollout', 'status', 'deployment/web', '--timeout=120s']);
  if (status.code !== 0) throw new Error(`kubectl rollout status after the undo: ${status.stderr}`);
  return status.endedAt - failedAt;
}

export const safe: Bench = {
  name: 'safe',
  async run(ctx) {
    const sb = await ctx.sandbox();
    const layer = busyboxLayer();
    const rows: Row[] = [];
    const figures: Record<string, unknown> = {};
    for (const broken of RELEASES) {
      const reported: number[] = [];
      const available: number[] = [];
      const baseline: number[] = [];
      const samples: unknown[] = [];
      for (let i = 0; i < ctx.runs; i++) {
        ctx.progress(`safe: ${broken.name}, run ${i + 1}/${ctx.runs}: deploy v1, then the broken v2`);
        const p = await project(sb, layer, `safe-${broken.name}-${Date.now().toString(36)}`, broken);
        const v1 = await deploy(sb, p, 'v1.0.0');
        if (v1.code !== 0) throw new Error(`deploying v1 failed (exit ${v1.code}):\n${v1.log.join('\n')}`);
        const back = backOn(sb, p.namespace, p.digests.v2, p.digests.v1);
        const v2 = await deploy(sb, p, 'v2.0.0');
        const revert = v2.result.revert;
        if (v2.code !== 1 || v2.result.failedStage !== broken.stage || !revert?.tagRestored || !revert.workloadsRestored) {
          back.stop();
          throw new Error(`the broken v2 was not reverted cleanly (exit ${v2.code}, ${v2.result.message}):\n${v2.log.join('\n')}`);
        }
        const availableAt = await back.at;
        const detectedAt = v2.result.rollout?.failure?.detectedAt;
        reported.push(revert.timeToSafeSeconds * 1000);
        available.push(detectedAt ? availableAt - Date.parse(detectedAt) : NaN);
        ctx.progress(`safe: ${broken.name}, run ${i + 1}/${ctx.runs}: the same failure undone by hand`);
        baseline.push(await byHand(sb, p, broken));
        samples.push({ failedStage: v2.result.failedStage, detectedAt, timeToSafeSeconds: revert.timeToSafeSeconds, availableAt, timings: v2.result.timings });
        await sb.dropNamespace(p.namespace);
      }
      rows.push(
        [`${broken.label}: by hand (baseline)`, secs(median(baseline)), secs(p95(baseline)), '1.00x', ''],
        [`${broken.label}: rollgate, tag restored and previous revision Available`, secs(median(reported)), secs(p95(reported)), ratio(median(reported), median(baseline)), verdict(p95(reported), TARGET_MS, secs)],
      );
      if (broken.stage === 'rollout') {
        rows.push([`${broken.label}: rollgate, previous revision rolled out (store)`, secs(median(available)), secs(p95(available)), ratio(median(available), median(baseline)), '']);
      }
      figures[broken.name] = { timeToSafeMs: reported, ...(broken.stage === 'rollout' ? { availableAgainMs: available } : {}), byHandMs: baseline, samples };
    }
    ctx.table(
      `Time to safe after a broken release (rollgate deploy --no-build; median / p95 of ${ctx.runs})`,
      ['release v2', 'median', 'p95', 'vs by hand', 'target p95 <= 30 s'],
      rows,
      [
        "rollgate: from the verdict (the rollout's, or the smoke test's) to the target tag restored and the previous revision Available: the deploy's timeToSafeSeconds.",
        'by hand: from the moment the failure can first be known (the crash in the API; the rollout done, for the smoke failure) to `kubectl rollout status` after `skopeo copy` of the previous digest and `kubectl rollout undo`. This favours the baseline: a person or script first has to notice.',
      ],
    );
    return { targetMs: TARGET_MS, ...figures };
  },
};
