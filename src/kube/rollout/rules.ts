// The rule table and the one function the tracker calls on every change: objects in, a verdict out. No I/O, no
// clock: `now` is given, and what must be remembered between calls travels in RolloutMemory.

import { configMissing, containerCreate, imagePull, restarts } from './container-rules.ts';
import { eventsAbout, newestFirst, summarize } from './events.ts';
import { emptyMemory, type RolloutMemory } from './memory.ts';
import type { ControllerRevision, KubeEvent, Pod, ReplicaSet, Workload } from './objects.ts';
import { isTolerated, observePod, strongest, type PodRule, type PodRuleContext } from './pod-context.ts';
import { mountMissing, readiness, unschedulable } from './pod-rules.ts';
import { progressOf, type Progress } from './progress.ts';
import { newRevision } from './revision.ts';
import {
  VERDICT_EVENT_LIMIT,
  type Finding,
  type Pending,
  type RuleId,
  type RuleOutcome,
  type Verdict,
  type WorkloadRef,
} from './verdict.ts';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from './windows.ts';
import { completion } from './workload-status.ts';
import { WORKLOAD_RULES } from './workload-rules.ts';

/**
 * Rules over each new-revision pod, most specific first: a container that cannot be created also restarts, and
 * "cannot create" is the better diagnosis. `rules` lists the ids each can return.
 */
export const POD_RULES: readonly { rules: readonly RuleId[]; judge: PodRule }[] = [
  { rules: ['image-pull'], judge: imagePull },
  { rules: ['config-missing'], judge: configMissing },
  { rules: ['container-create'], judge: containerCreate },
  { rules: ['mount-missing'], judge: mountMissing },
  { rules: ['oom-killed', 'crash-loop'], judge: restarts },
  { rules: ['unschedulable'], judge: unschedulable },
  { rules: ['readiness'], judge: readiness },
];

export interface Observation {
  workload: Workload;
  /** Pods in the workload's namespace matching its selector (others are ignored). */
  pods: readonly Pod[];
  replicaSets?: readonly ReplicaSet[];
  controllerRevisions?: readonly ControllerRevision[];
  /** Events in the namespace (about the workload, its ReplicaSets and pods; others are ignored). */
  events?: readonly KubeEvent[];
  /** ms when this rollout was applied: restarts and events from before it are not held against it. */
  since?: number;
}

export interface Judgement {
  verdict: Verdict;
  progress: Progress;
  /** Hand this to the next judgeWorkload call for the same workload. */
  memory: RolloutMemory;
}

/** What a judgement needs besides the objects. */
export interface JudgeContext {
  /** ms; the caller's clock, so windows are measured against the same time the tracker uses. */
  now: number;
  /** What the previous judgement of the same workload returned; empty for the first. */
  memory?: RolloutMemory;
  options?: RuleOptions;
}

export function judgeWorkload(observation: Observation, context: JudgeContext): Judgement {
  const { now, memory = emptyMemory(), options = DEFAULT_RULE_OPTIONS } = context;
  const { workload, since } = observation;
  const events = observation.events ?? [];
  const next = structuredClone(memory);
  const ref = workloadRef(workload);
  const revision = newRevision(workload, observation);
  const progress = progressOf(workload, revision, since, now);
  const verdict = (v: Omit<Verdict, 'workload' | 'events'> & { events?: Verdict['events'] }): Judgement => ({
    verdict: { ...v, workload: ref, events: v.events ?? [] },
    progress,
    memory: next,
  });

  if (!revision.observed) {
    const generation = workload.metadata?.generation ?? 0;
    const observed = workload.kind === 'Job' ? generation : (workload.status?.observedGeneration ?? 0);
    return verdict({ status: 'progressing', message: `waiting for the controller to observe generation ${generation} (observed: ${observed})` });
  }

  const judged = revision.pods.filter((p) => isTolerated(p, workload) === undefined);
  for (const pod of judged) observePod(pod, next, now, since);

  let firstPending: Pending | undefined;
  let question: Finding | undefined;
  let failure: Finding | undefined;
  for (const pod of sortByName(judged)) {
    const outcome = applyPodRules(podContext(pod, workload, events, revision.oldPods, next, options, now));
    if (outcome?.status === 'failed' && (!failure || earlier(outcome, failure))) failure = outcome;
    if (outcome?.status === 'needs-confirmation') question ??= outcome;
    if (outcome?.status === 'pending' && (!firstPending || outcome.until < firstPending.until)) firstPending = outcome;
  }

  if (failure) return verdict(failure);

  const ruleContext = { workload, revision, events, ...(since !== undefined ? { since } : {}) };
  for (const rule of WORKLOAD_RULES) {
    const finding = rule(ruleContext);
    if (finding) return verdict({ ...finding, events: finding.events ?? workloadEvents(workload, revision.pods, events) });
  }
  if (question) return verdict(question);

  const done = completion(workload);
  if (done.done) return verdict({ status: 'done', message: done.message });
  return verdict({
    status: 'progressing',
    message: done.message,
    ...(firstPending ? { nextCheckAt: firstPending.until } : {}),
  });
}

