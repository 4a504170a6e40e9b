// What the rules conclude about one workload, in the shape the tracker, the result JSON (`rollout.failure`) and
// the diagnosis text read.

import type { WorkloadKind } from './objects.ts';

/** Stable ids: they appear in the result JSON as `rollout.failure.rule`. */
export const RULE_IDS = [
  'image-pull',
  'crash-loop',
  'oom-killed',
  'config-missing',
  'container-create',
  'mount-missing',
  'replica-failure',
  'progress-deadline',
  'job-failed',
  'unschedulable',
  'readiness',
  // Not a rule over objects: the tracker's backstop when the rollout timeout ends with a workload still waiting.
  'rollout-timeout',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type VerdictStatus = 'progressing' | 'done' | 'failed' | 'needs-confirmation';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** An object a rule saw reported missing and wants looked up before it calls the rollout failed. */
export interface ObjectToConfirm {
  kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';
  namespace: string;
  name: string;
  /** Set when the object exists but a key in it was reported missing. */
  key?: string;
}

export interface EventSummary {
  /** `Pod/web-7d9c-abcde`, `Deployment/web`. */
  object: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  /** ISO time of the newest occurrence. */
  at?: string;
}

/** Which logs explain the failure: the caller fetches the last lines (`kubectl logs --previous` when previous). */
export interface LogsRequest {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

export interface Verdict {
  status: VerdictStatus;
  workload: WorkloadRef;
  /** Set on failed and needs-confirmation. */
  rule?: RuleId;
  pod?: string;
  container?: string;
  /** The API's own word for it: ImagePullBackOff, CrashLoopBackOff, ProgressDeadlineExceeded, ... */
  reason?: string;
  /** One line a person can act on. */
  message: string;
  exitCode?: number;
  restarts?: number;
  /** ISO time the signal first showed in the API (a state's startedAt/finishedAt, a condition's transition, an event). */
  signalAt?: string;
  /** For rules that wait: how long the signal had to last (signalAt + windowMs is when the verdict became due). */
  windowMs?: number;
  /** The newest few relevant events, newest first. */
  events: EventSummary[];
  needsLogs?: LogsRequest;
  /** needs-confirmation: look this up, record the answer with recordLookup(), and judge again. */
  confirm?: ObjectToConfirm;
  /** What usually causes this and what to change, when the rule can tell. */
  hint?: string;
  /** progressing: the earliest time (ms) a window ends, so the tracker can judge again without a new watch event. */
  nextCheckAt?: number;
}

/** How many events a verdict carries. */
export const VERDICT_EVENT_LIMIT = 5;

/** What one rule concluded: a failure, or a question for the caller before it can be one. */
export interface Finding extends Omit<Verdict, 'status' | 'workload' | 'rule' | 'nextCheckAt' | 'events'> {
  status: 'failed' | 'needs-confirmation';
  rule: RuleId;
  events?: EventSummary[];
}

/** A signal whose window has not ended yet: judge again at `until` (ms) even if nothing else changes. */
export interface Pending {
  status: 'pending';
  until: number;
}

export type RuleOutcome = Finding | Pending | undefined;
