// Rules over a whole new-revision pod: a volume it needs is missing, no node takes it, or it runs but never
// becomes Ready. The last two wait for a window before they fire.

import { eventMessage } from './events.ts';
import { configHint, describeProbe, readinessHint, schedulingHint } from './hints.ts';
import { containerMemory, firstSeen } from './memory.ts';
import { conditionOf, timeOf, type Pod } from './objects.ts';
import {
  confirmMissing,
  containerEvents,
  containersOf,
  eventIso,
  iso,
  newestEvent,
  podKey,
  seconds,
  strongest,
  type PodRuleContext,
} from './pod-context.ts';
import type { ObjectToConfirm, RuleOutcome } from './verdict.ts';
import { readinessWindowMs, SCALE_UP_WINDOW_MS } from './windows.ts';

// MountVolume.SetUp failed for volume "config" : configmap "app-config" not found
// MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: settings.py
const MOUNT_OBJECT = /for volume "([^"]+)" : (configmap|secret) "([^"]+)" not found/i;
const MOUNT_KEY = /for volume "([^"]+)" : (configmap|secret) references non-existent (?:config|secret) key: (\S+)/i;
// In the scheduler's FitError when a pod's claim does not exist.
const PVC_MISSING = /persistentvolumeclaim "([^"]+)" not found/i;

/**
 * mount-missing: a ConfigMap/Secret volume (FailedMount) or a PersistentVolumeClaim (the scheduler refuses the pod)
 * that does not exist. Events like "failed to sync configmap cache" are the kubelet catching up: not this rule.
 */
export function mountMissing(ctx: PodRuleContext): RuleOutcome {
  const { pod } = ctx;
  const started = containersOf(pod, ctx.memory).some((c) => c.status.state?.running || c.status.state?.terminated);
  if (started) return undefined;
  const outcomes: RuleOutcome[] = [];
  const mountEvent = newestEvent(ctx, (e) => e.reason === 'FailedMount' && (MOUNT_OBJECT.test(eventMessage(e)) || MOUNT_KEY.test(eventMessage(e))));
  if (mountEvent) {
    const text = eventMessage(mountEvent);
    const target = mountTarget(pod, text, ctx.namespace);
    if (target) {
      outcomes.push(
        confirmMissing(ctx, target, {
          rule: 'mount-missing',
          reason: 'FailedMount',
          message: `pod ${ctx.podName}: ${text}`,
          signalAt: eventIso(mountEvent),
          events: containerEvents(ctx),
          hint: configHint(target.kind, target.name, target.namespace, target.key),
        }),
      );
    }
  }
  const scheduled = conditionOf(pod.status?.conditions, 'PodScheduled');
  const schedulingEvent = newestEvent(ctx, (e) => e.reason === 'FailedScheduling' && PVC_MISSING.test(eventMessage(e)));
  const schedulingText = [scheduled?.status === 'False' ? scheduled.message : undefined, schedulingEvent && eventMessage(schedulingEvent)]
    .find((t) => t && PVC_MISSING.test(t));
  const claim = schedulingText ? PVC_MISSING.exec(schedulingText)?.[1] : undefined;
  if (claim) {
    outcomes.push(
      confirmMissing(ctx, { kind: 'PersistentVolumeClaim', namespace: ctx.namespace, name: claim }, {
        rule: 'mount-missing',
        reason: scheduled?.reason ?? 'FailedScheduling',
        message: `pod ${ctx.podName} cannot be scheduled: ${schedulingText}`,
        signalAt: eventIso(schedulingEvent) ?? iso(timeOf(scheduled?.lastTransitionTime)),
        events: containerEvents(ctx),
        hint: configHint('PersistentVolumeClaim', claim, ctx.namespace, undefined),
      }),
    );
  }
  return strongest(outcomes);
}

