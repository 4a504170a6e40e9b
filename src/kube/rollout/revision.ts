// Which pods belong to the revision being rolled out. Only those are judged: old-revision pods may crash, be
// evicted or sit unready without it saying anything about the new version.

import { isDeepStrictEqual } from 'node:util';
import {
  isControlledBy,
  timeOf,
  type ControllerRevision,
  type DaemonSet,
  type Deployment,
  type Job,
  type Pod,
  type PodTemplate,
  type ReplicaSet,
  type StatefulSet,
  type Workload,
} from './objects.ts';

export const DEPLOYMENT_REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
/** On ControllerRevisions: the hash the DaemonSet controller stamps on pods as controller-revision-hash. */
export const CONTROLLER_REVISION_OWN_HASH_LABEL = 'controller.kubernetes.io/hash';
export const DAEMONSET_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
export const DAEMONSET_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

export interface RelatedObjects {
  pods: readonly Pod[];
  /** A Deployment's ReplicaSets (any in the namespace; the owned ones are picked here). */
  replicaSets?: readonly ReplicaSet[];
  /** A DaemonSet's ControllerRevisions. */
  controllerRevisions?: readonly ControllerRevision[];
}

export interface NewRevision {
  /** The workload's controller has seen the current spec (status.observedGeneration >= metadata.generation). */
  observed: boolean;
  /** How the revision is named: the RS name, the StatefulSet updateRevision, the DaemonSet hash; absent for Jobs. */
  revision?: string;
  /** A Deployment's new ReplicaSet. */
  replicaSet?: ReplicaSet;
  pods: Pod[];
  /** Pods of the workload that are not of the new revision. */
  oldPods: Pod[];
}

export function isObserved(workload: Workload): boolean {
  // The Job controller keeps no observedGeneration: a Job's pod template cannot change after creation anyway.
  if (workload.kind === 'Job') return true;
  const generation = workload.metadata?.generation ?? 0;
  const observed = workload.status?.observedGeneration ?? 0;
  return observed >= generation;
}

type Finder<W extends Workload> = (workload: W, related: RelatedObjects) => Omit<NewRevision, 'observed'>;

const FINDERS: { [K in Workload['kind']]: Finder<Extract<Workload, { kind: K }>> } = {
  Deployment: deploymentRevision,
  StatefulSet: statefulSetRevision,
  DaemonSet: daemonSetRevision,
  Job: jobPods,
};

export function newRevision(workload: Workload, related: RelatedObjects): NewRevision {
  const find = FINDERS[workload.kind] as Finder<Workload>;
  return { observed: isObserved(workload), ...find(workload, related) };
}

function split(pods: readonly Pod[], isNew: (p: Pod) => boolean): { pods: Pod[]; oldPods: Pod[] } {
  const fresh: Pod[] = [];
  const old: Pod[] = [];
  for (const p of pods) (isNew(p) ? fresh : old).push(p);
  return { pods: fresh, oldPods: old };
}

/**
 * The new ReplicaSet is the owned one whose revision annotation equals the Deployment's (the controller writes
 * both in the same sync); for a Deployment without the annotation, the one whose pod template equals the
 * Deployment's apart from the pod-template-hash label (how the controller itself finds it), oldest first like it.
 */
export function newReplicaSet(deployment: Deployment, replicaSets: readonly ReplicaSet[]): ReplicaSet | undefined {
  const owned = replicaSets.filter((rs) => isControlledBy(rs.metadata, deployment.metadata, 'Deployment'));
  const revision = deployment.metadata?.annotations?.[DEPLOYMENT_REVISION_ANNOTATION];
  if (revision !== undefined) {
    // None yet: the ReplicaSet list lags the Deployment; the next watch event brings it.
    return owned
      .filter((rs) => rs.metadata?.annotations?.[DEPLOYMENT_REVISION_ANNOTATION] === revision)
      .sort((a, b) => created(b) - created(a))[0];
  }
  return owned
    .filter((rs) => sameTemplateIgnoringHash(rs.spec?.template, deployment.spec?.template))
    .sort((a, b) => created(a) - created(b))[0];
}

