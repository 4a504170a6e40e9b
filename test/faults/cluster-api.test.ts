// Faults 3, 4 and 8 of issue 8, at the Kubernetes API: 429 and 500 answered to the apply (retried, the deploy
// succeeds), the rollout's watches dropped while it runs and kept closed while the pod crashes or becomes ready
// (resumed, the same verdict, for a passing and a failing rollout), and a cluster guard that does not match (exit 4, and not one write to the registry or the cluster).
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { SavedDeploy } from '../../src/deploy/saved-state.ts';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy.ts';
import type { RequestRecord } from '../sandbox/kube/faults.ts';
import { deploymentState, useDeploySandbox, type Project, type Run } from '../e2e/deploy-sandbox.ts';
import type { Pod } from '../sandbox/kube/workload-types.ts';
import type { Gate } from './gate.ts';
import { apiGate, clusterWrites, editConfig, inNamespace, until } from './fault-sandbox.ts';

const t = useDeploySandbox();
const faults = () => t.sandbox.api.faults;
afterEach(() => faults().clear());

const log = (run: Run) => run.log.lines.join('\n');

/** Calls `arm` once, when the run is about to write its manifests to the cluster (its plan's dry runs are done). */
function whenApplying(arm: () => void | Promise<void>): { onRestoreState: (file: string | undefined) => Promise<void> } {
  let armed = false;
  return {
    onRestoreState: async (file) => {
      if (!file || armed || !(JSON.parse(readFileSync(file, 'utf8')) as SavedDeploy & { applying?: boolean }).applying) return;
      armed = true;
      await arm();
    },
  };
}

const paths = (p: Project) => ({
  secret: `/api/v1/namespaces/${p.namespace}/secrets/web-token`,
  service: `/api/v1/namespaces/${p.namespace}/services/web`,
  deployment: `/apis/apps/v1/namespaces/${p.namespace}/deployments/web`,
  pods: `/api/v1/namespaces/${p.namespace}/pods`,
  deployments: `/apis/apps/v1/namespaces/${p.namespace}/deployments`,
});

/** What the API server answered to the requests on one exact path, oldest first: `429!` for an injected fault. */
const answers = (requests: readonly RequestRecord[], method: string, path: string, watch = false) =>
  requests.filter((r) => r.method === method && r.path === path && r.watch === watch && !r.query.includes('dryRun')).map((r) => `${r.status}${r.fault ? '!' : ''}`);

describe('fault 3: the API server answers 429 or 500 to the apply', () => {
  it.each([429, 500])('%i twice to each object of the apply: retried, and the deploy succeeds', async (status) => {
    const p = t.project(`api${status}`);
    p.write({ mode: 'good', greeting: 'hello v1' });
    const at = paths(p);
    const hooks = whenApplying(() => {
      faults().resetCounters();
      for (const path of [at.secret, at.service, at.deployment]) faults().add({ method: 'PATCH', path, status, times: 2 });
    });
    const run = await t.deploy(p, 'v1.0.0', hooks);

    expect(run.code, log(run)).toBe(0);
    expect(run.result).toMatchObject({ outcome: 'deployed', smoke: { passed: true } });
    const v1 = run.result.images[0]!.digest;
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
    for (const path of [at.secret, at.service, at.deployment]) {
      expect(answers(faults().requests, 'PATCH', path), path).toEqual([`${status}!`, `${status}!`, expect.stringMatching(/^20[01]$/)]);
    }
  });
});

interface Dropped {
  /** Watches cut. */
  cut: number;
  /** The requests held at the gate meanwhile (the watches reopening). */
  held: readonly string[];
  /** The pod had already crashed or become ready when the watches were cut (the drop came too late to matter). */
  reachedBefore?: boolean;
}

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const hasCrashed = (pod: Pod) => pod.status?.containerStatuses?.some((c) => c.state?.terminated || c.lastState?.terminated) === true;

