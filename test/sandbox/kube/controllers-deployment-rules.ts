// The arithmetic and status rules of the Deployment controller (pkg/controller/deployment/util), as pure
// functions: surge and unavailability fenceposts, how far to scale the new ReplicaSet, the status counters and the
// Available / Progressing conditions with their real reasons and messages.
import { setCondition, removeCondition } from './controllers-common.ts';
import { timestamp } from './store.ts';
import type { Deployment, DeploymentStatus, IntOrString, ReplicaSet, WorkloadCondition } from './workload-types.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

export const replicasOf = (d: Deployment) => d.spec.replicas ?? 1;
const specReplicas = (rs: ReplicaSet | undefined) => rs?.spec.replicas ?? 0;

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function scaled(value: IntOrString | undefined, fallback: string, total: number, roundUp: boolean): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const percent = /^(\d+)%$/.exec(v);
  if (!percent) return Number(v) || 0;
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** deploymentutil.ResolveFenceposts: surge rounds up, unavailable down, and both zero means one unavailable. */
export function fenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const ru = d.spec.strategy?.rollingUpdate;
  const replicas = replicasOf(d);
  const maxSurge = scaled(ru?.maxSurge, '25%', replicas, true);
  let maxUnavailable = scaled(ru?.maxUnavailable, '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).maxUnavailable, replicasOf(d));
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d).maxSurge : 0;
}

/** deploymentutil.NewRSNewReplicas: grow the new ReplicaSet as far as maxSurge allows. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const current = allRSs.reduce((n, rs) => n + specReplicas(rs), 0);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

/** deployment controller calculateStatus, with the Available condition. */
export function calculateStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const sum = (f: (rs: ReplicaSet) => number | undefined) => allRSs.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const available = sum((rs) => rs.status?.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    // Counted against the ReplicaSets' spec.replicas; negative while scaling down, so clamped.
    unavailableReplicas: Math.max(0, sum((rs) => rs.spec.replicas) - available),
    conditions: d.status?.conditions ?? [],
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
  const at = timestamp(new Date(now));
  status.conditions =
    available >= replicasOf(d) - maxUnavailable(d)
      ? setCondition(status.conditions!, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', at))
      : setCondition(status.conditions!, condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', at));
  return status;
}

export function condition(type: string, status: WorkloadCondition['status'], reason: string, message: string, at: string): WorkloadCondition {
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

export function progressing(status: DeploymentStatus | undefined): WorkloadCondition | undefined {
  return status?.conditions?.find((c) => c.type === 'Progressing');
}

export function hasProgressDeadline(d: Deployment): boolean {
  return (d.spec.progressDeadlineSeconds ?? 600) !== 2147483647;
}

/** deploymentutil.DeploymentComplete */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
}

/** deploymentutil.DeploymentProgressing: more updated, ready or available pods, or fewer old ones. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** deploymentutil.DeploymentTimedOut */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = progressing(s);
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(c.lastUpdateTime ?? '') || 0;
  return from + (d.spec.progressDeadlineSeconds ?? 600) * 1000 < now;
}

/** syncRolloutStatus: the Progressing condition (and ReplicaFailure copied from the ReplicaSets). */
export function rolloutStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, now);
  const at = timestamp(new Date(now));
  let conditions = s.conditions ?? [];
  if (!hasProgressDeadline(d)) conditions = removeCondition(conditions, 'Progressing');
  const current = progressing(d.status);
  const complete = s.replicas === s.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      conditions = setCondition(conditions, condition('Progressing', 'True', 'NewReplicaSetAvailable', `${subject} has successfully progressed.`, at));
    } else if (deploymentProgressing(d, s)) {
      const next = condition('Progressing', 'True', 'ReplicaSetUpdated', `${subject} is progressing.`, at);
      // Progress refreshes lastUpdateTime (the deadline counts from it) even when the reason stays the same.
      if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
      conditions = [...removeCondition(conditions, 'Progressing'), next];
    } else if (deploymentTimedOut(d, { ...s, conditions }, now)) {
      conditions = setCondition(conditions, condition('Progressing', 'False', 'ProgressDeadlineExceeded', `${subject} has timed out progressing.`, at));
    }
  }
  const failure = allRSs.flatMap((rs) => rs.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  conditions = failure
    ? setCondition(conditions, { type: 'ReplicaFailure', status: 'True', lastUpdateTime: at, lastTransitionTime: at, reason: failure.reason, message: failure.message })
    : removeCondition(conditions, 'ReplicaFailure');
  return { ...s, conditions };
}

/** When the progress deadline of a rollout still in progress runs out (ms since epoch), or undefined. */
export function deadlineAt(d: Deployment, s: DeploymentStatus): number | undefined {
  const c = progressing(s);
  if (!hasProgressDeadline(d) || !c || c.reason === 'NewReplicaSetAvailable' || c.reason === 'ProgressDeadlineExceeded' || deploymentComplete(d, s)) {
    return undefined;
  }
  return (Date.parse(c.lastUpdateTime ?? '') || 0) + (d.spec.progressDeadlineSeconds ?? 600) * 1000 + 1000;
}
