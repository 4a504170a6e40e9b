// Which pods are the new revision's, per kind, on recorded objects where the recordings hold the pieces and on
// synthetic ones for the rest.
import { describe, expect, it } from 'vitest';
import type { ControllerRevision, DaemonSet, Deployment, Job, Pod, ReplicaSet, StatefulSet } from '../../../src/kube/rollout/objects.ts';
import { isObserved, newReplicaSet, newRevision } from '../../../src/kube/rollout/revision.ts';
import { deployment, NEW_HASH, OLD_HASH, pod, readyPod, replicaSet, replicaSets } from './builders.ts';
import { loadObjects, loadOne } from './fixtures.ts';

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);

describe('Deployment: the ReplicaSet of the current revision, and its pods', () => {
  it('finds the recorded ReplicaSet of a recorded Deployment through the revision annotation', () => {
    const d = loadOne<Deployment>('kubectl-status/deployment-healthy.yaml');
    const rs = loadOne<ReplicaSet>('kubectl-status/rs-all-replicas-ready.yaml');
    expect(newReplicaSet(d, [rs])?.metadata?.name).toBe('httpbin-deployment-79f6dfbb9');
  });

  it('ignores a ReplicaSet of another Deployment with the same revision number', () => {
    const d = loadOne<Deployment>('kubectl-status/deployment-healthy.yaml');
    const rs = loadOne<ReplicaSet>('is-healthy/ReplicaSet/failed-create.yaml');
    expect(newReplicaSet(d, [rs])).toBeUndefined();
  });

  it('splits the pods: new ReplicaSet vs old, by owner uid', () => {
    const r = newRevision(deployment(), { replicaSets: replicaSets(), pods: [pod(), pod({ hash: OLD_HASH, suffix: 'old1' }), readyPod({ hash: OLD_HASH, suffix: 'old2' })] });
    expect(r.revision).toBe(`web-${NEW_HASH}`);
    expect(names(r.pods)).toEqual([`web-${NEW_HASH}-x7k2p`]);
    expect(names(r.oldPods)).toEqual([`web-${OLD_HASH}-old1`, `web-${OLD_HASH}-old2`]);
  });

  it('without revision annotations, the ReplicaSet whose template equals the Deployment\'s but for pod-template-hash', () => {
    const d = deployment();
    delete d.metadata!.annotations;
    const sets = replicaSets().map((rs) => ({ ...rs, metadata: { ...rs.metadata, annotations: {} } }));
    const old = sets[0]!;
    old.spec!.template!.spec!.containers![0]!.image = 'us-docker.pkg.dev/acme/apps/invoice:v4.1.0';
    expect(newReplicaSet(d, sets)?.metadata?.name).toBe(`web-${NEW_HASH}`);
  });

  it('no new ReplicaSet yet: no new pods, every pod old', () => {
    const r = newRevision(deployment(), { replicaSets: [replicaSet(OLD_HASH, '1')], pods: [readyPod({ hash: OLD_HASH })] });
    expect(r.pods).toEqual([]);
    expect(r.oldPods).toHaveLength(1);
  });

  it('recorded pods without ownerReferences are matched by pod-template-hash', () => {
    const p = readyPod();
    delete p.metadata!.ownerReferences;
    expect(names(newRevision(deployment(), { replicaSets: replicaSets(), pods: [p] }).pods)).toEqual([p.metadata!.name]);
  });
});

describe('StatefulSet: controller-revision-hash == status.updateRevision', () => {
  const sts: StatefulSet = {
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'sts-uid', generation: 2 },
    status: { observedGeneration: 2, updateRevision: 'web-c5987f8d', currentRevision: 'web-6596ffb49b' },
  };
  const member = (name: string, hash: string): Pod => ({
    metadata: { name, labels: { 'controller-revision-hash': hash }, ownerReferences: [{ kind: 'StatefulSet', name: 'web', uid: 'sts-uid', controller: true }] },
  });

  it('web-2 is updated, web-0 and web-1 are not yet', () => {
    const r = newRevision(sts, { pods: [member('web-0', 'web-6596ffb49b'), member('web-1', 'web-6596ffb49b'), member('web-2', 'web-c5987f8d')] });
    expect(r.revision).toBe('web-c5987f8d');
    expect(names(r.pods)).toEqual(['web-2']);
    expect(names(r.oldPods)).toEqual(['web-0', 'web-1']);
  });
});

describe('DaemonSet: the newest ControllerRevision\'s hash, or the template generation', () => {
  const ds = (generation: string): DaemonSet => ({
    kind: 'DaemonSet',
    metadata: { name: 'ds-app', namespace: 'default', uid: 'c31a9b4e-e6dd-11e9-8f47-e6322f98393a', generation: 2, annotations: { 'deprecated.daemonset.template.generation': generation } },
    status: { observedGeneration: 2 },
  });
  const revision = (n: number, hash: string): ControllerRevision => ({
    metadata: { name: `ds-app-${hash}`, labels: { 'controller.kubernetes.io/hash': hash }, ownerReferences: [{ kind: 'DaemonSet', name: 'ds-app', uid: 'c31a9b4e-e6dd-11e9-8f47-e6322f98393a', controller: true }] },
    revision: n,
  });
  const pods = () => loadObjects<Pod>('krane/daemon_set_pods.yml');

  it('the recorded pods carry controller-revision-hash 2703261291: new when that is the newest revision', () => {
    const r = newRevision(ds('1'), { pods: pods(), controllerRevisions: [revision(1, '1111111111'), revision(2, '2703261291')] });
    expect(r.revision).toBe('2703261291');
    expect(names(r.pods)).toEqual(['ds-app-hgjhh1', 'ds-app-hgjhh2', 'ds-app-hgjhh3']);
  });

  it('old when a newer revision exists and the template generation moved on', () => {
    const r = newRevision(ds('3'), { pods: pods(), controllerRevisions: [revision(2, '2703261291'), revision(3, '9999999999')] });
    expect(r.pods).toEqual([]);
    expect(r.oldPods).toHaveLength(3);
  });

  it('without ControllerRevisions, pod-template-generation against the annotation', () => {
    expect(newRevision(ds('2'), { pods: pods() }).pods).toHaveLength(3);
    expect(newRevision(ds('3'), { pods: pods() }).pods).toHaveLength(0);
  });
});

describe('Job: its pods', () => {
  it('by owner, and by controller-uid for pods recorded without owners', () => {
    const job = loadOne<Job>('argo-rollouts/experiment-step/canary-exp-analysis-job.yaml');
    const owned = loadOne<Pod>('argo-rollouts/experiment-step/canary-exp-analysis-job-pod.yaml');
    const byLabel: Pod = { metadata: { name: 'by-label', labels: { 'batch.kubernetes.io/controller-uid': job.metadata!.uid! } } };
    const stranger: Pod = { metadata: { name: 'stranger', labels: { 'batch.kubernetes.io/controller-uid': 'other' } } };
    expect(names(newRevision(job, { pods: [owned, byLabel, stranger] }).pods)).toEqual([owned.metadata!.name, 'by-label']);
  });
});

describe('observedGeneration', () => {
  it.each([
    [{ kind: 'Deployment', metadata: { generation: 3 }, status: { observedGeneration: 2 } }, false],
    [{ kind: 'Deployment', metadata: { generation: 3 }, status: { observedGeneration: 3 } }, true],
    [{ kind: 'Deployment', metadata: {}, status: {} }, true],
    [{ kind: 'Job', metadata: { generation: 1 }, status: {} }, true],
  ] as const)('%j -> %s', (w, observed) => {
    expect(isObserved(w as never)).toBe(observed);
  });
});