function mountTarget(pod: Pod, text: string, namespace: string): ObjectToConfirm | undefined {
  const object = MOUNT_OBJECT.exec(text);
  if (object) return { kind: object[2]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', namespace, name: object[3]! };
  const key = MOUNT_KEY.exec(text);
  if (!key) return undefined;
  // The message names the volume and the key, not the object: the pod spec maps one to the other.
  const volume = pod.spec?.volumes?.find((v) => v.name === key[1]);
  const secret = key[2]!.toLowerCase() === 'secret';
  const name = secret ? volume?.secret?.secretName : volume?.configMap?.name;
  return name ? { kind: secret ? 'Secret' : 'ConfigMap', namespace, name, key: key[3]! } : undefined;
}

/**
 * unschedulable: PodScheduled=False/Unschedulable for longer than the window. The cluster autoscaler's
 * NotTriggerScaleUp ("pod didn't trigger scale-up") means no node is coming: fail at once. Its TriggeredScaleUp
 * means one is: allow the time a node takes to join.
 */
export function unschedulable(ctx: PodRuleContext): RuleOutcome {
  const { pod, now } = ctx;
  const c = conditionOf(pod.status?.conditions, 'PodScheduled');
  if (c?.status !== 'False' || c.reason !== 'Unschedulable') return undefined;
  if (PVC_MISSING.test(c.message ?? '')) return undefined;
  const failedScheduling = newestEvent(ctx, (e) => e.reason === 'FailedScheduling');
  const scheduler = (failedScheduling && eventMessage(failedScheduling)) || c.message || 'the pod cannot be scheduled';
  const autoscaler = newestEvent(ctx, (e) => e.reason === 'NotTriggerScaleUp' || e.reason === 'TriggeredScaleUp');
  const noNodeComing = autoscaler?.reason === 'NotTriggerScaleUp';
  const window = autoscaler?.reason === 'TriggeredScaleUp' ? SCALE_UP_WINDOW_MS : ctx.options.unschedulableWindowMs;
  const since =
    timeOf(c.lastTransitionTime) ??
    timeOf(pod.metadata?.creationTimestamp) ??
    firstSeen(containerMemory(ctx.memory, `${podKey(pod)}/`), 'Unschedulable', now);
  if (!noNodeComing && now - since < window) return { status: 'pending', until: since + window };
  const hint = schedulingHint(scheduler, surgeBlocked(ctx));
  return {
    status: 'failed',
    rule: 'unschedulable',
    reason: noNodeComing ? 'NotTriggerScaleUp' : 'Unschedulable',
    message: noNodeComing
      ? `pod ${ctx.podName} cannot be scheduled and no node is coming: ${scheduler}; cluster autoscaler: ${eventMessage(autoscaler!)}`
      : `pod ${ctx.podName} has been unschedulable for ${seconds(now - since)}: ${scheduler}`,
    signalAt: noNodeComing ? (eventIso(autoscaler) ?? iso(since)) : iso(since),
    ...(noNodeComing ? {} : { windowMs: window }),
    events: containerEvents(ctx),
    ...(hint ? { hint } : {}),
  };
}

/** A rolling update whose old pods still run: the new pod needs room next to them (maxSurge). */
function surgeBlocked(ctx: PodRuleContext): boolean {
  const { workload } = ctx;
  if (workload.kind !== 'Deployment' || workload.spec?.strategy?.type === 'Recreate') return false;
  const surge = workload.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%';
  const oldRunning = ctx.oldPods.some((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  return oldRunning && surge !== 0 && surge !== '0' && surge !== '0%';
}

/**
 * readiness: a container runs but is not Ready for longer than its probes allow (startup budget + readiness
 * budget + slack). The message carries the newest probe failure the kubelet reported.
 */
export function readiness(ctx: PodRuleContext): RuleOutcome {
  return strongest(
    containersOf(ctx.pod, ctx.memory).map((c) => {
      const running = c.status.state?.running;
      if (c.init || !running || c.status.ready !== false) return undefined;
      const started = timeOf(running.startedAt) ?? firstSeen(c.memory, 'RunningNotReady', ctx.now);
      // A container that was Ready and dropped out (a flapping probe during a long rollout) gets a fresh window
      // from the drop, which the kubelet stamps on ContainersReady.
      const dropped = conditionOf(ctx.pod.status?.conditions, 'ContainersReady');
      const droppedAt = dropped?.status === 'False' ? timeOf(dropped.lastTransitionTime) : undefined;
      const since = Math.max(started, droppedAt ?? started);
      const everReady = droppedAt !== undefined && droppedAt > started;
      const window = c.spec ? readinessWindowMs(c.spec) : readinessWindowMs({ name: c.status.name, readinessProbe: {} });
      if (ctx.now - since < window) return { status: 'pending', until: since + window };
      const name = c.status.name;
      const unhealthy = newestEvent(ctx, (e) => e.reason === 'Unhealthy' && /^(Readiness|Startup) probe/.test(eventMessage(e)), name);
      const probe = c.spec?.readinessProbe;
      const described = describeProbe(probe);
      const budget = probe
        ? `, probe ${described}, every ${probe.periodSeconds ?? 10}s, ${probe.failureThreshold ?? 3} failures allowed`
        : '';
      const hint = readinessHint(unhealthy && eventMessage(unhealthy), c.spec);
      return {
        status: 'failed',
        rule: 'readiness',
        container: name,
        reason: 'NotReady',
        message: `container ${name} in pod ${ctx.podName} ${everReady ? `has not been Ready for ${seconds(ctx.now - since)}` : `has run for ${seconds(ctx.now - since)} without becoming Ready`} (window ${seconds(window)}${budget})${unhealthy ? `: ${eventMessage(unhealthy)}` : ''}`,
        signalAt: iso(since),
        windowMs: window,
        events: containerEvents(ctx, name),
        needsLogs: { namespace: ctx.namespace, pod: ctx.podName, container: name, previous: false },
        ...(hint ? { hint } : {}),
      };
    }),
  );
}
