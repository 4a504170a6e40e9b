// How long a signal may last before it is a verdict, and the settings the rules take. Named so a person reading a
// verdict can find the number behind it.

import type { Container, Probe } from './objects.ts';

/** How long a pod may stay Unschedulable before the rollout is failed (kstatus uses the same 15 s). */
export const UNSCHEDULABLE_WINDOW_MS = 15_000;

/**
 * How long a pod may stay Unschedulable once the cluster autoscaler said it is adding a node (TriggeredScaleUp):
 * a new GKE node takes one to two minutes to register.
 */
export const SCALE_UP_WINDOW_MS = 180_000;

/** Added to a probe-derived window: the probe's own timeout and the kubelet's status write happen after it. */
export const PROBE_SLACK_MS = 5_000;

/** The kubelet's probe defaults (k8s.io/api core/v1 Probe). */
export const PROBE_DEFAULT_PERIOD_S = 10;
export const PROBE_DEFAULT_FAILURE_THRESHOLD = 3;

/** How long a "the object exists" answer to a needs-confirmation verdict stays valid before the rule asks again. */
export const CONFIRMATION_TTL_MS = 10_000;

/** The settings of rollgate.yml `rollout:` the rules use (see RolloutConfig in src/config/types.ts). */
export interface RuleOptions {
  /** Container restarts tolerated before a crash loop is fatal. */
  allowRestarts: number;
  unschedulableWindowMs: number;
  /** Transient image pull failures tolerated per container. */
  pullErrorBudget: number;
}

export const DEFAULT_RULE_OPTIONS: Readonly<RuleOptions> = {
  allowRestarts: 0,
  unschedulableWindowMs: UNSCHEDULABLE_WINDOW_MS,
  pullErrorBudget: 3,
};

/** The longest a probe can keep failing before the kubelet acts on it: initialDelay + period x failureThreshold. */
export function probeBudgetMs(probe: Probe | undefined): number {
  if (!probe) return 0;
  const period = probe.periodSeconds ?? PROBE_DEFAULT_PERIOD_S;
  const failures = probe.failureThreshold ?? PROBE_DEFAULT_FAILURE_THRESHOLD;
  return ((probe.initialDelaySeconds ?? 0) + period * failures) * 1_000;
}

/**
 * How long a running container may stay not Ready before the readiness rule fires: its startup probe's budget (the
 * readiness probe does not run before startup succeeds), then the readiness probe's, plus slack. A container
 * without a readiness probe is Ready as soon as it runs, so it only gets the startup budget and the slack.
 */
export function readinessWindowMs(container: Container): number {
  return probeBudgetMs(container.startupProbe) + probeBudgetMs(container.readinessProbe) + PROBE_SLACK_MS;
}