function deploymentRevision(deployment: Deployment, related: RelatedObjects): Omit<NewRevision, 'observed'> {
  const owned = (related.replicaSets ?? []).filter((r) => isControlledBy(r.metadata, deployment.metadata, 'Deployment'));
  const rs = newReplicaSet(deployment, owned);
  const mine = related.pods.filter((p) => owned.some((r) => belongsTo(p, r)));
  if (!rs) return { pods: [], oldPods: mine };
  return { revision: rs.metadata?.name, replicaSet: rs, ...split(mine, (p) => belongsTo(p, rs)) };
}

/** Owned by the ReplicaSet; for pods recorded without ownerReferences, carrying its pod-template-hash. */
function belongsTo(pod: Pod, rs: ReplicaSet): boolean {
  if (pod.metadata?.ownerReferences?.length) return isControlledBy(pod.metadata, rs.metadata, 'ReplicaSet');
  const hash = rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  return hash !== undefined && pod.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === hash;
}

function statefulSetRevision(sts: StatefulSet, related: RelatedObjects): Omit<NewRevision, 'observed'> {
  const revision = sts.status?.updateRevision;
  const mine = related.pods.filter((p) => isControlledBy(p.metadata, sts.metadata, 'StatefulSet'));
  return {
    ...(revision ? { revision } : {}),
    ...split(mine, (p) => revision !== undefined && p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === revision),
  };
}

/**
 * The DaemonSet controller counts a pod as updated when its controller-revision-hash is the newest
 * ControllerRevision's hash, or its pod-template-generation label equals the template generation annotation
 * (apps/v1) or spec.templateGeneration (extensions/v1beta1); we do the same, with metadata.generation as the last
 * resort when neither is known.
 */
function daemonSetRevision(ds: DaemonSet, related: RelatedObjects): Omit<NewRevision, 'observed'> {
  const newest = (related.controllerRevisions ?? [])
    .filter((cr) => isControlledBy(cr.metadata, ds.metadata, 'DaemonSet'))
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0))[0];
  const prefix = `${ds.metadata?.name}-`;
  const crName = newest?.metadata?.name;
  const hash =
    newest?.metadata?.labels?.[CONTROLLER_REVISION_OWN_HASH_LABEL] ??
    (crName?.startsWith(prefix) ? crName.slice(prefix.length) : undefined);
  const generation =
    ds.metadata?.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION] ??
    (ds.spec?.templateGeneration ?? (hash === undefined ? ds.metadata?.generation : undefined))?.toString();
  const mine = related.pods.filter((p) => isControlledBy(p.metadata, ds.metadata, 'DaemonSet'));
  return {
    ...(hash ? { revision: hash } : generation ? { revision: `generation ${generation}` } : {}),
    ...split(mine, (p) => {
      const labels = p.metadata?.labels ?? {};
      return (
        (hash !== undefined && labels[CONTROLLER_REVISION_HASH_LABEL] === hash) ||
        (generation !== undefined && labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] === generation)
      );
    }),
  };
}

function jobPods(job: Job, related: RelatedObjects): Omit<NewRevision, 'observed'> {
  const uid = job.metadata?.uid;
  return split(
    related.pods.filter(
      (p) =>
        isControlledBy(p.metadata, job.metadata, 'Job') ||
        (uid !== undefined &&
          !p.metadata?.ownerReferences?.length &&
          (p.metadata?.labels?.['batch.kubernetes.io/controller-uid'] ?? p.metadata?.labels?.['controller-uid']) === uid),
    ),
    () => true,
  );
}

function created(o: { metadata?: { creationTimestamp?: string } }): number {
  return timeOf(o.metadata?.creationTimestamp) ?? 0;
}

function sameTemplateIgnoringHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

function withoutHash(t: PodTemplate | undefined): PodTemplate | undefined {
  const labels = t?.metadata?.labels;
  if (!t || !labels || !(POD_TEMPLATE_HASH_LABEL in labels)) return t;
  const { [POD_TEMPLATE_HASH_LABEL]: _, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}
