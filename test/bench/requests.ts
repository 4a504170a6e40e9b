// API requests made while waiting on a slow rollout (pods Ready only after a long readiness initialDelay):
// rollgate's tracker (watches) against the ways others wait: polling GETs of the Deployment (k8s-deploy-style
// scripts, kubectl's fallback) at 1 s and 5 s, and `kubectl rollout status` itself (list + watch). Requests are
// counted at the emulator. The tracker and the pollers wait at the same time on identical rollouts in namespaces of
// their own (a request is theirs by its namespace path; the pollers send nothing else); kubectl waits alone after.
import type { KubeCluster } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/kube/cluster.ts';
import { trackRollout, workloadsOf } from '../../src/kube/rollout/tracker.ts';
import { deployment, server } from '../kube/tracker-cluster.ts';
import type { RequestRecord } from '../sandbox/kube/faults.ts';
import { envNumber, type Bench } from './context.ts';
import { rolledOut, type DeploymentStatus } from './deployment-status.ts';
import { duration, median, ratio, secs, type Row } from './report.ts';
import type { BenchSandbox } from './sandbox.ts';

const NAME = 'slow';
const REPLICAS = 2;

function slowRollout(ns: string, image: string, readyAfterS: number): KubeObject {
  return deployment(ns, NAME, server(image, { readinessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: readyAfterS, periodSeconds: 1 } }), { replicas: REPLICAS });
}

/** Resolves with the ms the Deployment in `ns` is rolled out, read from the emulator's store. */
function doneAt(sb: BenchSandbox, ns: string): Promise<number> {
  return new Promise((resolve) => {
    const stop = sb.cluster.store.watch('deployments.apps', { namespace: ns }, (e) => {
      if (e.object.metadata.name === NAME && rolledOut(e.object as unknown as DeploymentStatus)) {
        stop();
        resolve(Date.now());
      }
    });
  });
}

