// Rules over one container's state in a new-revision pod: the image cannot be pulled, the container cannot be
// created or started, its configuration is missing, it keeps crashing.

import { createHint, configHint, exitHint, oomHint, pullHint } from './hints.ts';
import { eventContainer, eventCount, eventMessage } from './events.ts';
import { firstSeen } from './memory.ts';
import { timeOf, type ContainerStateTerminated } from './objects.ts';
import {
  confirmMissing,
  containerEvents,
  containersOf,
  eventIso,
  iso,
  newestEvent,
  PULL_REASONS,
  seconds,
  strongest,
  type ContainerView,
  type PodRuleContext,
} from './pod-context.ts';
import { backOffCause, classifyPullError, pullEventCause } from './pull-errors.ts';
import type { RuleOutcome } from './verdict.ts';

function eachContainer(ctx: PodRuleContext, rule: (c: ContainerView) => RuleOutcome): RuleOutcome {
  return strongest(containersOf(ctx.pod, ctx.memory).map(rule));
}

/**
 * image-pull: a permanent cause (not found, unauthorized, invalid name) fails at once; transient ones (429,
 * timeouts, resets, 5xx, or a cause we cannot read) fail once the container used up pullErrorBudget attempts.
 */
export function imagePull(ctx: PodRuleContext): RuleOutcome {
  return eachContainer(ctx, (c) => {
    const waiting = c.status.state?.waiting;
    const reason = waiting?.reason;
    if (!reason || !PULL_REASONS.has(reason)) return undefined;
    const name = c.status.name;
    const mine = ctx.events.filter(
      (e) => e.reason === 'Failed' && pullEventCause(eventMessage(e)) !== undefined && (eventContainer(e) ?? name) === name,
    );
    const latest = mine[0];
    const stateCause = reason === 'ImagePullBackOff' ? backOffCause(waiting.message) : waiting.message;
    const cause = stateCause ?? (latest ? pullEventCause(eventMessage(latest)) : undefined) ?? c.memory.pullCause;
    if (cause) c.memory.pullCause = cause;
    const attempts = Math.max(c.memory.pullFailures, mine.reduce((n, e) => n + eventCount(e), 0));
    const kind = classifyPullError(reason, cause);
    const budget = ctx.options.pullErrorBudget;
    if (kind === 'transient' && attempts <= budget) return undefined;
    const image = c.status.image ?? c.spec?.image ?? '?';
    const hint = pullHint(cause ?? reason);
    return {
      status: 'failed',
      rule: 'image-pull',
      container: name,
      reason,
      message:
        kind === 'permanent'
          ? `container ${name} in pod ${ctx.podName} cannot pull image "${image}": ${cause ?? reason}`
          : `container ${name} in pod ${ctx.podName} cannot pull image "${image}": ${attempts} failed attempts (pullErrorBudget: ${budget})${cause ? `, last: ${cause}` : ''}`,
      signalAt: eventIso(latest) ?? iso(firstPullSignal(c, reason, ctx.now)),
      events: containerEvents(ctx, name),
      ...(hint ? { hint } : {}),
    };
  });
}

/** The first time we saw any pull failure state of this container. */
function firstPullSignal(c: ContainerView, reason: string, now: number): number {
  const seen = Object.entries(c.memory.firstSeen).filter(([r]) => PULL_REASONS.has(r)).map(([, at]) => at);
  return seen.length ? Math.min(...seen) : firstSeen(c.memory, reason, now);
}

// The kubelet writes these while its informer catches up or the runtime is slow; the next sync usually passes.
const TRANSIENT_CREATE = /failed to sync (configmap|secret) cache|context deadline exceeded|failed to reserve container name|is reserved for/i;

interface MissingReference {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  key?: string;
}

