import { afterEach, describe, expect, it } from 'vitest';
import { nodeManifest, virtualNode } from './nodes.ts';
import { fitErrorMessage, nodeFits, podRequests, Scheduler } from './scheduler.ts';
import { ObjectStore } from './store.ts';
import { condition, podManifest, waitFor, waitForEvent } from './test-helpers.ts';
import type { Pod } from './workload-types.ts';

const asking = (name: string, cpu: string, memory = '64Mi') =>
  podManifest(name, [{ name: 'app', image: 'x', resources: { requests: { cpu, memory } } }]);

describe('fit', () => {
  const node = nodeManifest('sandbox', { cpu: '2', memory: '4Gi', pods: '110' });

  it('adds container requests, taking limits where requests are missing', () => {
    const pod = podManifest('p', [
      { name: 'a', image: 'x', resources: { requests: { cpu: '250m' } } },
      { name: 'b', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } },
    ]);
    expect(podRequests(pod)).toEqual({ milliCpu: 1250, memory: 2 ** 30 });
  });

  it.each([
    [[], '1500m', { fits: true }],
    [[asking('big', '1')], '1500m', { fits: false, reasons: ['Insufficient cpu'], preemptionHelps: true }],
    [[asking('big', '1')], '1', { fits: true }],
  ])('on a 2-CPU node running %j, a pod asking %s', (running, cpu, verdict) => {
    expect(nodeFits(asking('new', cpu), node, running)).toEqual(verdict);
  });

  it('keeps pods off a tainted node unless they tolerate it', () => {
    expect(nodeFits(asking('p', '1'), virtualNode(), [])).toEqual({
      fits: false,
      reasons: ['node(s) had untolerated taint {sandbox.rollgate.dev/virtual: }'],
      preemptionHelps: false,
    });
    const tolerant = asking('p', '1');
    tolerant.spec.tolerations = [{ key: 'sandbox.rollgate.dev/virtual', operator: 'Exists' }];
    expect(nodeFits(tolerant, virtualNode(), [])).toEqual({ fits: true });
  });

  it('words a FitError as kube-scheduler does, reasons sorted, with the preemption verdict', () => {
    expect(
      fitErrorMessage([
        { fits: false, reasons: ['Insufficient memory', 'Insufficient cpu'], preemptionHelps: true },
        { fits: false, reasons: ['node(s) had untolerated taint {sandbox.rollgate.dev/virtual: }'], preemptionHelps: false },
      ]),
    ).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) had untolerated taint {sandbox.rollgate.dev/virtual: }. ' +
        'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
  });
});

describe('Scheduler', () => {
  let scheduler: Scheduler | undefined;
  afterEach(() => scheduler?.stop());

  function cluster(): ObjectStore {
    const store = new ObjectStore();
    store.create('nodes', nodeManifest('sandbox', { cpu: '2', memory: '4Gi', pods: '110' }));
    store.create('nodes', virtualNode());
    scheduler = new Scheduler(store);
    scheduler.start();
    return store;
  }

  it('binds a pod that fits to the sandbox node, with PodScheduled and a Scheduled event', async () => {
    const store = cluster();
    store.create('pods', asking('web', '500m'));
    const bound = await waitFor<Pod>(store, 'pods', 'default', 'web', (p) => p.spec.nodeName === 'sandbox');
    expect(condition(bound, 'PodScheduled')).toMatchObject({ status: 'True' });
    expect(bound.status?.phase).toBe('Pending');
    const event = await waitForEvent(store, 'default', 'web', 'Scheduled');
    expect([event.type, event.message, event.source.component]).toEqual(['Normal', 'Successfully assigned default/web to sandbox', 'default-scheduler']);
  });

  it('leaves a pod asking for too much CPU Pending until room is made', async () => {
    const store = cluster();
    store.create('pods', asking('hog', '1500m'));
    await waitFor<Pod>(store, 'pods', 'default', 'hog', (p) => p.spec.nodeName === 'sandbox');
    store.create('pods', asking('late', '1'));
    const pending = await waitFor<Pod>(store, 'pods', 'default', 'late', (p) => condition(p, 'PodScheduled')?.status === 'False');
    const message =
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {sandbox.rollgate.dev/virtual: }. ' +
      'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.';
    expect(condition(pending, 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(pending.status?.phase).toBe('Pending');
    expect((await waitForEvent(store, 'default', 'late', 'FailedScheduling')).message).toBe(message);
    store.delete('pods', 'default', 'hog');
    await waitFor<Pod>(store, 'pods', 'default', 'late', (p) => p.spec.nodeName === 'sandbox' && condition(p, 'PodScheduled')?.status === 'True');
  });

  it('leaves pods created on a node alone', async () => {
    const store = cluster();
    store.create('pods', podManifest('replayed', [{ name: 'app', image: 'x' }], { nodeName: 'virtual' }));
    store.create('pods', asking('after', '100m'));
    await waitFor<Pod>(store, 'pods', 'default', 'after', (p) => Boolean(p.spec.nodeName));
    expect(store.get<Pod>('pods', 'default', 'replayed')?.status).toBeUndefined();
  });
});
