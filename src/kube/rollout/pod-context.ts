// What a pod rule sees, and the one pass that updates the rollout's memory before any rule reads it (so a rule that
// fires first never hides an observation another rule needed, e.g. a pull failure count).

import { formatDuration } from '../../config/duration.ts';
import { eventContainer, eventTime, summarize } from './events.ts';
import { containerMemory, firstSeen, lookupKey, type ContainerMemory, type RolloutMemory } from './memory.ts';
import { timeOf, type Container, type ContainerStatus, type KubeEvent, type Pod, type Workload } from './objects.ts';
import { CONFIRMATION_TTL_MS, type RuleOptions } from './windows.ts';
import { VERDICT_EVENT_LIMIT, type Finding, type ObjectToConfirm, type Pending, type RuleOutcome } from './verdict.ts';

export interface PodRuleContext {
  pod: Pod;
  podName: string;
  namespace: string;
  /** Events about this pod, newest first. */
  events: KubeEvent[];
  memory: RolloutMemory;
  options: RuleOptions;
  now: number;
  workload: Workload;
  /** The workload's pods of earlier revisions (still running during a rolling update). */
  oldPods: readonly Pod[];
}

export type PodRule = (ctx: PodRuleContext) => RuleOutcome;

export interface ContainerView {
  status: ContainerStatus;
  spec?: Container;
  init: boolean;
  /** An init container with restartPolicy Always: runs beside the app containers. */
  sidecar: boolean;
  memory: ContainerMemory;
}

/** Waiting reasons that mean a pull attempt just failed. */
const PULL_FAILED = new Set(['ErrImagePull', 'RegistryUnavailable', 'SignatureValidationFailed', 'InvalidImageName', 'ErrImageNeverPull']);
export const PULL_REASONS = new Set([...PULL_FAILED, 'ImagePullBackOff']);

export function podKey(pod: Pod): string {
  return pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
}

export function containersOf(pod: Pod, memory: RolloutMemory): ContainerView[] {
  const views: ContainerView[] = [];
  const key = podKey(pod);
  for (const [init, statuses, specs] of [
    [true, pod.status?.initContainerStatuses, pod.spec?.initContainers],
    [false, pod.status?.containerStatuses, pod.spec?.containers],
  ] as const) {
    for (const status of statuses ?? []) {
      const spec = specs?.find((c) => c.name === status.name);
      views.push({
        status,
        ...(spec ? { spec } : {}),
        init,
        sidecar: init && spec?.restartPolicy === 'Always',
        memory: containerMemory(memory, `${key}/${status.name}`),
      });
    }
  }
  return views;
}

/**
 * Record this observation: first sightings of each reason, the restart count a pod brought into the rollout, and
 * pull failures. A pod created before `since` may carry restarts from long ago; only newer ones count.
 */
export function observePod(pod: Pod, memory: RolloutMemory, now: number, since: number | undefined): void {
  const created = timeOf(pod.metadata?.creationTimestamp);
  const preexisting = since !== undefined && created !== undefined && created < since;
  for (const c of containersOf(pod, memory)) {
    const m = c.memory;
    const waiting = c.status.state?.waiting;
    m.restartBaseline ??= preexisting ? (c.status.restartCount ?? 0) : 0;
    if (waiting?.reason) firstSeen(m, waiting.reason, now);
    if (c.status.state?.running && c.status.ready === false) firstSeen(m, 'RunningNotReady', now);
    const reason = waiting?.reason;
    if (reason && PULL_REASONS.has(reason)) {
      const wasPulling = m.lastWaiting !== undefined && PULL_REASONS.has(m.lastWaiting);
      // Each entry into a failure state is one failed attempt; a back-off seen first means we missed its failure.
      if ((PULL_FAILED.has(reason) && m.lastWaiting !== reason) || (reason === 'ImagePullBackOff' && !wasPulling)) {
        m.pullFailures += 1;
      }
    }
    m.lastWaiting = reason;
  }
  const scheduled = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
  if (scheduled?.status === 'False') firstSeen(containerMemory(memory, `${podKey(pod)}/`), scheduled.reason ?? 'Unscheduled', now);
}

/** Pods that say nothing about the new version: being deleted, or failed as a whole (evicted, node shutdown). */
export function isTolerated(pod: Pod, workload: Workload): string | undefined {
  if (pod.metadata?.deletionTimestamp) return 'being deleted';
  const phase = pod.status?.phase;
  // The eviction manager and the node lifecycle set status.reason (Evicted, NodeShutdown, Terminated, ...) when
  // they fail a whole pod; the controller replaces it.
  if (phase === 'Failed' && pod.status?.reason) return `failed as a whole (${pod.status.reason})`;
  if (phase === 'Succeeded' && workload.kind !== 'Job') return 'completed';
  return undefined;
}

/** `45s`, `2m5s`: whole seconds the way rollout.timeout is written. */
export function seconds(ms: number): string {
  return formatDuration(Math.max(0, Math.round(ms / 1000)) * 1000);
}

export function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Events about one container of the pod (and pod-level ones), newest first, as a verdict carries them. */
export function containerEvents(ctx: PodRuleContext, container?: string): Finding['events'] {
  return ctx.events
    .filter((e) => container === undefined || [undefined, container].includes(eventContainer(e)))
    .slice(0, VERDICT_EVENT_LIMIT)
    .map(summarize);
}

export function newestEvent(
  ctx: PodRuleContext,
  match: (e: KubeEvent) => boolean,
  container?: string,
): KubeEvent | undefined {
  return ctx.events.find((e) => match(e) && (container === undefined || eventContainer(e) === container));
}

export function eventIso(e: KubeEvent | undefined): string | undefined {
  return iso(e ? eventTime(e) : undefined);
}

/**
 * A rule saw an object reported missing. The kubelet's cache can lag an object created by the same apply by a
 * few seconds, so the caller looks it up: missing -> the failure; present -> tolerated for a while, then asked
 * again if the error persists.
 */
export function confirmMissing(ctx: PodRuleContext, object: ObjectToConfirm, failure: Omit<Finding, 'status' | 'confirm'>): RuleOutcome {
  const answer = ctx.memory.lookups[lookupKey(object)];
  if (answer?.missing) return { ...failure, status: 'failed', confirm: object };
  if (answer && ctx.now - answer.checkedAt < CONFIRMATION_TTL_MS) {
    return { status: 'pending', until: answer.checkedAt + CONFIRMATION_TTL_MS };
  }
  return { ...failure, status: 'needs-confirmation', confirm: object };
}

/** The first failure, else the first question, else the earliest window end. */
export function strongest(outcomes: readonly RuleOutcome[]): RuleOutcome {
  let question: Finding | undefined;
  let pending: Pending | undefined;
  for (const o of outcomes) {
    if (!o) continue;
    if (o.status === 'failed') return o;
    if (o.status === 'needs-confirmation') question ??= o;
    else if (o.status === 'pending' && (!pending || o.until < pending.until)) pending = o;
  }
  return question ?? pending;
}
