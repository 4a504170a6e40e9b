// The garbage collector, as kube-controller-manager runs it: dependents (metadata.ownerReferences) go when their
// owners go. Background deletion deletes dependents after the owner is gone; foreground (the `foregroundDeletion`
// finalizer) deletes them first and then the owner; orphan (the `orphan` finalizer) strips the owner reference.
// A dependent with another live owner only loses the dangling reference. Deleting a Namespace deletes everything
// in it (the namespace controller's job, done here without the Terminating phase).
import { StoreError, type KubeObject, type ObjectStore, type StoreEvent } from './store.ts';
import { resourceInfo } from './resources.ts';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

interface Ref {
  type: string;
  namespace: string;
  name: string;
}

const refKey = (r: Ref) => `${r.type}\u0000${r.namespace}\u0000${r.name}`;

export function startGarbageCollector(store: ObjectStore): () => void {
  const byUid = new Map<string, Ref>();
  const dependents = new Map<string, Map<string, Ref>>();

  const index = (e: StoreEvent) => {
    const meta = e.object.metadata;
    const ref: Ref = { type: e.resourceType, namespace: meta.namespace ?? '', name: meta.name ?? '' };
    for (const deps of dependents.values()) deps.delete(refKey(ref));
    if (e.type === 'DELETED') {
      if (meta.uid) byUid.delete(meta.uid);
      return;
    }
    if (meta.uid) byUid.set(meta.uid, ref);
    for (const owner of meta.ownerReferences ?? []) {
      let deps = dependents.get(owner.uid);
      if (!deps) dependents.set(owner.uid, (deps = new Map()));
      deps.set(refKey(ref), ref);
    }
  };

  const ignoreGone = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
    }
  };

  const dependentsOf = (uid: string) => [...(dependents.get(uid)?.values() ?? [])];

  const removeFinalizer = (ref: Ref, finalizer: string) =>
    ignoreGone(() =>
      store.mutate(ref.type, ref.namespace, ref.name, (o) => {
        o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      }),
    );

  const dropOwner = (dep: Ref, ownerUid: string) =>
    ignoreGone(() =>
      store.mutate(dep.type, dep.namespace, dep.name, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
        if (!o.metadata.ownerReferences.length) delete o.metadata.ownerReferences;
      }),
    );

  /** The owner `ownerUid` is gone: delete its dependents, or only drop the reference when they have other owners. */
  const collect = (ownerUid: string) => {
    for (const dep of dependentsOf(ownerUid)) {
      const obj = store.get(dep.type, dep.namespace, dep.name);
      if (!obj) continue;
      const others = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid && byUid.has(r.uid));
      if (others.length) dropOwner(dep, ownerUid);
      else ignoreGone(() => store.delete(dep.type, dep.namespace, dep.name));
    }
  };

  const foreground = (owner: KubeObject, ref: Ref) => {
    const uid = owner.metadata.uid ?? '';
    const deps = dependentsOf(uid);
    if (!deps.length) return removeFinalizer(ref, FOREGROUND);
    for (const dep of deps) {
      const obj = store.get(dep.type, dep.namespace, dep.name);
      if (!obj || obj.metadata.deletionTimestamp) continue;
      ignoreGone(() => {
        store.mutate(dep.type, dep.namespace, dep.name, (o) => {
          o.metadata.finalizers = [...new Set([...(o.metadata.finalizers ?? []), FOREGROUND])];
        });
        store.delete(dep.type, dep.namespace, dep.name);
      });
    }
  };

  const orphan = (owner: KubeObject, ref: Ref) => {
    for (const dep of dependentsOf(owner.metadata.uid ?? '')) dropOwner(dep, owner.metadata.uid ?? '');
    removeFinalizer(ref, ORPHAN);
  };

  const deleteNamespaceContents = (namespace: string) => {
    for (const type of store.types()) {
      if (!resourceInfo(type)?.namespaced) continue;
      for (const o of store.list(type, { namespace }).items) ignoreGone(() => store.delete(type, namespace, o.metadata.name ?? ''));
    }
  };

  const handle = (e: StoreEvent) => {
    const before = e.object.metadata.ownerReferences ?? [];
    index(e);
    const meta = e.object.metadata;
    const ref: Ref = { type: e.resourceType, namespace: meta.namespace ?? '', name: meta.name ?? '' };
    if (e.type === 'DELETED') {
      if (meta.uid) collect(meta.uid);
      if (e.resourceType === 'namespaces') deleteNamespaceContents(meta.name ?? '');
      // A dependent went away: an owner waiting in foreground deletion may now be done.
      for (const owner of before) {
        const ownerRef = byUid.get(owner.uid);
        const ownerObj = ownerRef && store.get(ownerRef.type, ownerRef.namespace, ownerRef.name);
        if (ownerRef && ownerObj?.metadata.deletionTimestamp && ownerObj.metadata.finalizers?.includes(FOREGROUND)) {
          foreground(ownerObj, ownerRef);
        }
      }
      return;
    }
    if (meta.deletionTimestamp) {
      if (meta.finalizers?.includes(ORPHAN)) orphan(e.object, ref);
      else if (meta.finalizers?.includes(FOREGROUND)) foreground(e.object, ref);
    }
    // Created pointing only at owners that no longer exist (or never did): collect it, as the real GC does.
    if (e.type === 'ADDED' && before.length && before.every((o) => !byUid.has(o.uid))) {
      ignoreGone(() => store.delete(ref.type, ref.namespace, ref.name));
    }
  };

  // Index what exists first, so an owner listed after its dependent is not mistaken for a missing one.
  const from = store.resourceVersion;
  for (const type of store.types()) {
    for (const object of store.list(type).items) index({ type: 'ADDED', object, resourceType: type });
  }
  return store.watch('*', { resourceVersion: from }, handle);
}
