// StatefulSet, DaemonSet and Job controllers on the object store; pod status is written by a stand-in kubelet
// (pods on the `virtual` node keep what is written), so only the controllers' behaviour is under test.
import { afterEach, describe, expect, it } from 'vitest';
import { Admission } from './controllers-admission.ts';
import { startDaemonSetController } from './controllers-daemonset.ts';
import { startJobController } from './controllers-job.ts';
import { startStatefulSetController } from './controllers-statefulset.ts';
import { nodeManifest, virtualNode } from './nodes.ts';
import { ObjectStore, timestamp } from './store.ts';
import { condition, waitFor, waitForEvent } from './test-helpers.ts';
import type { DaemonSet, Job, Pod, PodStatus, StatefulSet } from './workload-types.ts';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** Writes every new pod's status from `outcome` (by its first container's image), as a kubelet would. */
function cluster(outcome: (image: string) => PodStatus['phase'] = () => 'Running') {
  const store = new ObjectStore();
  store.create('nodes', nodeManifest('sandbox', { cpu: '2', memory: '4Gi', pods: '110' }));
  store.create('nodes', virtualNode());
  const ctx = { store, admission: new Admission() };
  stops.push(startStatefulSetController(ctx), startDaemonSetController(ctx), startJobController(ctx, { backOffScale: 0.001 }));
  stops.push(
    store.watch('pods', {}, (e) => {
      if (e.type !== 'ADDED') return;
      const pod = e.object as Pod;
      const phase = outcome(pod.spec.containers[0]!.image);
      const at = timestamp();
      store.mutate<Pod>('pods', pod.metadata.namespace!, pod.metadata.name!, (p) => {
        p.spec.nodeName ??= 'virtual';
        p.status = { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False', lastTransitionTime: at }] };
      });
    }),
  );
  return store;
}

const template = (app: string, image: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'main', image }] } });

describe('StatefulSet controller', () => {
  const sts = (image: string): StatefulSet => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db', image) },
  });

  it('creates db-0..2 in order and reports the rollout complete', async () => {
    const store = cluster();
    const order: string[] = [];
    stops.push(store.watch('pods', {}, (e) => e.type === 'ADDED' && order.push(e.object.metadata.name!)));
    store.create('statefulsets.apps', sts('db:1'));
    const done = await waitFor<StatefulSet>(store, 'statefulsets.apps', 'default', 'db', (s) => s.status?.readyReplicas === 3);
    expect(order).toEqual(['db-0', 'db-1', 'db-2']);
    expect(done.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, currentReplicas: 3, availableReplicas: 3 });
    expect(done.status?.currentRevision).toMatch(/^db-[a-z0-9]+$/);
    expect(done.status?.updateRevision).toBe(done.status?.currentRevision);
    expect(store.get<Pod>('pods', 'default', 'db-1')?.metadata.labels).toMatchObject({ 'controller-revision-hash': done.status?.currentRevision, 'apps.kubernetes.io/pod-index': '1' });
    expect((await waitForEvent(store, 'default', 'db', 'SuccessfulCreate')).message).toBe('create Pod db-0 in StatefulSet db successful');
  });

  it('rolls a new revision from the highest ordinal down and then makes it current', async () => {
    const store = cluster();
    store.create('statefulsets.apps', sts('db:1'));
    const first = await waitFor<StatefulSet>(store, 'statefulsets.apps', 'default', 'db', (s) => s.status?.readyReplicas === 3);
    const replaced: string[] = [];
    stops.push(store.watch('pods', {}, (e) => e.type === 'DELETED' && replaced.push(e.object.metadata.name!)));
    store.mutate<StatefulSet>('statefulsets.apps', 'default', 'db', (s) => {
      s.spec.template.spec.containers[0]!.image = 'db:2';
    });
    const rolled = await waitFor<StatefulSet>(store, 'statefulsets.apps', 'default', 'db', (s) => s.status?.observedGeneration === 2 && s.status.updatedReplicas === 3 && s.status.readyReplicas === 3);
    expect(replaced).toEqual(['db-2', 'db-1', 'db-0']);
    expect(rolled.status?.updateRevision).not.toBe(first.status?.updateRevision);
    expect(rolled.status?.currentRevision).toBe(rolled.status?.updateRevision);
    expect(store.list('controllerrevisions.apps').items).toHaveLength(2);
  });

  it('waits for db-0 to be ready before creating db-1', async () => {
    const store = cluster(() => 'Pending');
    store.create('statefulsets.apps', sts('db:1'));
    await waitFor<StatefulSet>(store, 'statefulsets.apps', 'default', 'db', (s) => s.status?.replicas === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(store.list<Pod>('pods').items.map((p) => p.metadata.name)).toEqual(['db-0']);
  });
});

describe('DaemonSet controller', () => {
  const ds = (image: string): DaemonSet => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default', generation: 1 },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent', image) },
  });

  it('runs one pod on the sandbox node and none on the virtual one', async () => {
    const store = cluster();
    store.create('daemonsets.apps', ds('agent:1'));
    const done = await waitFor<DaemonSet>(store, 'daemonsets.apps', 'default', 'agent', (d) => d.status?.numberAvailable === 1);
    expect(done.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, updatedNumberScheduled: 1, numberReady: 1, numberMisscheduled: 0 });
    expect(store.list<Pod>('pods').items.map((p) => p.spec.nodeName)).toEqual(['sandbox']);
  });

  it('replaces the pod on a template change and counts it updated', async () => {
    const store = cluster();
    store.create('daemonsets.apps', ds('agent:1'));
    await waitFor<DaemonSet>(store, 'daemonsets.apps', 'default', 'agent', (d) => d.status?.numberAvailable === 1);
    store.mutate<DaemonSet>('daemonsets.apps', 'default', 'agent', (d) => {
      d.spec.template.spec.containers[0]!.image = 'agent:2';
    });
    await waitFor<DaemonSet>(store, 'daemonsets.apps', 'default', 'agent', (d) => d.status?.observedGeneration === 2 && d.status.updatedNumberScheduled === 1 && d.status.numberAvailable === 1);
    expect(store.list<Pod>('pods').items.map((p) => p.spec.containers[0]!.image)).toEqual(['agent:2']);
  });
});

describe('Job controller', () => {
  const job = (image: string, spec: Partial<Job['spec']> = {}): Job => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'default' },
    spec: { template: { ...template('migrate', image), spec: { ...template('migrate', image).spec, restartPolicy: 'Never' } }, ...spec },
  });

  it('completes when its pod succeeds', async () => {
    const store = cluster(() => 'Succeeded');
    store.create('jobs.batch', job('ok:1'));
    const done = await waitFor<Job>(store, 'jobs.batch', 'default', 'migrate', (j) => condition(j, 'Complete')?.status === 'True');
    expect(done.status).toMatchObject({ succeeded: 1, ready: 0 });
    expect(done.status?.completionTime).toBeDefined();
    expect(condition(done, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(store.list<Pod>('pods').items[0]?.metadata.labels).toMatchObject({ 'job-name': 'migrate', 'batch.kubernetes.io/job-name': 'migrate' });
  });

  it('fails after backoffLimit + 1 failed pods', async () => {
    const store = cluster(() => 'Failed');
    store.create('jobs.batch', job('bad:1', { backoffLimit: 2 }));
    const failed = await waitFor<Job>(store, 'jobs.batch', 'default', 'migrate', (j) => condition(j, 'Failed')?.status === 'True');
    expect(failed.status?.failed).toBe(3);
    expect(condition(failed, 'FailureTarget')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    expect(condition(failed, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
  });
});
