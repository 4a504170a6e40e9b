// The Deployment and ReplicaSet controllers on the object store, with pods whose status the test writes (what the
// `virtual` node allows): a stand-in kubelet marks pods of good images ready and leaves the others pending.
import { afterEach, describe, expect, it } from 'vitest';
import { Admission, denyingWebhook, resourceQuota } from './controllers-admission.ts';
import { fenceposts, newRSNewReplicas } from './controllers-deployment-rules.ts';
import { templateHash } from './controllers-common.ts';
import { startDeploymentController } from './controllers-deployment.ts';
import { startReplicaSetController } from './controllers-replicaset.ts';
import { ObjectStore, timestamp } from './store.ts';
import { condition, waitFor, waitForEvent } from './test-helpers.ts';
import type { Deployment, Pod, ReplicaSet } from './workload-types.ts';

function deployment(name: string, image: string, spec: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
      ...spec,
    },
  };
}

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** Controllers plus a stand-in kubelet on `virtual`: images ending in ':bad' never get ready. */
function cluster(admission = new Admission()) {
  const store = new ObjectStore();
  stops.push(startReplicaSetController({ store, admission }), startDeploymentController({ store, admission }));
  stops.push(
    store.watch('pods', {}, (e) => {
      const pod = e.object as Pod;
      if (e.type !== 'ADDED') return;
      const good = !pod.spec.containers[0]!.image.endsWith(':bad');
      const at = timestamp();
      store.mutate<Pod>('pods', 'default', pod.metadata.name!, (p) => {
        p.spec.nodeName = 'virtual';
        p.status = {
          phase: good ? 'Running' : 'Pending',
          conditions: [{ type: 'Ready', status: good ? 'True' : 'False', lastTransitionTime: at }],
        };
      });
    }),
  );
  const deploy = (name: string, predicate: (d: Deployment) => boolean, timeoutMs = 10_000) =>
    waitFor<Deployment>(store, 'deployments.apps', 'default', name, predicate, timeoutMs);
  const replicaSets = (name: string) => store.list<ReplicaSet>('replicasets.apps', { namespace: 'default' }).items.filter((rs) => rs.metadata.name?.startsWith(`${name}-`));
  return { store, deploy, replicaSets };
}

const done = (d: Deployment) => condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';

describe('Deployment rules', () => {
  it.each([
    [{}, 4, { maxSurge: 1, maxUnavailable: 1 }],
    [{ maxSurge: '50%', maxUnavailable: '50%' }, 3, { maxSurge: 2, maxUnavailable: 1 }],
    [{ maxSurge: 0, maxUnavailable: 0 }, 3, { maxSurge: 0, maxUnavailable: 1 }],
    [{ maxSurge: 1, maxUnavailable: 0 }, 3, { maxSurge: 1, maxUnavailable: 0 }],
  ])('rollingUpdate %j with %d replicas resolves to %j', (rollingUpdate, replicas, expected) => {
    expect(fenceposts(deployment('d', 'x', { replicas, strategy: { rollingUpdate } }))).toEqual(expected);
  });

  it('grows the new ReplicaSet only as far as maxSurge allows', () => {
    const d = deployment('d', 'x', { replicas: 4 });
    const rs = (replicas: number): ReplicaSet => ({ metadata: {}, spec: { replicas, selector: {}, template: { spec: { containers: [] } } } });
    const fresh = rs(0);
    expect(newRSNewReplicas(d, [rs(4), fresh], fresh)).toBe(1);
    expect(newRSNewReplicas(d, [rs(3), fresh], fresh)).toBe(2);
  });

  it('hashes equal templates equally, with or without API defaults', () => {
    const bare = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'web', image: 'x:1' }] } };
    const defaulted = structuredClone(bare) as typeof bare & { spec: Record<string, unknown> };
    Object.assign(defaulted.spec, { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
    expect(templateHash(bare)).toBe(templateHash(defaulted));
    expect(templateHash(bare)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(templateHash({ ...bare, spec: { containers: [{ name: 'web', image: 'x:2' }] } })).not.toBe(templateHash(bare));
  });
});

