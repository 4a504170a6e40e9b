// A deploy as users run it: the bundled CLI (dist/cli.js deploy --no-build) in a child process under /usr/bin/time,
// a good release and then one that crashes at start (reverted). Figures: the orchestration overhead of the good
// deploy (its wall time minus build, rollout and smoke, which wait on the cluster and the configured smoke duration)
// and the peak RSS of both, against bare node.
import { busyboxLayer } from '../sandbox/base-image.ts';
import type { Bench } from './context.ts';
import { CRASH, deployProcess, measured, project } from './deploy-project.ts';
import { median, p95, ratio, secs, verdict, type Row } from './report.ts';

const OVERHEAD_TARGET_MS = 3_000;
const RSS_TARGET_BYTES = 150 * 1024 * 1024;

const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : '-');

export const deploy: Bench = {
  name: 'deploy',
  async run(ctx) {
    const sb = await ctx.sandbox();
    const layer = busyboxLayer();
    const good = { wallMs: [] as number[], inRunMs: [] as number[], overheadMs: [] as number[], rolloutMs: [] as number[], smokeMs: [] as number[], rss: [] as number[] };
    const failing = { wallMs: [] as number[], rss: [] as number[] };
    const bare: number[] = [];
    const timings: unknown[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      ctx.progress(`deploy: run ${i + 1}/${ctx.runs}: dist/cli.js deploy of a good release, then of one that crashes`);
      bare.push((await measured([process.execPath, '-e', '0'])).maxRssBytes);
      const p = await project(sb, layer, `process-${Date.now().toString(36)}`, CRASH);
      const v1 = await deployProcess(sb, ctx.root, p, 'v1.0.0');
      if (v1.code !== 0) throw new Error(`dist/cli.js deploy v1 exited ${v1.code}:\n${v1.log.join('\n')}`);
      const t = v1.result.timings;
      const waiting = ((t.buildSeconds ?? 0) + (t.rolloutSeconds ?? 0) + (t.smokeSeconds ?? 0)) * 1000;
      good.wallMs.push(v1.ms);
      good.inRunMs.push((t.totalSeconds ?? NaN) * 1000 - waiting);
      good.overheadMs.push(v1.ms - waiting);
      good.rolloutMs.push((t.rolloutSeconds ?? NaN) * 1000);
      good.smokeMs.push((t.smokeSeconds ?? NaN) * 1000);
      good.rss.push(v1.maxRssBytes);
      const v2 = await deployProcess(sb, ctx.root, p, 'v2.0.0');
      if (v2.code !== 1 || v2.result.outcome !== 'reverted') throw new Error(`dist/cli.js deploy v2 should have been reverted, exited ${v2.code}:\n${v2.log.join('\n')}`);
      failing.wallMs.push(v2.ms);
      failing.rss.push(v2.maxRssBytes);
      timings.push({ good: t, failing: v2.result.timings });
      await sb.dropNamespace(p.namespace);
    }
    const row = (label: string, xs: number[], target = ''): Row => [label, secs(median(xs)), secs(p95(xs)), target];
    ctx.table(
      `Orchestration overhead of a good deploy (dist/cli.js deploy --no-build in a child process; median / p95 of ${ctx.runs})`,
      ['part', 'median', 'p95', 'target p95 <= 3 s'],
      [
        row('whole process (wall)', good.wallMs),
        row('  rollout: pods start and become Ready', good.rolloutMs),
        row('  smoke test (duration 1 s, interval 1 s in rollgate.yml)', good.smokeMs),
        row('overhead: wall - build - rollout - smoke', good.overheadMs, verdict(p95(good.overheadMs), OVERHEAD_TARGET_MS, secs)),
        row('  of which inside the run (its totalSeconds - the same)', good.inRunMs),
      ],
      ['No baseline runs this whole pipeline; the overhead is what rollgate adds on top of waiting for the cluster: process start, config, connect, registry lookups, lock, plan, tag moves, apply, exit.'],
    );
    ctx.table(
      `Peak RSS of a deploy process (/usr/bin/time; median / p95 of ${ctx.runs})`,
      ['process', 'median', 'p95', 'vs node -e 0', 'target p95 <= 150 MB'],
      [
        ['node -e 0 (baseline)', mb(median(bare)), mb(p95(bare)), '1.00x', ''],
        ['rollgate deploy, good release', mb(median(good.rss)), mb(p95(good.rss)), ratio(median(good.rss), median(bare)), verdict(p95(good.rss), RSS_TARGET_BYTES, mb)],
        ['rollgate deploy, crashing release reverted', mb(median(failing.rss)), mb(p95(failing.rss)), ratio(median(failing.rss), median(bare)), verdict(p95(failing.rss), RSS_TARGET_BYTES, mb)],
      ],
    );
    return { good, failing, nodeRssBytes: bare, timings };
  },
};
