// Fatal signals the controllers write on the workload itself (or its new ReplicaSet): each rule reads one object
// and returns a finding or nothing.

import { eventMessage, eventTime, eventsAbout, summarize } from './events.ts';
import { conditionOf, timeOf, type Condition, type Job, type KubeEvent, type Pod, type Workload } from './objects.ts';
import type { NewRevision } from './revision.ts';
import { VERDICT_EVENT_LIMIT, type Finding } from './verdict.ts';

export interface WorkloadRuleContext {
  workload: Workload;
  revision: NewRevision;
  events: readonly KubeEvent[];
  /** ms when the rollout began (the apply); older events are about an earlier rollout. */
  since?: number;
}

export type WorkloadRule = (ctx: WorkloadRuleContext) => Finding | undefined;

/** Applied in this order; the first finding wins. */
export const WORKLOAD_RULES: readonly WorkloadRule[] = [jobFailed, replicaFailure, progressDeadline];

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function progressDeadline({ workload }: WorkloadRuleContext): Finding | undefined {
  if (workload.kind !== 'Deployment') return undefined;
  const c = conditionOf(workload.status?.conditions, 'Progressing');
  if (c?.status !== 'False' || c.reason !== 'ProgressDeadlineExceeded') return undefined;
  const seconds = workload.spec?.progressDeadlineSeconds;
  return {
    status: 'failed',
    rule: 'progress-deadline',
    reason: c.reason,
    message: `${c.message ?? 'the rollout made no progress'}${seconds !== undefined ? ` (progressDeadlineSeconds: ${seconds})` : ''}`,
    ...signal(c),
  };
}

/**
 * Pods that could not even be created: quota, admission webhooks, Pod Security, a missing ServiceAccount. The
 * Deployment copies its ReplicaSet's ReplicaFailure condition; StatefulSets, DaemonSets and Jobs only say it in
 * a FailedCreate event.
 */
export function replicaFailure({ workload, revision, events, since }: WorkloadRuleContext): Finding | undefined {
  const condition = [workload.status?.conditions, revision.replicaSet?.status?.conditions]
    .map((cs) => conditionOf(cs, 'ReplicaFailure'))
    .find((c) => c?.status === 'True');
  if (condition) {
    return {
      status: 'failed',
      rule: 'replica-failure',
      reason: condition.reason ?? 'FailedCreate',
      message: condition.message ?? 'the controller could not create pods',
      ...hintFor(condition.message),
      ...signal(condition),
    };
  }
  const subjects = [
    eventsAbout(events, workload.kind, workload.metadata),
    revision.replicaSet ? eventsAbout(events, 'ReplicaSet', revision.replicaSet.metadata) : [],
  ].flat();
  const failed = subjects.find(
    (e) => e.type === 'Warning' && e.reason === 'FailedCreate' && (since === undefined || (eventTime(e) ?? 0) >= since),
  );
  if (!failed) return undefined;
  const message = eventMessage(failed);
  return {
    status: 'failed',
    rule: 'replica-failure',
    reason: 'FailedCreate',
    message,
    ...hintFor(message),
    ...(eventTime(failed) !== undefined ? { signalAt: iso(eventTime(failed)) } : {}),
    events: subjects.slice(0, VERDICT_EVENT_LIMIT).map(summarize),
  };
}

export function jobFailed({ workload, revision }: WorkloadRuleContext): Finding | undefined {
  if (workload.kind !== 'Job') return undefined;
  const conditions = workload.status?.conditions;
  // FailureTarget (1.31+) comes first and is already final; Failed follows once the pods are gone.
  const c = [conditionOf(conditions, 'Failed'), conditionOf(conditions, 'FailureTarget')].find((x) => x?.status === 'True');
  if (!c) return undefined;
  const culprit = lastFailedContainer(revision.pods);
  const counts = jobCounts(workload);
  return {
    status: 'failed',
    rule: 'job-failed',
    reason: c.reason ?? 'Failed',
    message: `${c.message ?? 'the Job failed'} (${counts})`,
    ...signal(c),
    ...(culprit
      ? {
          pod: culprit.pod,
          container: culprit.container,
          ...(culprit.exitCode !== undefined ? { exitCode: culprit.exitCode } : {}),
          needsLogs: { namespace: workload.metadata?.namespace ?? '', pod: culprit.pod, container: culprit.container, previous: false },
        }
      : {}),
  };
}

function jobCounts(job: Job): string {
  const s = job.status ?? {};
  const limit = job.spec?.backoffLimit;
  return `${s.failed ?? 0} failed${limit !== undefined ? ` of backoffLimit ${limit}` : ''}, ${s.succeeded ?? 0} succeeded`;
}

/** The container that ended the newest failed pod, to show its exit code and logs. */
function lastFailedContainer(pods: readonly Pod[]): { pod: string; container: string; exitCode?: number } | undefined {
  let best: { pod: string; container: string; exitCode?: number; at: number } | undefined;
  for (const pod of pods) {
    for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const t = cs.state?.terminated;
      if (!t || (t.exitCode ?? 0) === 0) continue;
      const at = timeOf(t.finishedAt) ?? 0;
      if (!best || at > best.at) {
        best = { pod: pod.metadata?.name ?? '', container: cs.name, at, ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}) };
      }
    }
  }
  if (!best) return undefined;
  const { at: _, ...rest } = best;
  return rest;
}

function signal(c: Condition): { signalAt?: string } {
  const at = timeOf(c.lastTransitionTime) ?? timeOf(c.lastUpdateTime);
  return at !== undefined ? { signalAt: iso(at) } : {};
}

const HINTS: readonly [RegExp, string][] = [
  [
    /exceeded quota/i,
    "The namespace's ResourceQuota has no room for the new pods (surge pods count too): raise the quota, lower the pods' requests, or set strategy.rollingUpdate.maxSurge: 0.",
  ],
  [/serviceaccount "[^"]+" not found/i, 'The ServiceAccount does not exist in this namespace: add it to the manifests.'],
  [/violates PodSecurity/i, "The namespace's Pod Security level forbids this pod spec: the message names the fields to change."],
  [/admission webhook "[^"]+" denied/i, 'An admission webhook (a policy engine) rejected the pod: its message names the policy.'],
  [/LimitRange|must be less than or equal to|minimum \w+ usage/i, "The pod's resources break the namespace's LimitRange."],
];

function hintFor(message: string | undefined): { hint?: string } {
  const hit = HINTS.find(([re]) => re.test(message ?? ''));
  return hit ? { hint: hit[1] } : {};
}