/** Of two pods failing, the one whose signal came first tells the story (later ones often follow from it). */
function earlier(a: Finding, b: Finding): boolean {
  const at = (f: Finding) => (f.signalAt ? Date.parse(f.signalAt) : Infinity);
  return at(a) < at(b);
}

function podContext(
  pod: Pod,
  workload: Workload,
  events: readonly KubeEvent[],
  oldPods: readonly Pod[],
  memory: RolloutMemory,
  options: RuleOptions,
  now: number,
): PodRuleContext {
  return {
    pod,
    podName: pod.metadata?.name ?? '?',
    namespace: pod.metadata?.namespace ?? workload.metadata?.namespace ?? 'default',
    events: eventsAbout(events, 'Pod', pod.metadata),
    memory,
    options,
    now,
    workload,
    oldPods,
  };
}

/** Every pod rule in table order; the strongest outcome, naming the pod. */
function applyPodRules(ctx: PodRuleContext): RuleOutcome {
  const outcome = strongest(POD_RULES.map((r) => r.judge(ctx)));
  return outcome && outcome.status !== 'pending' ? { ...outcome, pod: ctx.podName } : outcome;
}

export interface PodObservation {
  pod: Pod;
  events?: readonly KubeEvent[];
  /** The workload the pod belongs to; a Deployment of the pod's name stands in when absent. */
  workload?: Workload;
  oldPods?: readonly Pod[];
  since?: number;
}

export interface PodJudgement {
  /** A failure, a question, a window still open, or nothing to say. */
  outcome: RuleOutcome;
  /** Why the pod is not judged at all (being deleted, evicted, ...). */
  tolerated?: string;
  memory: RolloutMemory;
}

/** The pod rules on one pod taken as part of the new revision (what judgeWorkload does for each). */
export function judgePod(observation: PodObservation, context: JudgeContext): PodJudgement {
  const { now, memory = emptyMemory(), options = DEFAULT_RULE_OPTIONS } = context;
  const { pod } = observation;
  const workload: Workload = observation.workload ?? {
    kind: 'Deployment',
    metadata: { name: pod.metadata?.name ?? '?', namespace: pod.metadata?.namespace ?? 'default' },
  };
  const next = structuredClone(memory);
  const tolerated = isTolerated(pod, workload);
  if (tolerated) return { outcome: undefined, tolerated, memory: next };
  observePod(pod, next, now, observation.since);
  const ctx = podContext(pod, workload, observation.events ?? [], observation.oldPods ?? [], next, options, now);
  return { outcome: applyPodRules(ctx), memory: next };
}

export function workloadRef(workload: Workload): WorkloadRef {
  return { kind: workload.kind, namespace: workload.metadata?.namespace ?? 'default', name: workload.metadata?.name ?? '?' };
}

/** Events about the workload and its new pods, newest first. */
export function workloadEvents(workload: Workload, pods: readonly Pod[], events: readonly KubeEvent[]): Verdict['events'] {
  const about = [eventsAbout(events, workload.kind, workload.metadata), ...pods.map((p) => eventsAbout(events, 'Pod', p.metadata))].flat();
  return newestFirst(about).slice(0, VERDICT_EVENT_LIMIT).map(summarize);
}

function sortByName(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}
