// The deploy lock against the emulator: two runs contending for one environment's Lease.
import { describe, expect, it } from 'vitest';
import { BlockedError } from '../../src/errors.ts';
import type { Cluster, ObjectRef } from '../../src/kube/cluster.ts';
import { DeployLock, leaseName, microTime, runId, type LeaseSpec } from '../../src/kube/lock.ts';
import { waitFor } from '../sandbox/kube/test-helpers.ts';
import { useSandboxApi } from './sandbox-api.ts';

const sandbox = useSandboxApi();
const LEASES = 'leases.coordination.k8s.io';

function lock(namespace: string, holder: string, options: Partial<ConstructorParameters<typeof DeployLock>[0]> = {}): DeployLock {
  return new DeployLock({ cluster: sandbox.cluster, environment: 'prd', namespace, holder, timeoutMs: 60_000, ...options });
}

const leaseSpec = (namespace: string) => sandbox.api.store.get<{ metadata: object; spec?: LeaseSpec }>(LEASES, namespace, 'rollgate-prd')?.spec;

/** The cluster, but its first two reads answer only once both have been made. */
function readTogether(cluster: Cluster): Cluster {
  const first: Array<() => void> = [];
  let reads = 0;
  return {
    server: cluster.server,
    context: cluster.context,
    list: cluster.list.bind(cluster),
    watch: cluster.watch.bind(cluster),
    apply: cluster.apply.bind(cluster),
    delete: cluster.delete.bind(cluster),
    replace: cluster.replace.bind(cluster),
    create: cluster.create.bind(cluster),
    podLogs: cluster.podLogs.bind(cluster),
    request: cluster.request.bind(cluster),
    get: async (ref: ObjectRef) => {
      const result = await cluster.get(ref);
      if (++reads <= 2) {
        await new Promise<void>((resolve) => {
          first.push(resolve);
          if (first.length === 2) first.forEach((r) => r());
        });
      }
      return result;
    },
  };
}

