// What a tracked rollout ends with, per workload and overall, and the pure steps that build it: the first failure
// wins, all done is done, and the deadline is a failure naming every workload still waiting.

import { describeRef } from '../cluster.ts';
import { formatDuration } from '../../config/duration.ts';
import { conditionOf, type Pod } from './objects.ts';
import type { Progress } from './progress.ts';
import type { EventSummary, LogsRequest, RuleId, Verdict, WorkloadRef } from './verdict.ts';

export type WorkloadOutcome =
  /** Rolled out (kubectl rollout status would say so). */
  | 'done'
  | 'failed'
  /** Still waiting when the rollout timeout ended. */
  | 'timed-out'
  /** Tracking stopped early: another workload failed first, or the run was cancelled. */
  | 'stopped';

export interface WorkloadResult {
  workload: WorkloadRef;
  status: WorkloadOutcome;
  /** The last verdict: the one that ended it, or the progressing one it was stopped at. */
  verdict: Verdict;
  progress?: string;
  /** ms from the start of tracking to this workload's end. */
  elapsedMs: number;
  /** failed and timed-out: ISO time rollgate reached the verdict (compare with verdict.signalAt). */
  detectedAt?: string;
  /** failed and timed-out: the text a person reads (formatDiagnosis). */
  diagnosis?: string;
  /** The last log lines of the container the verdict names. */
  logLines?: string[];
}

/** The shape of the result JSON's `rollout.failure`. */
export interface RolloutFailure {
  rule: RuleId;
  /** `Deployment invoice-dev/web` */
  resource: string;
  pod?: string;
  container?: string;
  reason?: string;
  message: string;
  exitCode?: number;
  /** When the signal first showed in the API; for windowed rules the window (windowMs) runs from here. */
  signalAt?: string;
  windowMs?: number;
  detectedAt: string;
  events: EventSummary[];
  logLines: string[];
  hint?: string;
  diagnosis: string;
}

export interface RolloutResult {
  status: 'done' | 'failed' | 'cancelled';
  workloads: WorkloadResult[];
  failure?: RolloutFailure;
  elapsedMs: number;
}

export function failureOf(result: WorkloadResult): RolloutFailure {
  const v = result.verdict;
  return {
    rule: v.rule ?? 'rollout-timeout',
    resource: describeRef({ apiVersion: '', kind: v.workload.kind, namespace: v.workload.namespace, name: v.workload.name }),
    ...(v.pod !== undefined ? { pod: v.pod } : {}),
    ...(v.container !== undefined ? { container: v.container } : {}),
    ...(v.reason !== undefined ? { reason: v.reason } : {}),
    message: v.message,
    ...(v.exitCode !== undefined ? { exitCode: v.exitCode } : {}),
    ...(v.signalAt !== undefined ? { signalAt: v.signalAt } : {}),
    ...(v.windowMs !== undefined ? { windowMs: v.windowMs } : {}),
    detectedAt: result.detectedAt ?? new Date().toISOString(),
    events: v.events,
    logLines: result.logLines ?? [],
    ...(v.hint !== undefined ? { hint: v.hint } : {}),
    diagnosis: result.diagnosis ?? v.message,
  };
}

/**
 * The verdict for a workload still waiting at the deadline: its last word (kubectl's waiting message) with the
 * newest events, naming a pod and container that is not ready so its logs can be shown.
 */
export function timeoutVerdict(last: Verdict, timeoutMs: number, deadline: number, events: EventSummary[], stuck: LogsRequest | undefined): Verdict {
  return {
    status: 'failed',
    workload: last.workload,
    rule: 'rollout-timeout',
    reason: 'RolloutTimeout',
    message: `not ready within the rollout timeout (${formatDuration(timeoutMs)}): ${last.message}`,
    signalAt: new Date(deadline).toISOString(),
    events,
    ...(stuck ? { pod: stuck.pod, container: stuck.container, needsLogs: stuck } : {}),
    hint: 'No fail-fast rule fired: the pods may be slow rather than broken. Read the events and logs below; raise rollout.timeout if the workload needs longer.',
  };
}

/** The overall message for the deadline: every workload still waiting, with its progress. */
export function pendingSummary(timedOut: readonly WorkloadResult[], timeoutMs: number): string {
  const names = timedOut.map((r) => `${r.workload.kind} ${r.workload.namespace}/${r.workload.name}${r.progress ? ` (${r.progress})` : ''}`);
  return `rollout timeout ${formatDuration(timeoutMs)} reached; still waiting for ${names.join(', ')}`;
}

/** A new-revision pod that is not Ready, and its first container that is not: whose logs explain a slow rollout. */
export function stuckContainer(pods: readonly Pod[], namespace: string): LogsRequest | undefined {
  for (const pod of [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    if (conditionOf(pod.status?.conditions, 'Ready')?.status === 'True') continue;
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const c = statuses.find((s) => !s.ready && (s.state?.running || s.lastState?.terminated || s.state?.terminated));
    if (!c || !pod.metadata?.name) continue;
    return { namespace, pod: pod.metadata.name, container: c.name, previous: !c.state?.running && !c.state?.terminated && c.lastState?.terminated !== undefined };
  }
  return undefined;
}

/** `web: 2/3 updated, 1 ready` without the elapsed time, so a line is printed only when the counts change. */
export function progressKey(p: Progress): string {
  return p.elapsedMs === undefined ? p.text : p.text.replace(/, [0-9hms]+$/, '');
}