/** `configmap "app-config" not found`, `couldn't find key DB_HOST in ConfigMap invoice-dev/app-config`. */
export function missingConfigReference(message: string | undefined, namespace: string): MissingReference | undefined {
  const text = message ?? '';
  const object = /\b(configmap|secret)s? "([^"]+)" not found/i.exec(text);
  if (object) return { kind: object[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', namespace, name: object[2]! };
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/.exec(text);
  if (key) return { kind: key[2] as 'ConfigMap' | 'Secret', namespace: key[3]!, name: key[4]!, key: key[1]! };
  return undefined;
}

/** config-missing: env/envFrom names a ConfigMap or Secret (or a key) that the kubelet cannot find. */
export function configMissing(ctx: PodRuleContext): RuleOutcome {
  return eachContainer(ctx, (c) => {
    const waiting = c.status.state?.waiting;
    if (waiting?.reason !== 'CreateContainerConfigError') return undefined;
    const ref = missingConfigReference(waiting.message, ctx.namespace);
    if (!ref) return undefined;
    const { kind, namespace, name, key } = ref;
    const failedEvent = newestEvent(ctx, (e) => e.reason === 'Failed' && eventMessage(e).includes(name), c.status.name);
    return confirmMissing(ctx, { kind, namespace, name, ...(key ? { key } : {}) }, {
      rule: 'config-missing',
      container: c.status.name,
      reason: waiting.reason,
      message: `container ${c.status.name} in pod ${ctx.podName} refers to ${key ? `key "${key}" of ` : ''}${kind} ${namespace}/${name}, which does not exist (${waiting.message})`,
      signalAt: eventIso(failedEvent) ?? iso(firstSeen(c.memory, waiting.reason, ctx.now)),
      events: containerEvents(ctx, c.status.name),
      hint: configHint(kind, name, namespace, key),
    });
  });
}

const CREATE_WAITING = new Set(['CreateContainerError', 'RunContainerError', 'PreStartHookError', 'CreateContainerConfigError']);
const START_TERMINATED = new Set(['StartError', 'ContainerCannotRun']);

/** container-create: the runtime could not create or start the container (bad command, runAsNonRoot, mounts). */
export function containerCreate(ctx: PodRuleContext): RuleOutcome {
  return eachContainer(ctx, (c) => {
    const { state, lastState } = c.status;
    const waiting = state?.waiting;
    const terminated = state?.terminated ?? (state?.running ? undefined : lastState?.terminated);
    const startFailed = terminated?.reason && START_TERMINATED.has(terminated.reason) ? terminated : undefined;
    let reason: string;
    let message: string | undefined;
    if (waiting?.reason && CREATE_WAITING.has(waiting.reason)) {
      if (TRANSIENT_CREATE.test(waiting.message ?? '')) return undefined;
      // A missing ConfigMap/Secret is config-missing's, with its confirmation step.
      if (waiting.reason === 'CreateContainerConfigError' && missingConfigReference(waiting.message, ctx.namespace)) return undefined;
      reason = waiting.reason;
      message = waiting.message ?? startFailed?.message;
    } else if (startFailed) {
      reason = startFailed.reason!;
      message = startFailed.message;
    } else {
      return undefined;
    }
    const name = c.status.name;
    const hint = createHint(message);
    const failedEvent = newestEvent(ctx, (e) => e.reason === 'Failed', name);
    return {
      status: 'failed',
      rule: 'container-create',
      container: name,
      reason,
      message: `container ${name} in pod ${ctx.podName} cannot start: ${message ?? reason}`,
      ...(startFailed?.exitCode !== undefined ? { exitCode: startFailed.exitCode } : {}),
      signalAt: iso(timeOf(startFailed?.finishedAt)) ?? eventIso(failedEvent) ?? iso(firstSeen(c.memory, reason, ctx.now)),
      events: containerEvents(ctx, name),
      ...(hint ? { hint } : {}),
    };
  });
}

function restartPolicyOf(ctx: PodRuleContext, c: ContainerView): 'Always' | 'OnFailure' | 'Never' {
  if (c.sidecar) return 'Always';
  const policy = ctx.pod.spec?.restartPolicy ?? 'Always';
  // Init containers are re-run on failure unless the pod never restarts; a clean exit is their success.
  if (c.init) return policy === 'Never' ? 'Never' : 'OnFailure';
  return policy === 'OnFailure' || policy === 'Never' ? policy : 'Always';
}

function willRestart(policy: string, t: ContainerStateTerminated): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && (t.exitCode ?? 0) !== 0);
}

/**
 * crash-loop and oom-killed: more crashes than allowRestarts. A crash is a restart the kubelet made or is about
 * to make (the container is terminated and will be restarted), so with allowRestarts 0 the first crash is enough.
 * Under restartPolicy Never a failed container is the Job's business (job-failed, after its backoffLimit).
 */
export function restarts(ctx: PodRuleContext): RuleOutcome {
  return eachContainer(ctx, (c) => {
    const policy = restartPolicyOf(ctx, c);
    if (policy === 'Never') return undefined;
    const { state, lastState } = c.status;
    const count = c.status.restartCount ?? 0;
    const pendingRestart = state?.terminated && willRestart(policy, state.terminated) ? 1 : 0;
    const crashes = count - (c.memory.restartBaseline ?? 0) + pendingRestart;
    if (crashes <= ctx.options.allowRestarts) return undefined;
    const last = state?.terminated ?? lastState?.terminated;
    const name = c.status.name;
    const oom = last?.reason === 'OOMKilled';
    const livenessKilled =
      newestEvent(ctx, (e) => e.reason === 'Killing' && /liveness probe/i.test(eventMessage(e)), name) !== undefined;
    const ran = duration(last);
    const limit = c.spec?.resources?.limits?.['memory'];
    const when = ran === undefined ? '' : ran < 10_000 ? ' at start' : ` after ${seconds(ran)}`;
    const how = oom
      ? `is OOMKilled${when} (${limit ? `memory limit ${limit}, ` : ''}`
      : `crashes${when} (exit code ${last?.exitCode ?? '?'}${last?.reason && last.reason !== 'Error' ? ` ${last.reason}` : ''}, `;
    return {
      status: 'failed',
      rule: oom ? 'oom-killed' : 'crash-loop',
      container: name,
      reason: state?.waiting?.reason === 'CrashLoopBackOff' ? 'CrashLoopBackOff' : (last?.reason ?? 'Error'),
      message: `container ${name} in pod ${ctx.podName} ${how}${count} restart${count === 1 ? '' : 's'}, allowRestarts: ${ctx.options.allowRestarts})`,
      ...(last?.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
      restarts: count,
      ...(timeOf(last?.finishedAt) !== undefined ? { signalAt: iso(timeOf(last?.finishedAt)) } : {}),
      events: containerEvents(ctx, name),
      needsLogs: { namespace: ctx.namespace, pod: ctx.podName, container: name, previous: !state?.terminated && lastState?.terminated !== undefined },
      ...(oom ? { hint: oomHint(c.spec) } : withHint(exitHint(last?.exitCode, last?.reason, livenessKilled))),
    };
  });
}

function duration(t: ContainerStateTerminated | undefined): number | undefined {
  const start = timeOf(t?.startedAt);
  const end = timeOf(t?.finishedAt);
  return start !== undefined && end !== undefined ? end - start : undefined;
}

function withHint(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}