/** Resolves once a run is waiting on the Lease (its watch is open), so the test acts while it waits. */
async function waiting(namespace: string): Promise<void> {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
  while (sandbox.api.faults.openWatches(path) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('DeployLock', () => {
  it('takes a free environment at once, with a Lease naming the run', async () => {
    const ns = await sandbox.namespace('lock-free');
    const a = lock(ns, 'runner-a/101/9001');
    await a.acquire();
    expect(a.held).toBe(true);
    const spec = leaseSpec(ns)!;
    expect(spec).toMatchObject({ holderIdentity: 'runner-a/101/9001', leaseDurationSeconds: 30, leaseTransitions: 0 });
    expect(spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await a.release();
    expect(leaseSpec(ns)!.holderIdentity).toBeUndefined();
    expect(a.held).toBe(false);
  });

  it('a second run waits while the first holds it, and takes it as soon as the first releases', async () => {
    const ns = await sandbox.namespace('lock-wait');
    const a = lock(ns, 'runner-a/101/9001');
    const b = lock(ns, 'runner-b/202/9002');
    await a.acquire();
    let bHolds = false;
    const bAcquired = b.acquire().then(() => void (bHolds = true));
    await waiting(ns);
    expect(bHolds).toBe(false);
    expect(leaseSpec(ns)!.holderIdentity).toBe('runner-a/101/9001');
    await a.release();
    await bAcquired;
    expect(leaseSpec(ns)).toMatchObject({ holderIdentity: 'runner-b/202/9002', leaseTransitions: 0 });
    await b.release();
  });

  it('gives up after lockTimeout with BlockedError naming the holder and since when', async () => {
    const ns = await sandbox.namespace('lock-timeout');
    const a = lock(ns, 'runner-a/101/9001');
    await a.acquire();
    const since = leaseSpec(ns)!.acquireTime!.replace(/\.\d+Z$/, 'Z');
    sandbox.api.faults.resetCounters();
    const err = await lock(ns, 'runner-b/202/9002', { timeoutMs: 300 }).acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedError);
    expect((err as Error).message).toMatch(
      new RegExp(`^the deploy lock of environment "prd" \\(Lease lock-timeout/rollgate-prd\\) is held by runner-a/101/9001 since ${since}, last renewed .*; waited \\d+ms \\(lockTimeout\\)$`),
    );
    // Waiting is watching, not writing.
    expect(sandbox.api.faults.writeCount({ path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases` })).toBe(0);
    await a.release();
  });

  it('takes over a Lease whose holder stopped renewing (renewTime + duration in the past)', async () => {
    const ns = await sandbox.namespace('lock-expired');
    const long = Date.now() - 10 * 60_000;
    sandbox.api.store.create(LEASES, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'rollgate-prd', namespace: ns },
      spec: { holderIdentity: 'crashed-runner/7/1', leaseDurationSeconds: 30, acquireTime: microTime(long), renewTime: microTime(long), leaseTransitions: 3 },
    });
    const b = lock(ns, 'runner-b/202/9002', { timeoutMs: 1_000 });
    await b.acquire();
    expect(leaseSpec(ns)).toMatchObject({ holderIdentity: 'runner-b/202/9002', leaseTransitions: 4 });
    await b.release();
  });

  it('a waiting run takes over when the holder stops renewing, without any change to the Lease to wake it', async () => {
    const ns = await sandbox.namespace('lock-expires-while-waiting');
    // A holder whose claim runs out a moment from now and who never comes back.
    const renewed = Date.now() - 29_700;
    sandbox.api.store.create(LEASES, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'rollgate-prd', namespace: ns },
      spec: { holderIdentity: 'vanished/9/9', leaseDurationSeconds: 30, acquireTime: microTime(renewed), renewTime: microTime(renewed) },
    });
    const b = lock(ns, 'runner-b/202/9002', { timeoutMs: 20_000 });
    await b.acquire();
    expect(leaseSpec(ns)).toMatchObject({ holderIdentity: 'runner-b/202/9002', leaseTransitions: 1 });
    await b.release();
  });

  it.each([
    ['no Lease yet (both create it: AlreadyExists)', false],
    ['an expired Lease (both replace the same resourceVersion: Conflict)', true],
  ])('two runs racing for %s: exactly one wins, the other waits', async (_, expired) => {
    const ns = await sandbox.namespace(`lock-race-${expired ? 'expired' : 'fresh'}`);
    if (expired) {
      const long = microTime(Date.now() - 10 * 60_000);
      sandbox.api.store.create(LEASES, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'rollgate-prd', namespace: ns },
        spec: { holderIdentity: 'crashed-runner/7/1', leaseDurationSeconds: 30, renewTime: long },
      });
    }
    sandbox.api.faults.resetCounters();
    // Both runs read the Lease before either writes: the race, every time.
    const cluster = readTogether(sandbox.cluster);
    const runs = [lock(ns, 'runner-a/1/1', { timeoutMs: 200, cluster }), lock(ns, 'runner-b/2/2', { timeoutMs: 200, cluster })];
    const outcomes = await Promise.allSettled(runs.map((r) => r.acquire()));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = runs[outcomes.findIndex((o) => o.status === 'fulfilled')]!;
    expect(leaseSpec(ns)!.holderIdentity).toBe(winner.holder);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(BlockedError);
    const writes = sandbox.api.faults.requests.filter((r) => r.path.includes('/leases') && (r.method === 'POST' || r.method === 'PUT'));
    expect(writes.map((r) => r.status).sort()).toEqual(expired ? [200, 409] : [201, 409]);
    await winner.release();
  });

  it('renews the Lease while held', async () => {
    const ns = await sandbox.namespace('lock-renew');
    const a = lock(ns, 'runner-a/101/9001', { renewIntervalMs: 20 });
    await a.acquire();
    const first = leaseSpec(ns)!.renewTime!;
    const renewed = await waitFor<{ metadata: object; spec?: LeaseSpec }>(sandbox.api.store, LEASES, ns, 'rollgate-prd', (l) => l.spec!.renewTime! > first);
    expect(renewed.spec!.holderIdentity).toBe('runner-a/101/9001');
    await a.release();
  });

  it('notices when someone else took the Lease, and says so through its signal', async () => {
    const ns = await sandbox.namespace('lock-lost');
    const lostErrors: Error[] = [];
    const a = lock(ns, 'runner-a/101/9001', { renewIntervalMs: 20, onLost: (e) => lostErrors.push(e) });
    await a.acquire();
    sandbox.api.store.mutate(LEASES, ns, 'rollgate-prd', (l) => void ((l.spec as LeaseSpec).holderIdentity = 'intruder/1/1'));
    await new Promise((resolve) => a.signal.addEventListener('abort', resolve, { once: true }));
    expect(a.held).toBe(false);
    expect(lostErrors).toHaveLength(1);
    expect(lostErrors[0]!.message).toMatch(/^lost the deploy lock of environment "prd": Lease lock-lost\/rollgate-prd is now held by intruder\/1\/1/);
    expect(a.signal.reason).toBe(lostErrors[0]);
    // Releasing a lock that is no longer ours leaves the new holder alone.
    await a.release();
    expect(leaseSpec(ns)!.holderIdentity).toBe('intruder/1/1');
  });

  it('needs the namespace: a first deploy applies the Namespace, then takes the lock', async () => {
    const err = await lock('not-yet-created', 'runner-a/1/1').acquire().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^the deploy lock of environment "prd" lives in namespace "not-yet-created", which does not exist: apply the Namespace before taking the lock/);
  });
});

describe('names', () => {
  it('names the Lease after the environment', () => {
    expect(leaseName('prd')).toBe('rollgate-prd');
    expect(leaseName('Staging_EU')).toBe('rollgate-staging-eu');
  });

  it('identifies a run by host, process and CI run', () => {
    expect(runId({ GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '2' })).toMatch(new RegExp(`^[^/]+/${process.pid}/9001\\.2$`));
    expect(runId({ CI_JOB_ID: '77' })).toMatch(/\/77$/);
    expect(runId({})).toMatch(/\/local$/);
  });
});
