// judgeWorkload on Deployments, StatefulSets, DaemonSets and Jobs recorded from real clusters, and on the recorded
// watch sequences of pulumi-kubernetes replayed one observation at a time with the memory carried along.
import { describe, expect, it } from 'vitest';
import { emptyMemory, type RolloutMemory } from '../../../src/kube/rollout/memory.ts';
import type { Job, Pod, ReplicaSet, Workload } from '../../../src/kube/rollout/objects.ts';
import { judgePod, judgeWorkload } from '../../../src/kube/rollout/rules.ts';
import type { RuleId, VerdictStatus } from '../../../src/kube/rollout/verdict.ts';
import { loadObjects, loadOne, NOW, provenance } from './fixtures.ts';

type Row = [path: string, status: VerdictStatus, rule?: RuleId, note?: string];

const WORKLOADS: Row[] = [
  ['argo-cd/health/deployment-progressing.yaml', 'progressing'],
  ['argo-cd/health/deployment-suspended.yaml', 'progressing', undefined, 'paused: kubectl rollout status waits too'],
  ['argo-cd/health/deployment-degraded.yaml', 'failed', 'progress-deadline'],
  ['argo-cd/health/statefulset.yaml', 'done', undefined, 'OnDelete'],
  ['argo-cd/health/statefulset-ondelete.yaml', 'done', undefined, 'OnDelete'],
  ['argo-cd/health/daemonset-ondelete.yaml', 'done', undefined, 'OnDelete'],
  ['argo-cd/health/job-running.yaml', 'progressing'],
  ['argo-cd/health/job-failed.yaml', 'failed', 'job-failed'],
  ['argo-cd/health/job-succeeded.yaml', 'done'],
  ['argo-cd/health/job-suspended.yaml', 'done', undefined, 'suspended on purpose: nothing to wait for'],
  ['argo-cd/utils-kube/nginx.yaml', 'done'],
  ['pulumi-kubernetes/states/job/initialized.json', 'progressing'],
  ['pulumi-kubernetes/states/job/started.json', 'progressing'],
  ['pulumi-kubernetes/states/job/succeeded.json', 'done'],
  ['pulumi-kubernetes/states/job/backoffLimit.json', 'failed', 'job-failed'],
  ['pulumi-kubernetes/states/job/deadlineExceeded.json', 'failed', 'job-failed'],
  ['kubectl-status/deployment-new.yaml', 'progressing', undefined, 'generation 1 not observed yet'],
  ['kubectl-status/deployment-progressing.yaml', 'progressing'],
  ['kubectl-status/deployment-unavailable-replicas.yaml', 'progressing'],
  ['kubectl-status/deployment-initial-progressing.yaml', 'progressing'],
  ['kubectl-status/deployment-healthy.yaml', 'done'],
  ['kubectl-status/sts-new.yaml', 'progressing'],
  ['kubectl-status/sts-ongoing-update-rollout.yaml', 'progressing'],
  ['kubectl-status/sts-inital-rollout-done.yaml', 'done'],
  ['kubectl-status/sts-suspended.yaml', 'done', undefined, 'scaled to zero'],
  ['kubectl-status/ds-kube-proxy.yaml', 'done'],
  ['kubectl-status/job-new.yaml', 'progressing'],
  ['kubectl-status/job-active.yaml', 'progressing', undefined, 'kstatus calls a running Job Current; it is not Complete'],
  ['kubectl-status/job-complete.yaml', 'done'],
  ['kubectl-status/job-failed.yaml', 'failed', 'job-failed'],
  ['kubectl-status/job-from-cronjob-failed.yaml', 'failed', 'job-failed'],
  ['kubectl-status/job-simple-complete.yaml', 'done'],
  ['kubectl-status/job-suspended.yaml', 'done', undefined, 'suspended on purpose'],
  ['kubectl-status/job-with-sidecar-complete.yaml', 'done'],
  ['is-healthy/DaemonSet/healthy.yaml', 'done'],
  ['is-healthy/DaemonSet/unavailable-replica.yaml', 'progressing'],
  ['is-healthy/Deployment/deployment-failed.yaml', 'failed', 'replica-failure', 'the cause (FailedCreate), not its effect (the deadline)'],
  ['is-healthy/Deployment/deployment-scaled-up.yaml', 'done'],
  ['is-healthy/Deployment/deployment-scaling-up.yaml', 'progressing'],
  ['is-healthy/Deployment/healthy.yaml', 'done'],
  ['is-healthy/Deployment/progress-deadline-exceeded.yaml', 'failed', 'progress-deadline'],
  ['is-healthy/Deployment/restart.yaml', 'progressing'],
  ['is-healthy/Job/unhealthy.yaml', 'failed', 'job-failed'],
  ['is-healthy/StatefulSet/statefulset-starting.yaml', 'progressing', undefined, 'no observedGeneration: kubectl waits for it'],
  ['argo-rollouts/experiment-step/canary-exp-analysis-job.yaml', 'failed', 'job-failed'],
];