describe('Deployment controller', () => {
  it('creates a ReplicaSet per template hash and reports a finished rollout like a real cluster', async () => {
    const { store, deploy, replicaSets } = cluster();
    store.create('deployments.apps', deployment('web', 'app:1'));
    const d = await deploy('web', done);
    const [rs] = replicaSets('web');
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3' });
    expect(rs!.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.unavailableReplicas).toBeUndefined();
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    const pods = store.list<Pod>('pods', { namespace: 'default' }).items;
    expect(pods.map((p) => p.metadata.name)).toEqual(pods.map(() => expect.stringMatching(new RegExp(`^web-${hash}-[a-z0-9]{5}$`))));
    expect((await waitForEvent(store, 'default', 'web', 'ScalingReplicaSet')).message).toBe(`Scaled up replica set web-${hash} to 3`);
  });

  it('rolls a new template out within maxSurge and replaces every old pod', async () => {
    const { store, deploy, replicaSets } = cluster();
    store.create('deployments.apps', deployment('web', 'app:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await deploy('web', done);
    let peak = 0;
    stops.push(store.watch('pods', {}, () => (peak = Math.max(peak, store.list('pods').items.length))));
    store.mutate<Deployment>('deployments.apps', 'default', 'web', (d) => {
      d.spec.template.spec.containers[0]!.image = 'app:2';
    });
    const d = await deploy('web', (x) => x.status?.observedGeneration === 2 && x.status.updatedReplicas === 3 && x.status.replicas === 3 && done(x));
    const sets = replicaSets('web').sort((a, b) => Number(a.metadata.annotations![`deployment.kubernetes.io/revision`]) - Number(b.metadata.annotations!['deployment.kubernetes.io/revision']));
    expect(sets.map((rs) => [rs.metadata.annotations!['deployment.kubernetes.io/revision'], rs.spec.replicas])).toEqual([
      ['1', 0],
      ['2', 3],
    ]);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(peak).toBeLessThanOrEqual(4);
    await waitFor<ReplicaSet>(store, 'replicasets.apps', 'default', sets[0]!.metadata.name!, (rs) => rs.status?.replicas === 0);
  });

  it('ends a rollout that never gets ready with ProgressDeadlineExceeded, keeping the old pods', async () => {
    const { store, deploy } = cluster();
    store.create('deployments.apps', deployment('web', 'app:1', { progressDeadlineSeconds: 1 }));
    await deploy('web', done);
    store.mutate<Deployment>('deployments.apps', 'default', 'web', (d) => {
      d.spec.template.spec.containers[0]!.image = 'app:bad';
    });
    const d = await deploy('web', (x) => condition(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded');
    const newRS = store.list<ReplicaSet>('replicasets.apps').items.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2')!;
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'False', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` });
    expect(condition(d, 'Available')?.status).toBe('True');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 1, availableReplicas: 3, unavailableReplicas: 1 });
  });

  it('says the Deployment lacks minimum availability while no pod is ready', async () => {
    const { store, deploy } = cluster();
    store.create('deployments.apps', deployment('web', 'app:bad', { replicas: 2 }));
    const d = await deploy('web', (x) => x.status?.replicas === 2);
    expect(condition(d, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
  });

  it('reports a pod refused by a ResourceQuota as FailedCreate and ReplicaFailure', async () => {
    const admission = new Admission();
    admission.add(resourceQuota('default', 'compute', { pods: '1' }));
    const { store, deploy, replicaSets } = cluster(admission);
    store.create('deployments.apps', deployment('web', 'app:1', { replicas: 2 }));
    const d = await deploy('web', (x) => Boolean(condition(x, 'ReplicaFailure')));
    const rs = replicaSets('web')[0]!;
    const message = `pods "${rs.metadata.name}-" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1`;
    expect(condition(d, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message });
    const event = await waitForEvent(store, 'default', rs.metadata.name!, 'FailedCreate');
    expect([event.type, event.message, event.source.component]).toEqual(['Warning', `Error creating: ${message}`, 'replicaset-controller']);
  });

  it('reports a pod refused by an admission webhook the same way', async () => {
    const admission = new Admission();
    admission.add(denyingWebhook('policy.example.com', 'image tag :1 is not allowed'));
    const { store, deploy } = cluster(admission);
    store.create('deployments.apps', deployment('web', 'app:1', { replicas: 1 }));
    const d = await deploy('web', (x) => Boolean(condition(x, 'ReplicaFailure')));
    expect(condition(d, 'ReplicaFailure')?.message).toBe('admission webhook "policy.example.com" denied the request: image tag :1 is not allowed');
  });

  it('counts a pod available only after minReadySeconds', async () => {
    const { store, deploy } = cluster();
    store.create('deployments.apps', deployment('web', 'app:1', { replicas: 1, minReadySeconds: 1 }));
    const ready = await deploy('web', (x) => x.status?.readyReplicas === 1);
    expect(ready.status?.availableReplicas).toBeUndefined();
    const available = await deploy('web', done);
    expect(available.status?.availableReplicas).toBe(1);
  });

  it('recreates: every old pod is gone before a new one is created', async () => {
    const { store, deploy, replicaSets } = cluster();
    store.create('deployments.apps', deployment('web', 'app:1', { replicas: 2, strategy: { type: 'Recreate' } }));
    await deploy('web', done);
    let overlap = false;
    stops.push(
      store.watch('pods', {}, () => {
        const images = new Set(store.list<Pod>('pods').items.map((p) => p.spec.containers[0]!.image));
        if (images.size > 1) overlap = true;
      }),
    );
    store.mutate<Deployment>('deployments.apps', 'default', 'web', (d) => {
      d.spec.template.spec.containers[0]!.image = 'app:2';
    });
    await deploy('web', (x) => x.status?.observedGeneration === 2 && x.status.updatedReplicas === 2 && x.status.replicas === 2 && done(x));
    expect(overlap).toBe(false);
    expect(replicaSets('web')).toHaveLength(2);
  });
});
