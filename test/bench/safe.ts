// Time to safe: `rollgate deploy` (the CLI's path, --no-build of version tags pushed beforehand) of a broken
// release after a good one, from the verdict to the target tag restored and the previous revision Available again
// (the deploy's timeToSafeSeconds). Two releases: one that crashes at start (the rollout verdict comes while the
// old pod still serves) and one that rolls out and then fails the smoke test (the old pods are gone and must start
// again). For the first the bench also reads, from the emulator's store, when the Deployment is back on the
// previous digest and rolled out. Baseline: the same undo by hand with the standard tools, started the moment the
// failure can first be known (the crash in the API; the rollout done, for the smoke failure): `skopeo copy` of
// the previous digest to the target tag, `kubectl rollout undo`, `kubectl rollout status`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { busyboxLayer } from '../sandbox/base-image.ts';
import type { Pod } from '../sandbox/kube/workload-types.ts';
import type { Bench } from './context.ts';
import { CRASH, deployHere, project, serve, type Project } from './deploy-project.ts';
import { rolledOut, templateImages, type DeploymentStatus } from './deployment-status.ts';
import { median, p95, ratio, secs, verdict, type Row } from './report.ts';
import type { BenchSandbox } from './sandbox.ts';

const TARGET_MS = 30_000;

interface BrokenRelease {
  name: string;
  label: string;
  command: string[];
  stage: 'rollout' | 'smoke';
}

const RELEASES: BrokenRelease[] = [
  { name: 'crash', label: 'crashes at start', command: CRASH, stage: 'rollout' },
  { name: 'smoke', label: 'rolls out, fails the smoke test', command: serve('broken'), stage: 'smoke' },
];

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
        const p = await project(sb, layer, `safe-${broken.name}-${Date.now().toString(36)}`, broken.command);
        const v1 = await deployHere(sb, p, 'v1.0.0');
        if (v1.code !== 0) throw new Error(`deploying v1 failed (exit ${v1.code}):\n${v1.log.join('\n')}`);
        const back = backOn(sb, p.namespace, p.digests.v2, p.digests.v1);
        const v2 = await deployHere(sb, p, 'v2.0.0');
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
