// The pod rules on pods recorded from real clusters, each taken as a pod of the revision being rolled out.
// PROVENANCE.tsv's failure_cause (in each test's name) is the ground truth for "will this ever become ready".
import { describe, expect, it } from 'vitest';
import type { Job, KubeEvent, Pod } from '../../../src/kube/rollout/objects.ts';
import { judgePod } from '../../../src/kube/rollout/rules.ts';
import type { RuleId } from '../../../src/kube/rollout/verdict.ts';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from '../../../src/kube/rollout/windows.ts';
import { loadObjects, loadOne, NOW, provenance } from './fixtures.ts';

type Expect = 'healthy' | 'waiting' | 'tolerated' | { failed: RuleId; exitCode?: number; container?: string };

interface Row {
  path: string;
  expect: Expect;
  /** Why our verdict reads as it does where it differs from the source's or needs a word. */
  note?: string;
  options?: Partial<RuleOptions>;
  /** The pod existed before the rollout began (an unchanged revision re-applied): its old restarts do not count. */
  preexisting?: boolean;
  job?: boolean;
  now?: number;
}

const ROWS: Row[] = [
  { path: 'argo-cd/health/pod-pending.yaml', expect: 'healthy' },
  { path: 'argo-cd/health/pod-running-not-ready.yaml', expect: { failed: 'readiness', container: 'main' } },
  { path: 'argo-cd/health/pod-crashloop.yaml', expect: { failed: 'crash-loop', exitCode: 1 } },
  {
    path: 'argo-cd/health/pod-imagepullbackoff.yaml',
    expect: 'healthy',
    note: 'the recording keeps no pull error (an older kubelet, no events): one failed attempt counts against the budget; with the Failed event it is fatal at once (rules.test.ts)',
  },
  { path: 'argo-cd/health/pod-error.yaml', expect: { failed: 'crash-loop', exitCode: 1 } },
  { path: 'argo-cd/health/pod-running-restart-always.yaml', expect: 'healthy' },
  { path: 'argo-cd/health/pod-running-restart-never.yaml', expect: 'healthy' },
  { path: 'argo-cd/health/pod-running-restart-never-with-ignore-annotation.yaml', expect: 'healthy' },
  { path: 'argo-cd/health/pod-running-restart-never-hook-with-ignore-annotation.yaml', expect: 'healthy' },
  { path: 'argo-cd/health/pod-running-restart-never-with-ignore-annotation-backoff.yaml', expect: 'healthy', note: 'pull cause not recorded' },
  { path: 'argo-cd/health/pod-running-restart-onfailure.yaml', expect: { failed: 'crash-loop', exitCode: 1 }, note: 'Argo says Progressing' },
  { path: 'argo-cd/health/pod-failed.yaml', expect: 'healthy', job: true, note: 'restartPolicy Never: the Job and its backoffLimit decide (job-failed)' },
  { path: 'argo-cd/health/pod-succeeded.yaml', expect: 'healthy', job: true },
  { path: 'argo-cd/health/pod-deletion.yaml', expect: 'tolerated' },
  { path: 'pulumi-kubernetes/states/pod/initialized.json', expect: 'healthy' },
  { path: 'pulumi-kubernetes/states/pod/uninitialized.json', expect: 'healthy' },
  { path: 'pulumi-kubernetes/states/pod/ready.json', expect: 'healthy' },
  { path: 'pulumi-kubernetes/states/pod/succeeded.json', expect: 'healthy', job: true },
  { path: 'pulumi-kubernetes/states/pod/scheduled.json', expect: 'healthy' },
  { path: 'pulumi-kubernetes/states/pod/unscheduled.json', expect: { failed: 'unschedulable' } },
  { path: 'kubectl-status/pod-pending.yaml', expect: 'healthy' },
  { path: 'kubectl-status/pod-pending-waiting-container.yaml', expect: 'healthy' },
  { path: 'kubectl-status/pod-non-existing-image.yaml', expect: 'healthy', note: 'pull cause not recorded (kstatus says InProgress too)' },
  { path: 'kubectl-status/pod-pending-nodeselector.yaml', expect: { failed: 'unschedulable' } },
  { path: 'kubectl-status/pod-pending-topology-spread-donotschedule.yaml', expect: { failed: 'unschedulable' } },
  { path: 'kubectl-status/pod-pending-preferred-antiaffinity-only.yaml', expect: { failed: 'unschedulable' } },
  { path: 'kubectl-status/pod-scheduling-gated.yaml', expect: 'healthy', note: 'a scheduling gate is held on purpose: the timeout is the backstop' },
  { path: 'kubectl-status/pod-dra-missing-claim.yaml', expect: 'healthy', note: 'nothing in the pod says why; the timeout is the backstop' },
  { path: 'kubectl-status/pod-probe-liveness-restarting.yaml', expect: { failed: 'crash-loop', exitCode: 0 } },
  { path: 'kubectl-status/pod-readiness-gate.yaml', expect: 'healthy', note: 'readiness gates belong to another controller' },
  { path: 'kubectl-status/pod-deleted-due-to-missing-container.yaml', expect: 'tolerated', note: 'Evicted: the ReplicaSet replaces it' },
  { path: 'kubectl-status/pod-marked-for-deletion.yaml', expect: 'tolerated' },
  { path: 'kubectl-status/pod-job-completed.yaml', expect: 'healthy', job: true },
  { path: 'kubectl-status/pod-standalone.yaml', expect: 'healthy' },
  { path: 'kubectl-status/pod-ephemeral-imagepullbackoff.yaml', expect: 'healthy', note: 'a debug container, not part of the revision' },
  { path: 'kubectl-status/pod-with-metrics-and-events.yaml', expect: 'healthy' },
  { path: 'is-healthy/Pod/early-failures.yaml', expect: { failed: 'crash-loop', exitCode: 2 } },
  { path: 'is-healthy/Pod/early-failures.yaml', expect: 'healthy', options: { allowRestarts: 2 }, note: 'two crashes, then Ready: within allowRestarts 2' },
  { path: 'is-healthy/Pod/early-failures.yaml', expect: 'healthy', preexisting: true },
  { path: 'is-healthy/Pod/healthy.yaml', expect: 'healthy' },
  { path: 'is-healthy/Pod/not-ready.yaml', expect: 'healthy', note: 'containers Ready, pod not: nothing of ours to judge' },
  { path: 'is-healthy/Pod/oomkilled-old.yaml', expect: { failed: 'oom-killed' }, note: 'as a new pod, 9 OOM restarts are 9 too many' },
  { path: 'is-healthy/Pod/oomkilled-old.yaml', expect: 'healthy', preexisting: true, note: 'restarts from before the rollout do not count' },
  { path: 'is-healthy/Pod/oomkilled-unhealthy.yaml', expect: { failed: 'oom-killed', exitCode: 1 } },
  { path: 'is-healthy/Pod/oomkilled-warning.yaml', expect: { failed: 'oom-killed' } },
  { path: 'is-healthy/Pod/pod-crashed-once.yaml', expect: { failed: 'crash-loop', container: 'csi-driver-registrar' } },
  { path: 'is-healthy/Pod/pod-crashed-once.yaml', expect: 'healthy', options: { allowRestarts: 1 }, note: 'a crash then recovery within allowRestarts' },
  { path: 'is-healthy/Pod/pod-crashloop-pending.yaml', expect: { failed: 'crash-loop', container: 'crashloop-init', exitCode: 1 } },
  { path: 'is-healthy/Pod/pod-never-ready.yaml', expect: { failed: 'readiness', container: 'slow-container' } },
  {
    path: 'is-healthy/Pod/pod-never-ready.yaml',
    expect: 'waiting',
    now: Date.parse('2025-02-03T10:36:52Z'),
    note: 'a slow starter five minutes in: its probe allows 5 + 10 x 100 s',
  },
  { path: 'is-healthy/Pod/pod-old-restarts.yaml', expect: 'healthy', preexisting: true },
  { path: 'is-healthy/Pod/pod-old-restarts.yaml', expect: { failed: 'crash-loop' }, note: '257 restarts in a new pod' },
  { path: 'is-healthy/Pod/pod-terminating.yaml', expect: 'tolerated' },
  { path: 'is-healthy/Pod/start-error.yaml', expect: { failed: 'container-create', exitCode: 128 }, job: true },
  { path: 'is-healthy/Pod/terminating-stuck.yaml', expect: 'tolerated' },
  { path: 'is-healthy/Pod/unhealthy-restarting.yaml', expect: { failed: 'crash-loop', exitCode: 0 } },
  { path: 'argo-rollouts/canary/canary-pod.yaml', expect: 'healthy', note: 'pull cause not recorded' },
  { path: 'argo-rollouts/canary/stable-pod1.yaml', expect: 'healthy' },
  { path: 'argo-rollouts/experiment-step/canary-exp-analysis-job-pod.yaml', expect: 'healthy', job: true, note: 'restartPolicy Never: job-failed decides' },
  { path: 'krane/daemon_set_pod_not_ready.yml', expect: 'healthy', note: 'containers Ready, pod not' },
];