describe('fault 4: the watches dropped during the rollout', () => {
  // Once the rollout watches the namespace, every watch in it is cut mid-stream (as when the API server restarts),
  // and the watches reopening are held at a gate until the pod has got where the verdict is decided: crashed, or
  // ready. What decides the verdict then happened while the run had no watch open: it must come through the
  // resumed watches (or their relist), and be the verdict a run without the drop reaches.
  async function deployDropping(p: Project, podReached: (pod: Pod) => boolean): Promise<Run & Dropped> {
    const { gate, kubeconfig } = await apiGate(t, p.dir);
    const ended = new AbortController();
    let dropping: Promise<Dropped> = Promise.resolve({ cut: 0, held: [] });
    const hooks = whenApplying(() => void (dropping = dropAndHold(p, gate, podReached, ended.signal)));
    try {
      const run = await t.deploy(p, 'v1.0.0', { ...hooks, args: ['--kubeconfig', kubeconfig] });
      ended.abort();
      return { ...run, ...(await dropping) };
    } finally {
      await gate.close();
    }
  }

  async function dropAndHold(p: Project, gate: Gate, podReached: (pod: Pod) => boolean, ended: AbortSignal): Promise<Dropped> {
    await until(() => faults().openWatches(paths(p).pods) > 0, ended);
    const hold = gate.hold((method, path) => method === 'GET' && /[?&]watch=(true|1)\b/.test(path) && inNamespace(p, path));
    const pods = () => t.sandbox.store.list<Pod>('pods', { namespace: p.namespace }).items;
    const reachedBefore = pods().some(podReached);
    const cut = faults().dropWatches({ path: `/api/v1/namespaces/${p.namespace}/`, abrupt: true }) + faults().dropWatches({ path: `/apis/apps/v1/namespaces/${p.namespace}/`, abrupt: true });
    await until(() => pods().some(podReached), ended);
    hold.release();
    return { cut, held: hold.held, reachedBefore };
  }

  /**
   * The cut must come before the pod gets there, or the case proves nothing. On a loaded machine the container can
   * crash (or pass its probe) before the cut lands: that run is set aside and the case set up again, up to 3 times.
   */
  async function deployDroppingInTime(name: string, mode: 'good' | 'crash', podReached: (pod: Pod) => boolean): Promise<{ p: Project; run: Run & Dropped }> {
    for (let attempt = 1; ; attempt++) {
      const p = t.project(name);
      p.write({ mode, greeting: 'hello v1' });
      const run = await deployDropping(p, podReached);
      if (run.reachedBefore === false || attempt === 3) return { p, run };
    }
  }

  it('a passing rollout: resumed, deployed', async () => {
    const { p, run } = await deployDroppingInTime('watch-pass', 'good', isReady);

    expect(run.code, log(run)).toBe(0);
    expect(run.result).toMatchObject({ outcome: 'deployed', rollout: { workloads: [{ resource: `Deployment ${p.namespace}/web`, status: 'done' }] }, smoke: { passed: true } });
    expectCutAndHeld(p, run);
  });

  it('a failing rollout: resumed, the same crash-loop verdict, reverted', async () => {
    const { p, run } = await deployDroppingInTime('watch-fail', 'crash', hasCrashed);

    expect(run.code, log(run)).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'rollout',
      rollout: { failure: { rule: 'crash-loop', resource: `Deployment ${p.namespace}/web`, container: 'web' } },
      revert: { tagRestored: true, workloadsRestored: true },
    });
    expect(run.result.rollout!.failure!.message).toMatch(/crashes at start \(exit code 3, 0 restarts, allowRestarts: 0\)/);
    expect(log(run)).toContain('missing setting DATABASE_URL');
    expect(await t.deployment(p)).toBeUndefined();
    expectCutAndHeld(p, run);
  });

  function expectCutAndHeld(p: Project, run: Dropped): void {
    expect(run.cut).toBeGreaterThan(0);
    expect(run.reachedBefore).toBe(false);
    expect(run.held).toContainEqual(expect.stringMatching(new RegExp(`^GET ${paths(p).pods}\\?.*watch=`)));
  }
});

describe('fault 8: the cluster guard does not match', () => {
  // One project on v1 for every case: none of them may change it.
  let shared: Promise<{ p: Project; v1: string; proxy: FaultProxy }> | undefined;
  const onV1 = () =>
    (shared ??= (async () => {
      // Everyone who could write to the registry (rollgate, docker's push) goes through a proxy that counts.
      const proxy = await startFaultProxy(`http://${inject('registryHost')}`);
      return { ...(await t.v1Deployed('guard', { registry: proxy.host })), proxy };
    })());
  afterAll(async () => (await shared)?.proxy.close());

  it.each([
    {
      what: "the environment's apiServer is another cluster's",
      edit: (c: Record<string, any>) => void (c.environments.dev.apiServer = 'https://prd.gke.example'),
      args: [],
      code: 4,
      problem: /^cluster guard: environment "dev" expects API server https:\/\/prd\.gke\.example, but context "sandbox" points at https:\/\/127\.0\.0\.1:\d+$/,
    },
    {
      what: "--context names another context than the environment's kubeContext",
      edit: (c: Record<string, any>) => void (c.environments.dev.kubeContext = 'gke_acme_us-central1_prd'),
      args: ['--context', 'sandbox'],
      // Caught while the config is read, before any connection: an invalid input (exit 2), not the guard's exit 4.
      code: 2,
      problem: /rollgate\.yml:\d+:\d+: environments\.dev\.kubeContext: environment dev deploys through context "gke_acme_us-central1_prd", but context "sandbox" was given/,
    },
    {
      what: "the environment's kubeContext is not in the kubeconfig",
      edit: (c: Record<string, any>) => void (c.environments.dev.kubeContext = 'gke_acme_us-central1_prd'),
      args: [],
      code: 4,
      problem: /^kubeconfig context "gke_acme_us-central1_prd" is not in \S+\/kubeconfig \(contexts: sandbox\)$/,
    },
  ])('$what: exit $code, not one write to the registry or the cluster', async ({ edit, args, code, problem }) => {
    const { p, v1, proxy } = await onV1();
    const before = await t.deployment(p);
    p.write({ mode: 'good', greeting: 'hello v2' });
    editConfig(p, edit);
    proxy.reset();
    faults().resetCounters();
    const run = await t.deploy(p, 'v2.0.0', { args });

    expect(run.code, log(run)).toBe(code);
    expect(run.result.outcome).toBe(code === 4 ? 'blocked' : 'invalid');
    expect([run.result.message, ...(run.result.problems ?? [])].join('\n')).toMatch(problem);
    expect(proxy.writes()).toEqual([]);
    expect(clusterWrites(t, { dryRun: true })).toEqual([]);
    expect(await t.tagDigest(p, 'v2.0.0')).toBeUndefined();
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    expect((await t.deployment(p))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });
});
