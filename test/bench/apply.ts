// Applying 200 objects (ConfigMaps, and a few Deployments with their Services) with rollgate's apply stage (read
// and validate the folder, plan: snapshot and dry-run preview, then grouped server-side apply) against
// `kubectl apply --server-side -f DIR` on the same emulator, each into a fresh namespace. Requests are counted at
// the emulator. The Deployments' pods go to the `virtual` node, which runs nothing, so containers starting do not
// weigh on the figure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/kube/cluster.ts';
import { applyPlan } from '../../src/kube/apply/apply.ts';
import { planApply } from '../../src/kube/apply/plan.ts';
import { DEFAULT_CONCURRENCY } from '../../src/kube/apply/bounded.ts';
import { readManifests } from '../../src/kube/manifests/read.ts';
import { VIRTUAL_NODE } from '../sandbox/kube/nodes.ts';
import { envNumber, type Bench } from './context.ts';
import { median, ms, p95, ratio, verdict, type Row } from './report.ts';
import type { BenchSandbox } from './sandbox.ts';

const WORKLOADS = 5;

/** `total` objects without a namespace: WORKLOADS Deployments and Services, ConfigMaps for the rest; 10 per file. */
function writeManifests(dir: string, total: number, image: string): void {
  mkdirSync(dir, { recursive: true });
  const objects: KubeObject[] = [];
  for (let i = 0; i < WORKLOADS; i++) {
    const name = `web-${i}`;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            nodeName: VIRTUAL_NODE,
            containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }], envFrom: [{ configMapRef: { name: `settings-${i}` } }], readinessProbe: { httpGet: { path: '/', port: 8080 } } }],
          },
        },
      },
    });
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  for (let i = 0; objects.length < total; i++) {
    const data = Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`KEY_${k}`, `value ${i}.${k} `.repeat(8).trim()]));
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}` }, data });
  }
  for (let f = 0; f * 10 < objects.length; f++) {
    writeFileSync(join(dir, `${String(f).padStart(3, '0')}.yaml`), objects.slice(f * 10, f * 10 + 10).map((o) => stringify(o)).join('---\n'));
  }
}

interface Timing {
  totalMs: number;
  requests: number;
  writes: number;
  /** rollgate only: the stage's parts. */
  readMs?: number;
  planMs?: number;
  applyMs?: number;
}

async function rollgateApply(sb: BenchSandbox, dir: string, ns: string): Promise<Timing> {
  // Connected beforehand, as a deploy is by the time it applies.
  const cluster = await sb.connect();
  try {
    sb.cluster.api.faults.resetCounters();
    const start = performance.now();
    const manifests = await readManifests({ name: 'bench', namespace: ns, manifests: [dir] });
    const read = performance.now();
    const plan = await planApply(cluster, manifests.map((m) => m.object), { force: false });
    const planned = performance.now();
    const result = await applyPlan(cluster, plan, { force: false });
    const end = performance.now();
    if (result.failures.length > 0) throw new Error(`rollgate apply failed: ${result.failures.map((f) => f.message).join('; ')}`);
    return { totalMs: end - start, readMs: read - start, planMs: planned - read, applyMs: end - planned, ...counts(sb) };
  } finally {
    await cluster.close();
  }
}

async function kubectlApply(sb: BenchSandbox, dir: string, ns: string): Promise<Timing> {
  sb.cluster.api.faults.resetCounters();
  const start = performance.now();
  const run = await sb.kubectl(['apply', '--server-side', '-n', ns, '-f', dir]);
  const end = performance.now();
  if (run.code !== 0) throw new Error(`kubectl apply failed: ${run.stderr}`);
  return { totalMs: end - start, ...counts(sb) };
}

function counts(sb: BenchSandbox): { requests: number; writes: number } {
  const faults = sb.cluster.api.faults;
  return { requests: faults.requests.length, writes: faults.writeCount() };
}

export const apply: Bench = {
  name: 'apply',
  async run(ctx) {
    const total = envNumber('BENCH_APPLY_OBJECTS', 200);
    const sb = await ctx.sandbox();
    const dir = join(sb.dir, 'apply-manifests');
    writeManifests(dir, total, sb.image);
    const ours = { fresh: [] as Timing[], again: [] as Timing[] };
    const theirs = { fresh: [] as Timing[], again: [] as Timing[] };
    // One untimed round each first: kubectl fills its discovery cache, node compiles rollgate's code paths.
    for (let i = -1; i < ctx.runs; i++) {
      ctx.progress(`apply: ${total} objects, ${i < 0 ? 'warm-up' : `run ${i + 1}/${ctx.runs}`}`);
      for (const [who, into, go] of [['rollgate', ours, rollgateApply], ['kubectl', theirs, kubectlApply]] as const) {
        const ns = await sb.namespace(`apply-${who}-${i + 1}`);
        const fresh = await go(sb, dir, ns);
        // The same folder again: every object exists (a deploy that changes only the image looks like this).
        const again = await go(sb, dir, ns);
        if (i >= 0) {
          into.fresh.push(fresh);
          into.again.push(again);
        }
        // Deleting 200 objects is work for the emulator: done before the next measurement starts.
        await sb.dropNamespace(ns, { wait: true });
      }
    }
    const m = (ts: Timing[], f: (t: Timing) => number | undefined) => median(ts.map((t) => f(t) ?? NaN));
    const total_ = (t: Timing) => t.totalMs;
    const rows = (label: string, o: Timing[], k: Timing[], judged: boolean): Row[] => [
      [`${label}: kubectl apply --server-side -f DIR (baseline)`, ms(m(k, total_)), ms(p95(k.map(total_))), m(k, (t) => t.requests), m(k, (t) => t.writes), '1.00x', ''],
      [
        `${label}: rollgate apply stage (read + plan + apply)`,
        ms(m(o, total_)),
        ms(p95(o.map(total_))),
        m(o, (t) => t.requests),
        m(o, (t) => t.writes),
        ratio(m(o, total_), m(k, total_)),
        judged ? verdict(m(o, total_) / m(k, total_), 0.5, (n) => `${n.toFixed(2)}x`) : '',
      ],
      ['  read and validate the folder', ms(m(o, (t) => t.readMs)), '', '', '', '', ''],
      ['  plan: snapshot (a LIST per kind and namespace), dry-run preview of existing objects', ms(m(o, (t) => t.planMs)), '', '', '', '', ''],
      [`  apply: server-side, grouped, ${DEFAULT_CONCURRENCY} at a time`, ms(m(o, (t) => t.applyMs)), '', '', '', ratio(m(o, (t) => t.applyMs), m(k, total_)), ''],
    ];
    ctx.table(
      `Apply ${total} objects (${total - 2 * WORKLOADS} ConfigMaps, ${WORKLOADS} Deployments, ${WORKLOADS} Services), rollgate vs kubectl on the same emulator (median of ${ctx.runs})`,
      ['what', 'median', 'p95', 'requests', 'writes', 'vs kubectl', 'target <= 0.5x'],
      [...rows('fresh namespace', ours.fresh, theirs.fresh, true), ...rows('again, all exist', ours.again, theirs.again, false)],
      [
        "kubectl's time is its whole process (start, kubeconfig, discovery from its warm cache, apply); rollgate's starts from a connected client.",
        'writes count dry-run PATCHes too. The target is judged on the fresh namespace, as asked; the second pair is what a routine deploy sees.',
      ],
    );
    const oursMs = m(ours.fresh, total_);
    const theirsMs = m(theirs.fresh, total_);
    return { objects: total, runs: ctx.runs, rollgate: ours, kubectl: theirs, ratio: oursMs / theirsMs };
  },
};
