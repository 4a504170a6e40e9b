// What a restore does with each snapshot, decided without I/O: re-apply the state from before the run, delete what
// the run created, or leave it (PersistentVolumeClaims, Namespaces and Secrets are never deleted: they hold data
// nobody can rebuild, and a Namespace takes everything in it along). Also the bodies sent and the kubectl commands
// a person runs when a step fails.
//
// How fields the failed run added disappear: the restore server-side applies the snapshot as field manager
// `rollgate` with force. Server-side apply removes a field the manager no longer sets only when that manager owned
// it, and the run's own apply (also `rollgate`) owns every field it added, so a ConfigMap key or a container env var
// the failed release introduced goes away, while fields other managers own are left to them. Force takes back the
// fields the run changed from whoever else claimed them meanwhile. For ConfigMaps and Secrets the restore then
// checks the keys and, if another manager still holds one the snapshot lacks, replaces the data outright (guarded
// by resourceVersion): their previous data is the promise.

import type { SnapshotEntry } from './apply/snapshot.ts';
import { describeRef, type KubeObject, type ObjectRef } from './cluster.ts';

export type RestoreStep =
  | { action: 'apply'; ref: ObjectRef; body: KubeObject }
  | { action: 'delete'; ref: ObjectRef }
  | { action: 'leave'; ref: ObjectRef; reason: string };

/** Created by the run, yet never deleted by a restore. */
export const NEVER_DELETED: Readonly<Record<string, string>> = {
  PersistentVolumeClaim: 'PersistentVolumeClaims are never deleted: the volume may already hold data',
  Namespace: 'Namespaces are never deleted: everything in them would go too',
  Secret: 'Secrets are never deleted: they may have been filled in by hand or by another tool',
  CustomResourceDefinition: 'CustomResourceDefinitions are never deleted: every custom resource of the kind would go too',
};

/** Workloads whose previous revision the restore waits for. Jobs are not waited for: a finished Job stays finished. */
export const RESTORED_WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** Controllers write these; applying an old value would only make rollgate own a field they keep changing. */
const CONTROLLER_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'deprecated.daemonset.template.generation'];

const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];

/** The steps for the snapshot's entries (in apply order, as the apply stage took them). */
export function planRestore(entries: readonly SnapshotEntry[]): RestoreStep[] {
  const applies: RestoreStep[] = [];
  const deletes: RestoreStep[] = [];
  for (const s of entries) {
    if (s.previous) applies.push({ action: 'apply', ref: s.ref, body: restoreBody(s.previous) });
    else if (NEVER_DELETED[s.ref.kind]) deletes.push({ action: 'leave', ref: s.ref, reason: NEVER_DELETED[s.ref.kind]! });
    else deletes.push({ action: 'delete', ref: s.ref });
  }
  // Config before the workloads that read it; what the run created goes in reverse apply order (pods first).
  const workload = (step: RestoreStep) => isWorkload(step.ref);
  return [...applies.filter((s) => !workload(s)), ...applies.filter(workload), ...deletes.reverse()];
}

export function isWorkload(ref: ObjectRef): boolean {
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(ref.kind);
}

/**
 * The snapshot as an apply body: what a person wrote or a controller defaulted, not what the server stamps. The
 * apply stage already strips most of it (apply/snapshot.ts restorable()); this also covers snapshots taken by
 * hand and the DaemonSet controller's annotation.
 */
export function restoreBody(before: KubeObject): KubeObject {
  const body = structuredClone(before);
  delete body['status'];
  const meta = body.metadata as Record<string, unknown>;
  for (const field of SERVER_METADATA) delete meta[field];
  const annotations = body.metadata.annotations;
  if (annotations) {
    for (const a of CONTROLLER_ANNOTATIONS) delete annotations[a];
    if (!Object.keys(annotations).length) delete body.metadata.annotations;
  }
  return body;
}

/** The parts of an object a restore puts back; equal content needs no write. */
export function restorableContent(o: KubeObject): unknown {
  const { metadata, status: _status, ...rest } = restoreBody(o);
  return { ...rest, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} };
}

/** ConfigMap/Secret keys the live object has and the snapshot does not. */
export function extraKeys(live: KubeObject, before: KubeObject): string[] {
  const keys = (o: KubeObject) => [...Object.keys((o['data'] ?? {}) as object), ...Object.keys((o['binaryData'] ?? {}) as object)];
  const wanted = new Set(keys(before));
  return keys(live).filter((k) => !wanted.has(k));
}

/** `deployment.apps/web`, `configmap/web-config`: how kubectl names one object unambiguously. */
export function kubectlName(ref: ObjectRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

export function kubectlPrefix(ref: ObjectRef, context: string | undefined): string {
  return `kubectl${context ? ` --context ${context}` : ''}${ref.namespace ? ` -n ${ref.namespace}` : ''}`;
}

export type RestoreStage = 'apply' | 'delete' | 'rollout';

/** The commands that finish a step the restore could not do. `file` holds the restore body when one was written. */
export function finishCommands(stage: RestoreStage, ref: ObjectRef, context: string | undefined, file?: string): string[] {
  const k = kubectlPrefix(ref, context);
  const name = kubectlName(ref);
  switch (stage) {
    case 'apply': {
      const commands = file
        ? [`${k} apply --server-side --force-conflicts --field-manager=rollgate -f ${file}`]
        : [`${k} edit ${name}   # put back the state before the deploy (${describeRef(ref)})`];
      if (RESTORED_WORKLOAD_KINDS.includes(ref.kind) && !file) commands.unshift(`${k} rollout undo ${name}`);
      return commands;
    }
    case 'delete':
      return [`${k} delete ${name}`];
    case 'rollout':
      return [`${k} rollout status ${name} --timeout=5m`, `${k} describe ${name}`];
  }
}