/** GET the Deployment every `intervalMs` until it is rolled out; resolves with the ms it noticed. */
async function poll(cluster: KubeCluster, ns: string, intervalMs: number): Promise<number> {
  const path = `/apis/apps/v1/namespaces/${ns}/deployments/${NAME}`;
  for (;;) {
    const res = await cluster.request(path);
    if (res.ok && rolledOut((await res.json()) as DeploymentStatus)) return Date.now();
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface Waiter {
  label: string;
  requests: RequestRecord[];
  noticedAt: number;
  doneAt: number;
  startedAt: number;
}

function row(w: Waiter, baseline?: Waiter): Row {
  const watches = w.requests.filter((r) => r.watch).length;
  return [
    w.label,
    w.requests.length,
    watches,
    w.requests.length - watches,
    duration(w.noticedAt - w.doneAt),
    secs(w.noticedAt - w.startedAt),
    baseline ? ratio(w.requests.length, baseline.requests.length) : '1.00x',
  ];
}

const settle = () => new Promise((r) => setTimeout(r, 500)); // the emulator logs a watch when its connection closes

export const requests: Bench = {
  name: 'requests',
  async run(ctx) {
    const readyAfterS = envNumber('BENCH_SLOW_READY_S', 20);
    const sb = await ctx.sandbox();
    const faults = sb.cluster.api.faults;
    const tag = Date.now().toString(36);
    const ns = { rollgate: `wait-rollgate-${tag}`, poll1: `wait-poll1-${tag}`, poll5: `wait-poll5-${tag}`, kubectl: `wait-kubectl-${tag}` };
    const waiters: Waiter[] = [];

    ctx.progress(`requests: rollgate and the polling loops wait on ${readyAfterS} s rollouts`);
    const cluster = await sb.connect();
    const pollers = await sb.connect();
    try {
      for (const n of [ns.rollgate, ns.poll1, ns.poll5]) {
        await sb.namespace(n);
        // rollgate's own connection applies, so its discovery is warm as in a deploy.
        await cluster.apply(slowRollout(n, sb.image, readyAfterS), { fieldManager: 'rollgate', force: true });
      }
      const done = [doneAt(sb, ns.rollgate), doneAt(sb, ns.poll1), doneAt(sb, ns.poll5)] as const;
      faults.resetCounters();
      const startedAt = Date.now();
      const [tracked, poll1, poll5] = await Promise.all([
        trackRollout(cluster, workloadsOf([slowRollout(ns.rollgate, sb.image, readyAfterS)]), { timeoutMs: (readyAfterS + 60) * 1000, since: startedAt }).then((r) => {
          if (r.status !== 'done') throw new Error(`the slow rollout did not end done: ${r.failure?.diagnosis ?? r.status}`);
          return Date.now();
        }),
        poll(pollers, ns.poll1, 1_000),
        poll(pollers, ns.poll5, 5_000),
      ]);
      await settle();
      const all = [...faults.requests];
      const inNamespace = (n: string) => (r: RequestRecord) => r.path.includes(`/namespaces/${n}/`);
      const namespaced = (r: RequestRecord) => r.path.includes('/namespaces/');
      const [doneRollgate, donePoll1, donePoll5] = await Promise.all(done);
      waiters.push({ label: 'rollgate tracker (watches)', requests: all.filter((r) => inNamespace(ns.rollgate)(r) || !namespaced(r)), noticedAt: tracked, doneAt: doneRollgate, startedAt });
      waiters.push({ label: 'poll: GET the Deployment every 1 s', requests: all.filter(inNamespace(ns.poll1)), noticedAt: poll1, doneAt: donePoll1, startedAt });
      waiters.push({ label: 'poll: GET the Deployment every 5 s', requests: all.filter(inNamespace(ns.poll5)), noticedAt: poll5, doneAt: donePoll5, startedAt });
    } finally {
      await cluster.close();
      await pollers.close();
    }

    ctx.progress('requests: kubectl rollout status waits alone');
    await sb.namespace(ns.kubectl);
    const admin = await sb.connect();
    try {
      await admin.apply(slowRollout(ns.kubectl, sb.image, readyAfterS), { fieldManager: 'rollgate', force: true });
    } finally {
      await admin.close();
    }
    const done = doneAt(sb, ns.kubectl);
    faults.resetCounters();
    const run = await sb.kubectl(['-n', ns.kubectl, 'rollout', 'status', `deployment/${NAME}`, `--timeout=${readyAfterS + 60}s`]);
    if (run.code !== 0) throw new Error(`kubectl rollout status failed: ${run.stderr}`);
    await settle();
    waiters.push({ label: 'kubectl rollout status (list + watch)', requests: [...faults.requests], noticedAt: run.endedAt, doneAt: await done, startedAt: run.startedAt });
    for (const n of Object.values(ns)) await sb.dropNamespace(n, { wait: true });

    const [ours, ...others] = waiters as [Waiter, ...Waiter[]];
    const poll1 = others[0]!;
    ctx.table(
      `API requests while waiting on a slow rollout (${REPLICAS} replicas Ready after a ${readyAfterS} s readiness initialDelay)`,
      ['waiter', 'requests', 'watches', 'other', 'noticed after done', 'waited', 'vs poll 1 s'],
      [row(ours, poll1), row(poll1), row(others[1]!, poll1), row(others[2]!, poll1)],
      ['requests counted at the emulator; "noticed after done": from the Deployment meeting kubectl\'s rolled-out test in the store to the waiter saying so.'],
    );
    return {
      readyAfterSeconds: readyAfterS,
      replicas: REPLICAS,
      waiters: waiters.map((w) => ({
        label: w.label,
        requests: w.requests.length,
        watches: w.requests.filter((r) => r.watch).length,
        noticedAfterDoneMs: w.noticedAt - w.doneAt,
        waitedMs: w.noticedAt - w.startedAt,
        paths: [...new Set(w.requests.map((r) => `${r.method} ${r.path}${r.watch ? ' (watch)' : ''}`))],
      })),
    };
  },
};