describe('judgeWorkload on recorded workloads', () => {
  it.each(WORKLOADS.map(([path, status, rule, note]) => [`${path} (${provenance(path).failureCause})${note ? ` - ${note}` : ''}`, path, status, rule] as const))(
    '%s',
    (_, path, status, rule) => {
      const { verdict } = judgeWorkload({ workload: loadOne<Workload>(path), pods: [] }, { now: NOW });
      expect(verdict.status).toBe(status);
      expect(verdict.rule).toBe(rule);
      expect(verdict.message).not.toBe('');
    },
  );

  it('a ReplicaFailure carries the API message and a hint about the missing ServiceAccount', () => {
    const workload = loadOne<Workload>('is-healthy/Deployment/deployment-failed.yaml');
    const replicaSets = [loadOne<ReplicaSet>('is-healthy/ReplicaSet/failed-create.yaml')];
    const { verdict } = judgeWorkload({ workload, pods: [], replicaSets }, { now: NOW });
    expect(verdict).toMatchObject({
      workload: { kind: 'Deployment', namespace: 'platform-system', name: 'karina' },
      reason: 'FailedCreate',
      message: 'pods "karina-c7585bd87-" is forbidden: error looking up service account platform-system/karina: serviceaccount "karina" not found',
      hint: expect.stringContaining('ServiceAccount does not exist'),
    });
  });

  it('a failed Job names its failed pod, exit code and the logs to read', () => {
    const workload = loadOne<Job>('argo-rollouts/experiment-step/canary-exp-analysis-job.yaml');
    const pod = loadOne<Pod>('argo-rollouts/experiment-step/canary-exp-analysis-job-pod.yaml');
    const { verdict } = judgeWorkload({ workload, pods: [pod] }, { now: NOW });
    expect(verdict).toMatchObject({
      status: 'failed',
      rule: 'job-failed',
      reason: 'BackoffLimitExceeded',
      pod: pod.metadata!.name,
      exitCode: 1,
      needsLogs: { pod: pod.metadata!.name, previous: false },
    });
  });

  it('a healthy Deployment with its recorded ReplicaSet: done, and the progress line counts the new revision', () => {
    const workload = loadOne<Workload>('kubectl-status/deployment-healthy.yaml');
    const replicaSets = [loadOne<ReplicaSet>('kubectl-status/rs-all-replicas-ready.yaml')];
    const { verdict, progress } = judgeWorkload({ workload, pods: [], replicaSets, since: NOW - 14_500 }, { now: NOW });
    expect(verdict).toMatchObject({ status: 'done', message: 'deployment "httpbin-deployment" successfully rolled out' });
    expect(progress.text).toBe('httpbin-deployment: 3/3 updated, 0 ready, 14s');
  });
});

/** Replays a recorded watch sequence: each object is one observation, one second after the previous. */
function replayPods(path: string): { index: number; status?: string; rule?: string; exitCode?: number } {
  const pods = loadObjects<Pod>(path);
  let memory: RolloutMemory = emptyMemory();
  const start = Date.parse(pods[0]!.metadata!.creationTimestamp!);
  for (const [index, pod] of pods.entries()) {
    const judged = judgePod({ pod }, { now: start + index * 1_000, memory });
    memory = judged.memory;
    const o = judged.outcome;
    if (o && o.status !== 'pending') return { index, status: o.status, rule: o.rule, ...(o.exitCode !== undefined ? { exitCode: o.exitCode } : {}) };
  }
  return { index: -1 };
}