const jobStandIn = (pod: Pod): Job => ({ kind: 'Job', metadata: { name: 'job', namespace: pod.metadata?.namespace ?? 'default' } });

function judge(row: Row) {
  const now = row.now ?? NOW;
  const pod = loadOne<Pod & { events?: { items?: KubeEvent[] } }>(row.path);
  const options = { ...DEFAULT_RULE_OPTIONS, ...row.options };
  return judgePod(
    {
      pod,
      events: pod.events?.items ?? [],
      ...(row.job ? { workload: jobStandIn(pod) } : {}),
      ...(row.preexisting ? { since: now } : {}),
    },
    { now, options },
  );
}

describe('pod rules on recorded pods', () => {
  it.each(ROWS.map((r) => [`${r.path} (${provenance(r.path).failureCause})${r.note ? ` - ${r.note}` : ''}`, r] as const))(
    '%s',
    (_, row) => {
      const { outcome, tolerated } = judge(row);
      const e = row.expect;
      if (e === 'tolerated') {
        expect(tolerated).toBeDefined();
      } else if (e === 'healthy') {
        expect(tolerated).toBeUndefined();
        expect(outcome?.status === 'failed' || outcome?.status === 'needs-confirmation' ? outcome : undefined).toBeUndefined();
      } else if (e === 'waiting') {
        expect(outcome).toMatchObject({ status: 'pending' });
      } else {
        expect(outcome).toMatchObject({ status: 'failed', rule: e.failed });
        if (e.exitCode !== undefined) expect(outcome).toMatchObject({ exitCode: e.exitCode });
        if (e.container) expect(outcome).toMatchObject({ container: e.container });
        expect(outcome).toHaveProperty('message');
      }
    },
  );

  it('names the pod and the container and says why, as a person would read it', () => {
    const { outcome } = judge({ path: 'argo-cd/health/pod-crashloop.yaml', expect: { failed: 'crash-loop' } });
    expect(outcome).toMatchObject({
      pod: 'my-pod',
      reason: 'CrashLoopBackOff',
      message: expect.stringMatching(/^container main in pod my-pod crashes .*\(exit code 1, 3 restarts, allowRestarts: 0\)$/),
      needsLogs: { pod: 'my-pod', container: 'main', previous: true },
    });
  });

  it('an unschedulable pod gets its 15 s: pending inside the window, failed after it', () => {
    const path = 'pulumi-kubernetes/states/pod/unscheduled.json';
    const pod = loadOne<Pod>(path);
    const since = Date.parse(pod.status!.conditions!.find((c) => c.type === 'PodScheduled')!.lastTransitionTime!);
    expect(judgePod({ pod }, { now: since + 14_000 }).outcome).toEqual({ status: 'pending', until: since + 15_000 });
    expect(judgePod({ pod }, { now: since + 15_000 }).outcome).toMatchObject({
      rule: 'unschedulable',
      message: expect.stringContaining('0/1 nodes are available: 1 Insufficient memory.'),
      signalAt: new Date(since).toISOString(),
      windowMs: 15_000,
      hint: expect.stringContaining('No node has room'),
    });
  });

  it('the three DaemonSet pods of one recording: two Ready, one not Ready with Ready containers', () => {
    const pods = loadObjects<Pod>('krane/daemon_set_pods.yml');
    expect(pods.map((p) => p.metadata?.name)).toEqual(['ds-app-hgjhh1', 'ds-app-hgjhh2', 'ds-app-hgjhh3']);
    for (const pod of pods) expect(judgePod({ pod }, { now: NOW }).outcome).toBeUndefined();
  });
});
