// Done is what `kubectl rollout status` says is done (kubectl pkg/polymorphichelpers/rollout_status.go), down to
// its messages, so rollgate and a person running kubectl agree.
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, Job, StatefulSet } from '../../../src/kube/rollout/objects.ts';
import { completion } from '../../../src/kube/rollout/workload-status.ts';

const deployment = (status: Deployment['status'], replicas = 3, generation = 2): Deployment => ({
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas },
  status: { observedGeneration: 2, ...status },
});

describe('Deployment', () => {
  it.each([
    [deployment({}, 3, 3), false, 'Waiting for deployment spec update to be observed...'],
    [deployment({ updatedReplicas: 1, replicas: 4, availableReplicas: 3 }), false, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'],
    [deployment({ updatedReplicas: 3, replicas: 4, availableReplicas: 3 }), false, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...'],
    [deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 }), false, 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...'],
    [deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), true, 'deployment "web" successfully rolled out'],
    [deployment({}, 0), true, 'deployment "web" successfully rolled out'],
    [
      deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      false,
      'deployment "web" exceeded its progress deadline',
    ],
  ])('%#: done=%s, "%s"', (d, done, message) => {
    expect(completion(d as Deployment)).toEqual({ done, message });
  });
});

const sts = (spec: StatefulSet['spec'], status: StatefulSet['status']): StatefulSet => ({
  kind: 'StatefulSet',
  metadata: { name: 'db', generation: 2 },
  spec,
  status: { observedGeneration: 2, ...status },
});
const rolling = (partition?: number) => ({ type: 'RollingUpdate', rollingUpdate: partition === undefined ? {} : { partition } });

describe('StatefulSet, partition aware', () => {
  it.each([
    [sts({ replicas: 3, updateStrategy: rolling(0) }, { observedGeneration: 0 }), false, 'Waiting for statefulset spec update to be observed...'],
    [sts({ replicas: 3, updateStrategy: rolling(0) }, { readyReplicas: 2, updatedReplicas: 3 }), false, 'Waiting for 1 pods to be ready...'],
    [sts({ replicas: 3, updateStrategy: rolling(0) }, { readyReplicas: 3, updatedReplicas: 2 }), false, 'Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated...'],
    [sts({ replicas: 5, updateStrategy: rolling(2) }, { readyReplicas: 5, updatedReplicas: 3 }), true, 'partitioned roll out complete: 3 new pods have been updated...'],
    [sts({ replicas: 5, updateStrategy: rolling(2) }, { readyReplicas: 5, updatedReplicas: 2 }), false, 'Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated...'],
    [sts({ replicas: 2, updateStrategy: { type: 'RollingUpdate' } }, { readyReplicas: 2, updateRevision: 'db-2', currentRevision: 'db-1', updatedReplicas: 1 }), false, 'waiting for statefulset rolling update to complete 1 pods at revision db-2...'],
    [sts({ replicas: 2, updateStrategy: { type: 'RollingUpdate' } }, { readyReplicas: 2, updateRevision: 'db-2', currentRevision: 'db-2', currentReplicas: 2 }), true, 'statefulset rolling update complete 2 pods at revision db-2...'],
    [sts({ replicas: 2, updateStrategy: { type: 'OnDelete' } }, { readyReplicas: 0 }), true, 'statefulset "db" uses OnDelete: pods update only when deleted'],
  ])('%#: done=%s, "%s"', (s, done, message) => {
    expect(completion(s)).toEqual({ done, message });
  });
});

const ds = (status: DaemonSet['status'], type = 'RollingUpdate'): DaemonSet => ({
  kind: 'DaemonSet',
  metadata: { name: 'agent', generation: 4 },
  spec: { updateStrategy: { type } },
  status: { observedGeneration: 4, ...status },
});

describe('DaemonSet', () => {
  it.each([
    [ds({ observedGeneration: 3 }), false, 'Waiting for daemon set spec update to be observed...'],
    [ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 }), false, 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...'],
    [ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }), false, 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...'],
    [ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), true, 'daemon set "agent" successfully rolled out'],
    [ds({}, 'OnDelete'), true, 'daemon set "agent" uses OnDelete: pods update only when deleted'],
  ])('%#: done=%s, "%s"', (d, done, message) => {
    expect(completion(d)).toEqual({ done, message });
  });
});

describe('Job: done when Complete', () => {
  const job = (status: Job['status'], spec: Job['spec'] = {}): Job => ({ kind: 'Job', metadata: { name: 'migrate' }, spec, status });
  it.each([
    [job({ active: 1 }), false, 'Waiting for job "migrate" to complete: 0 of 1 succeeded, 1 active...'],
    [job({ succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }] }), false, 'Waiting for job "migrate" to complete: 1 of 1 succeeded, 0 active...'],
    [job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }), true, 'job "migrate" completed: 1 succeeded'],
    [job({}, { suspend: true }), true, 'job "migrate" is suspended (spec.suspend)'],
  ])('%#: done=%s, "%s"', (j, done, message) => {
    expect(completion(j)).toEqual({ done, message });
  });
});
