// What the cluster held before this run wrote anything: one entry per object about to be applied, so a failed
// deploy can put everything back (src/kube/restore) and knows which objects it created.
//
// An entry keeps the live object as it can be re-applied with server-side apply: whole (pod templates, ConfigMap
// and Secret data, labels, annotations, owner references, finalizers), without what the server writes for
// itself and would refuse or misread on the way back in: metadata.managedFields, resourceVersion, uid,
// creationTimestamp, generation, selfLink and deletion fields, the Deployment controller's
// `deployment.kubernetes.io/revision` annotation, and status. uid and resourceVersion are kept beside the object,
// so the restore can tell whether someone else changed it since. Secret data is in here: a snapshot lives in
// memory and is never logged or written to a result.
import type { Cluster, KubeObject, ObjectRef } from '../cluster.ts';
import { describeRef, refOf } from '../cluster.ts';
import { objectKey } from '../manifests/identity.ts';
import { crdScopes } from '../manifests/kinds.ts';
import { DEFAULT_CONCURRENCY, mapBounded } from './bounded.ts';

export interface SnapshotEntry {
  ref: ObjectRef;
  /** The object as it was, ready to re-apply; absent when this run creates it. */
  previous?: KubeObject;
  uid?: string;
  resourceVersion?: string;
}

export interface Snapshot {
  /** ISO time the live objects were read. */
  takenAt: string;
  entries: SnapshotEntry[];
}

/** The live objects by objectKey; undefined: it does not exist (this run creates it). */
export type LiveObjects = Map<string, KubeObject | undefined>;

/** Objects whose kind the server does not serve: the apply of them cannot work. */
export interface Unreadable {
  ref: ObjectRef;
  message: string;
}

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
const CONTROLLER_ANNOTATIONS = ['deployment.kubernetes.io/revision'];

/** The live object without what the server writes for itself (see the top of this file). */
export function restorable(live: KubeObject): KubeObject {
  const { status: _status, ...rest } = structuredClone(live);
  const metadata = { ...rest.metadata };
  for (const field of SERVER_METADATA) delete metadata[field];
  if (metadata.annotations) {
    const annotations = { ...metadata.annotations };
    for (const key of CONTROLLER_ANNOTATIONS) delete annotations[key];
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return { ...rest, metadata } as KubeObject;
}

export function snapshotOf(objects: readonly KubeObject[], live: LiveObjects, now = new Date()): Snapshot {
  return {
    takenAt: now.toISOString(),
    entries: objects.map((object) => {
      const found = live.get(objectKey(object));
      if (!found) return { ref: refOf(object) };
      return {
        ref: refOf(object),
        previous: restorable(found),
        ...(found.metadata.uid !== undefined ? { uid: found.metadata.uid } : {}),
        ...(found.metadata.resourceVersion !== undefined ? { resourceVersion: found.metadata.resourceVersion } : {}),
      };
    }),
  };
}

export function snapshotEntry(snapshot: Snapshot, ref: ObjectRef): SnapshotEntry | undefined {
  const key = objectKey(ref);
  return snapshot.entries.find((e) => objectKey(e.ref) === key);
}

/**
 * Reads every object's live state: one LIST for a kind with several objects in a namespace, a GET for the
 * others (200 ConfigMaps are one request, not 200). A kind the server does not serve is absent when a CRD among
 * `objects` declares it (this run installs it), and unreadable otherwise; any other failure rejects, since a
 * deploy without a snapshot could not be undone.
 */
export async function readLive(cluster: Cluster, objects: readonly KubeObject[], concurrency = DEFAULT_CONCURRENCY): Promise<{ live: LiveObjects; unreadable: Unreadable[] }> {
  const declared = crdScopes(objects);
  const live: LiveObjects = new Map();
  const unreadable: Unreadable[] = [];
  const groups = new Map<string, KubeObject[]>();
  for (const object of objects) {
    const key = `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), object]);
  }
  const reads = [...groups.values()].flatMap((group) => (group.length >= LIST_FROM ? [group] : group.map((o) => [o])));
  await mapBounded(reads, concurrency, async (group) => {
    const first = group[0]!;
    try {
      if (group.length === 1) {
        live.set(objectKey(first), await cluster.get(refOf(first)));
        return;
      }
      const { items } = await cluster.list(first.apiVersion, first.kind, first.metadata.namespace);
      const byName = new Map(items.map((i) => [i.metadata.name, i]));
      for (const object of group) live.set(objectKey(object), byName.get(object.metadata.name));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      for (const object of group) {
        const ref = refOf(object);
        if (declared(object.apiVersion, object.kind) !== undefined) live.set(objectKey(object), undefined);
        else unreadable.push({ ref, message: err instanceof Error ? err.message : `get ${describeRef(ref)}: not found` });
      }
    }
  });
  return { live, unreadable };
}

/** From this many objects of one kind in one namespace, a LIST is cheaper than a GET each. */
const LIST_FROM = 4;

/** A 404 from the request itself, not from the object (which `get` answers with undefined): the kind is unknown. */
function isNotFound(err: unknown): err is Error {
  return err instanceof Error && (err as { reason?: unknown }).reason === 'NotFound';
}