describe('recorded pod watch sequences, replayed', () => {
  it.each([
    ['pulumi-kubernetes/workflows/pod/added.json', { index: -1 }],
    ['pulumi-kubernetes/workflows/pod/scheduled.json', { index: -1 }],
    ['pulumi-kubernetes/workflows/pod/createSuccess.json', { index: -1 }],
    ['pulumi-kubernetes/workflows/pod/unready.json', { index: -1 }],
    ['pulumi-kubernetes/workflows/pod/unavailable.json', { index: -1 }],
    ['pulumi-kubernetes/workflows/pod/containerTerminatedSuccessRestartNever.json', { index: -1 }],
    ['pulumi-kubernetes/workflows/pod/imagePullError.json', { index: 3, status: 'failed', rule: 'image-pull' }],
    ['pulumi-kubernetes/workflows/pod/containerTerminatedError.json', { index: 3, status: 'failed', rule: 'container-create', exitCode: 127 }],
    ['pulumi-kubernetes/workflows/pod/containerTerminatedSuccess.json', { index: 3, status: 'failed', rule: 'crash-loop', exitCode: 0 }],
    ['pulumi-kubernetes/workflows/pod/crashLoopBackoff.json', { index: 0, status: 'failed', rule: 'crash-loop', exitCode: 1 }],
    ['pulumi-kubernetes/workflows/pod/crashLoopBackoffWithFallbackToLogsOnError.json', { index: 0, status: 'failed', rule: 'crash-loop', exitCode: 1 }],
  ] as const)('%s (first verdict at observation %o)', (path, expected) => {
    provenance(path);
    expect(replayPods(path)).toEqual(expected);
  });

  it('imagePullErrorResolved: fails at the first ErrImagePull that says "manifest unknown"; the later fix is a new pod spec', () => {
    // The recording starts in ImagePullBackOff without a cause (one attempt counted, within the budget), then
    // shows the cause; someone then edits the image, which for rollgate is a new revision, tracked afresh.
    const path = 'pulumi-kubernetes/workflows/pod/imagePullErrorResolved.json';
    expect(replayPods(path)).toEqual({ index: 1, status: 'failed', rule: 'image-pull' });
    const last = loadObjects<Pod>(path).at(-1)!;
    expect(judgePod({ pod: last }, { now: NOW }).outcome).toBeUndefined();
  });

  it('unscheduled: pending while the window runs, failed once 15 s have passed', () => {
    const pods = loadObjects<Pod>('pulumi-kubernetes/workflows/pod/unscheduled.json');
    const pod = pods.at(-1)!;
    const since = Date.parse(pod.status!.conditions![0]!.lastTransitionTime!);
    const first = judgePod({ pod }, { now: since + 1_000 });
    expect(first.outcome).toEqual({ status: 'pending', until: since + 15_000 });
    expect(judgePod({ pod }, { now: since + 15_000, memory: first.memory }).outcome).toMatchObject({ rule: 'unschedulable' });
  });
});

describe('recorded Job watch sequences, replayed', () => {
  it.each([
    ['pulumi-kubernetes/workflows/job/added.json', ['progressing']],
    ['pulumi-kubernetes/workflows/job/running.json', ['progressing', 'progressing']],
    ['pulumi-kubernetes/workflows/job/succeeded.json', ['progressing', 'progressing', 'done']],
    ['pulumi-kubernetes/workflows/job/backoffLimitExceeded.json', ['progressing', 'progressing', 'failed']],
    ['pulumi-kubernetes/workflows/job/deadlineExceeded.json', ['progressing', 'progressing', 'failed']],
    ['pulumi-kubernetes/workflows/job/backoffLimitResolved.json', ['progressing', 'progressing', 'done']],
  ] as const)('%s', (path, statuses) => {
    provenance(path);
    let memory = emptyMemory();
    const seen = loadObjects<Job>(path).map((workload, i) => {
      const judged = judgeWorkload({ workload, pods: [] }, { now: NOW + i * 1_000, memory });
      memory = judged.memory;
      return judged.verdict.status;
    });
    expect(seen).toEqual(statuses);
  });
});
