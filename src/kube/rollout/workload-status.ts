// When is a rollout done? Exactly when `kubectl rollout status` says so (kubectl
// pkg/polymorphichelpers/rollout_status.go), so rollgate and a person's kubectl never disagree about success.
// Jobs have no kubectl rollout status: they are done when Complete, as `kubectl wait --for=condition=Complete`.
// Failure is not decided here (see workload-rules.ts and pod-rules.ts); these only say done or still waiting.

import { conditionOf, type DaemonSet, type Deployment, type Job, type StatefulSet, type Workload } from './objects.ts';

export interface Completion {
  done: boolean;
  /** kubectl's own wording where kubectl has one. */
  message: string;
}

type CompletionRule<W extends Workload> = (workload: W) => Completion;

const COMPLETION: { [K in Workload['kind']]: CompletionRule<Extract<Workload, { kind: K }>> } = {
  Deployment: deploymentCompletion,
  StatefulSet: statefulSetCompletion,
  DaemonSet: daemonSetCompletion,
  Job: jobCompletion,
};

export function completion(workload: Workload): Completion {
  return (COMPLETION[workload.kind] as CompletionRule<Workload>)(workload);
}

const waiting = (message: string): Completion => ({ done: false, message });

export function deploymentCompletion(d: Deployment): Completion {
  const name = d.metadata?.name;
  const s = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return waiting('Waiting for deployment spec update to be observed...');
  }
  if (conditionOf(s.conditions, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return waiting(`deployment "${name}" exceeded its progress deadline`);
  }
  const replicas = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const total = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  if (updated < replicas) {
    return waiting(`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`);
  }
  if (total > updated) {
    return waiting(`Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`);
  }
  if (available < updated) {
    return waiting(`Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`);
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

export function statefulSetCompletion(sts: StatefulSet): Completion {
  const strategy = sts.spec?.updateStrategy;
  // kubectl refuses OnDelete ("rollout status is only available for RollingUpdate"): pods change only when someone
  // deletes them, so there is nothing to wait for.
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    return { done: true, message: `statefulset "${sts.metadata?.name}" uses ${strategy?.type}: pods update only when deleted` };
  }
  const s = sts.status ?? {};
  const observed = s.observedGeneration ?? 0;
  if (observed === 0 || (sts.metadata?.generation ?? 0) > observed) {
    return waiting('Waiting for statefulset spec update to be observed...');
  }
  const replicas = sts.spec?.replicas ?? 1;
  const ready = s.readyReplicas ?? 0;
  const updated = s.updatedReplicas ?? 0;
  if (ready < replicas) return waiting(`Waiting for ${replicas - ready} pods to be ready...`);
  if (strategy?.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (partition !== undefined && updated < replicas - partition) {
      return waiting(`Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`);
    }
    return { done: true, message: `partitioned roll out complete: ${updated} new pods have been updated...` };
  }
  if (s.updateRevision !== s.currentRevision) {
    return waiting(`waiting for statefulset rolling update to complete ${updated} pods at revision ${s.updateRevision}...`);
  }
  return { done: true, message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...` };
}

export function daemonSetCompletion(ds: DaemonSet): Completion {
  const name = ds.metadata?.name;
  const type = ds.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') {
    return { done: true, message: `daemon set "${name}" uses ${type}: pods update only when deleted` };
  }
  const s = ds.status ?? {};
  if ((ds.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return waiting('Waiting for daemon set spec update to be observed...');
  }
  const desired = s.desiredNumberScheduled ?? 0;
  const updated = s.updatedNumberScheduled ?? 0;
  const available = s.numberAvailable ?? 0;
  if (updated < desired) {
    return waiting(`Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
  }
  if (available < desired) {
    return waiting(`Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`);
  }
  return { done: true, message: `daemon set "${name}" successfully rolled out` };
}

export function jobCompletion(job: Job): Completion {
  const s = job.status ?? {};
  const name = job.metadata?.name;
  if (conditionOf(s.conditions, 'Complete')?.status === 'True') {
    return { done: true, message: `job "${name}" completed: ${s.succeeded ?? 0} succeeded` };
  }
  // A Job applied suspended waits for someone to resume it; waiting for it would only run into the timeout.
  if (job.spec?.suspend === true) return { done: true, message: `job "${name}" is suspended (spec.suspend)` };
  const completions = job.spec?.completions ?? job.spec?.parallelism ?? 1;
  return waiting(`Waiting for job "${name}" to complete: ${s.succeeded ?? 0} of ${completions} succeeded, ${s.active ?? 0} active...`);
}
