/**
 * The object store of the Kubernetes API emulator: what etcd plus the generic registry are to a real API server.
 * The API server, the garbage collector and the controllers/scheduler/kubelet all read and write through one
 * `ObjectStore`, in the same process.
 *
 * Resource types are named as kubectl names them: 'pods', 'configmaps', 'deployments.apps',
 * 'leases.coordination.k8s.io' (see resources.ts; `typeOfKind(apiVersion, kind)` maps an ownerReference to one).
 * Unknown type names throw, so a typo fails loudly.
 *
 * API (all synchronous; every value in or out is a deep copy, so callers may mutate what they get):
 *   store.resourceVersion                       current global resourceVersion, a decimal string (one counter, as etcd)
 *   store.get(type, namespace, name)            the object, or undefined. `namespace` is '' for cluster-scoped types.
 *   store.mustGet(type, namespace, name)        the object, or throws StoreError NotFound
 *   store.list(type, { namespace?, labelSelector?, filter? })
 *                                               { items (sorted by namespace, name), resourceVersion }
 *   store.create(type, obj, { uid? })           sets uid (or the one given), creationTimestamp, resourceVersion,
 *                                               generation 1 (types with generation); `metadata.generateName` works;
 *                                               throws AlreadyExists, Invalid (no name)
 *   store.update(type, obj)                     replaces the object. If obj.metadata.resourceVersion is set and is
 *                                               not the stored one: Conflict. uid/creationTimestamp are kept; generation
 *                                               bumps only when something outside metadata and status changed. An
 *                                               update that changes nothing is not written (same resourceVersion, no event).
 *   store.mutate(type, namespace, name, fn)     read-modify-write without a conflict: fn changes the copy in place
 *                                               (or returns a replacement); returns the stored result. Atomic (JS is
 *                                               single-threaded), the convenient way for controllers to write status.
 *   store.delete(type, namespace, name, { uid?, resourceVersion? })
 *                                               removes it (DELETED event, the object carries a new resourceVersion)
 *                                               and returns it. Preconditions that do not hold: Conflict. If it has
 *                                               finalizers it is only marked (deletionTimestamp set, MODIFIED) and goes
 *                                               away when an update empties metadata.finalizers. Dependents are NOT
 *                                               deleted here: gc.ts does that from the watch, as the real GC controller.
 *   store.watch(type | '*', { namespace?, resourceVersion?, filter? }, handler) => stop()
 *                                               handler({ type: 'ADDED'|'MODIFIED'|'DELETED', object, resourceType }).
 *                                               resourceVersion undefined: only changes from now on. '0': an ADDED
 *                                               for every current object first (what a watch without resourceVersion
 *                                               means in the HTTP API). 'N': replays every change after N from the
 *                                               bounded history, then follows; throws StoreError Gone (410, "too old
 *                                               resource version") when those changes were already dropped.
 *                                               Events reach each handler in resourceVersion order, asynchronously
 *                                               (a microtask after the write), so handlers may write to the store.
 *
 * Not modelled: graceful deletion (deletionGracePeriodSeconds; add a finalizer to get a "Terminating" phase),
 * admission, defaulting, validation beyond metadata.name (the API server layer does what it needs).
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { resourceInfo, type ResourceInfo } from './resources.ts';
import { matchesLabelSelector, parseLabelSelector, type LabelSelector } from './selectors.ts';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Invalid';

const CODES: Record<StoreErrorReason, number> = { NotFound: 404, AlreadyExists: 409, Conflict: 409, Gone: 410, Invalid: 422 };

/** A failure with the reason and code of the metav1.Status a real API server answers it with. */
export class StoreError extends Error {
  override name = 'StoreError';
  readonly reason: StoreErrorReason;
  readonly code: number;
  /** metav1.StatusDetails: name, group, kind (the plural resource, or the Kind for Invalid, as real servers put it). */
  readonly details: { name?: string; group?: string; kind?: string; causes?: Array<{ reason: string; message: string; field: string }> };
  constructor(reason: StoreErrorReason, message: string, details: StoreError['details'] = {}) {
    super(message);
    this.reason = reason;
    this.code = CODES[reason];
    this.details = details;
  }
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  object: KubeObject;
  /** The resource type name, e.g. 'deployments.apps'. */
  resourceType: string;
}

export interface ListOptions {
  /** Only this namespace; all namespaces when undefined. */
  namespace?: string;
  /** The query syntax ('app=web,tier!=db') or a structured metav1.LabelSelector. */
  labelSelector?: string | LabelSelector;
  filter?: (obj: KubeObject) => boolean;
}

export interface WatchOptions extends ListOptions {
  resourceVersion?: string;
}

export interface StoreOptions {
  /** How many changes are kept for watches that resume from a resourceVersion. */
  historyLimit?: number;
}

interface HistoryEntry extends StoreEvent {
  rv: number;
  namespace: string;
}

interface Watcher {
  type: string;
  accepts: (entry: { resourceType: string; namespace: string; object: KubeObject }) => boolean;
  handler: (event: StoreEvent) => void;
  queue: StoreEvent[];
  scheduled: boolean;
  stopped: boolean;
}

export class ObjectStore {
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #history: HistoryEntry[] = [];
  readonly #historyLimit: number;
  readonly #watchers = new Set<Watcher>();
  #rv = 0;
  /** Changes up to this resourceVersion are no longer in the history. */
  #droppedUpTo = 0;

  constructor(options: StoreOptions = {}) {
    this.#historyLimit = options.historyLimit ?? 5000;
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  get<T extends KubeObject = KubeObject>(type: string, namespace: string, name: string): T | undefined {
    const info = this.#info(type);
    const obj = this.#bucket(type).get(key(info, namespace, name));
    return obj ? (structuredClone(obj) as T) : undefined;
  }

  mustGet<T extends KubeObject = KubeObject>(type: string, namespace: string, name: string): T {
    const obj = this.get<T>(type, namespace, name);
    if (!obj) throw notFound(this.#info(type), name);
    return obj;
  }

  list<T extends KubeObject = KubeObject>(type: string, options: ListOptions = {}): { items: T[]; resourceVersion: string } {
    const info = this.#info(type);
    const accepts = listFilter(info, options);
    const items = [...this.#bucket(type).values()]
      .filter((obj) => accepts(obj.metadata.namespace ?? '', obj))
      .sort(byNamespaceAndName)
      .map((obj) => structuredClone(obj) as T);
    return { items, resourceVersion: this.resourceVersion };
  }

  create<T extends KubeObject = KubeObject>(type: string, input: NoInfer<T>, options: { uid?: string } = {}): T {
    const info = this.#info(type);
    const obj = jsonCopy(input) as KubeObject;
    obj.metadata = { ...(obj.metadata ?? {}) };
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    if (!meta.name) {
      throw new StoreError('Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, {
        ...(info.group ? { group: info.group } : {}),
        kind: info.kind,
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
      });
    }
    if (info.namespaced) {
      if (!meta.namespace) throw new StoreError('Invalid', `${info.kind} "${meta.name}" is invalid: metadata.namespace: Required value`);
    } else delete meta.namespace;
    const bucket = this.#bucket(type);
    const k = key(info, meta.namespace ?? '', meta.name);
    if (bucket.has(k)) {
      throw new StoreError('AlreadyExists', `${qualified(info)} "${meta.name}" already exists`, details(info, meta.name));
    }
    meta.uid = options.uid ?? randomUUID();
    meta.creationTimestamp = timestamp();
    delete meta.deletionTimestamp;
    if (info.generation) meta.generation = 1;
    else delete meta.generation;
    meta.resourceVersion = this.#nextRv();
    bucket.set(k, obj);
    this.#record('ADDED', type, obj);
    return structuredClone(obj) as T;
  }

  update<T extends KubeObject = KubeObject>(type: string, input: NoInfer<T>): T {
    const info = this.#info(type);
    const meta = input.metadata ?? {};
    const namespace = info.namespaced ? (meta.namespace ?? '') : '';
    const name = meta.name ?? '';
    const bucket = this.#bucket(type);
    const k = key(info, namespace, name);
    const old = bucket.get(k);
    if (!old) throw notFound(info, name);
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) throw conflict(info, name);
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(info)} "${name}": Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`,
        details(info, name),
      );
    }
    const obj = jsonCopy(input) as KubeObject;
    obj.metadata = {
      ...obj.metadata,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      resourceVersion: old.metadata.resourceVersion,
    };
    if (info.namespaced) obj.metadata.namespace = namespace;
    else delete obj.metadata.namespace;
    if (old.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    else delete obj.metadata.deletionTimestamp;
    if (info.generation) {
      const generation = old.metadata.generation ?? 1;
      obj.metadata.generation = isDeepStrictEqual(specOf(obj), specOf(old)) ? generation : generation + 1;
    } else delete obj.metadata.generation;
    if (isDeepStrictEqual(obj, old)) return structuredClone(old) as T;
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).length) {
      bucket.delete(k);
      obj.metadata.resourceVersion = this.#nextRv();
      this.#record('DELETED', type, obj);
      return structuredClone(obj) as T;
    }
    obj.metadata.resourceVersion = this.#nextRv();
    bucket.set(k, obj);
    this.#record('MODIFIED', type, obj);
    return structuredClone(obj) as T;
  }

  mutate<T extends KubeObject = KubeObject>(
    type: string,
    namespace: string,
    name: string,
    change: (obj: T) => T | void,
  ): T {
    const current = this.mustGet<T>(type, namespace, name);
    const next = change(current) ?? current;
    next.metadata = { ...next.metadata, resourceVersion: undefined };
    return this.update<T>(type, next);
  }

  delete<T extends KubeObject = KubeObject>(
    type: string,
    namespace: string,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
  ): T {
    const info = this.#info(type);
    const bucket = this.#bucket(type);
    const k = key(info, namespace, name);
    const old = bucket.get(k);
    if (!old) throw notFound(info, name);
    if (preconditions.uid && preconditions.uid !== old.metadata.uid) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(info)} "${name}": Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${old.metadata.uid}`,
        details(info, name),
      );
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== old.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(info)} "${name}": Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
        details(info, name),
      );
    }
    const obj = structuredClone(old);
    if ((obj.metadata.finalizers ?? []).length) {
      if (obj.metadata.deletionTimestamp) return obj as T;
      obj.metadata.deletionTimestamp = timestamp();
      obj.metadata.deletionGracePeriodSeconds = 0;
      obj.metadata.resourceVersion = this.#nextRv();
      bucket.set(k, obj);
      this.#record('MODIFIED', type, obj);
      return structuredClone(obj) as T;
    }
    bucket.delete(k);
    obj.metadata.resourceVersion = this.#nextRv();
    this.#record('DELETED', type, obj);
    return structuredClone(obj) as T;
  }

  watch(type: string, options: WatchOptions, handler: (event: StoreEvent) => void): () => void {
    const all = type === '*';
    const info = all ? undefined : this.#info(type);
    const filter = info ? listFilter(info, options) : listFilter(undefined, options);
    const watcher: Watcher = {
      type,
      accepts: (e) => (all || e.resourceType === type) && filter(e.namespace, e.object),
      handler,
      queue: [],
      scheduled: false,
      stopped: false,
    };
    const from = options.resourceVersion;
    if (from === '0') {
      const types = all ? [...this.#objects.keys()] : [type];
      for (const t of types) {
        for (const object of this.list(t, { namespace: options.namespace }).items) {
          if (watcher.accepts({ resourceType: t, namespace: object.metadata.namespace ?? '', object })) {
            watcher.queue.push({ type: 'ADDED', object, resourceType: t });
          }
        }
      }
    } else if (from !== undefined && from !== '') {
      const since = Number(from);
      if (!Number.isInteger(since) || since < 0) {
        throw new StoreError('Invalid', `invalid resource version: ${JSON.stringify(from)}`);
      }
      if (since < this.#droppedUpTo) {
        throw new StoreError('Gone', `too old resource version: ${since} (${this.#droppedUpTo + 1})`);
      }
      for (const entry of this.#history) {
        if (entry.rv > since && watcher.accepts(entry)) {
          watcher.queue.push({ type: entry.type, object: structuredClone(entry.object), resourceType: entry.resourceType });
        }
      }
    }
    this.#watchers.add(watcher);
    this.#schedule(watcher);
    return () => {
      watcher.stopped = true;
      this.#watchers.delete(watcher);
    };
  }

  /** All resource types that hold at least one object (for the namespace cleaner and diagnostics). */
  types(): string[] {
    return [...this.#objects.entries()].filter(([, bucket]) => bucket.size > 0).map(([type]) => type);
  }

  #info(type: string): ResourceInfo {
    const info = resourceInfo(type);
    if (!info) throw new Error(`ObjectStore: unknown resource type ${JSON.stringify(type)} (use e.g. 'pods', 'deployments.apps')`);
    if (info.storedAs) throw new Error(`ObjectStore: ${type} is stored as ${info.storedAs}; use that name`);
    return info;
  }

  #bucket(type: string): Map<string, KubeObject> {
    let bucket = this.#objects.get(type);
    if (!bucket) this.#objects.set(type, (bucket = new Map()));
    return bucket;
  }

  #nextRv(): string {
    return String(++this.#rv);
  }

  #record(type: WatchEventType, resourceType: string, object: KubeObject): void {
    const entry: HistoryEntry = {
      type,
      resourceType,
      object: structuredClone(object),
      rv: this.#rv,
      namespace: object.metadata.namespace ?? '',
    };
    this.#history.push(entry);
    while (this.#history.length > this.#historyLimit) this.#droppedUpTo = this.#history.shift()!.rv;
    for (const watcher of this.#watchers) {
      if (!watcher.accepts(entry)) continue;
      watcher.queue.push({ type, object: structuredClone(object), resourceType });
      this.#schedule(watcher);
    }
  }

  #schedule(watcher: Watcher): void {
    if (watcher.scheduled || watcher.queue.length === 0) return;
    watcher.scheduled = true;
    queueMicrotask(() => {
      watcher.scheduled = false;
      while (!watcher.stopped && watcher.queue.length) {
        const event = watcher.queue.shift()!;
        try {
          watcher.handler(event);
        } catch (err) {
          // One broken consumer must not stop the others or the writer.
          console.error(`store watch handler for ${watcher.type} threw:`, err);
        }
      }
    });
  }
}

function listFilter(info: ResourceInfo | undefined, options: ListOptions): (namespace: string, obj: KubeObject) => boolean {
  const { namespace, labelSelector, filter } = options;
  const labels =
    labelSelector === undefined
      ? () => true
      : typeof labelSelector === 'string'
        ? parseLabelSelector(labelSelector)
        : (l: Record<string, string> | undefined) => matchesLabelSelector(labelSelector, l);
  const scoped = namespace !== undefined && namespace !== '' && (info?.namespaced ?? true);
  return (ns, obj) => (!scoped || ns === namespace) && labels(obj.metadata.labels) && (!filter || filter(obj));
}

function key(info: ResourceInfo, namespace: string, name: string): string {
  return info.namespaced ? `${namespace}/${name}` : name;
}

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const a1 = a.metadata.name ?? '';
  const b1 = b.metadata.name ?? '';
  return a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
}

/** Everything that is not metadata or status: what generation tracks. */
function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function qualified(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

function details(info: ResourceInfo, name: string): StoreError['details'] {
  return { name, ...(info.group ? { group: info.group } : {}), kind: info.resource };
}

function notFound(info: ResourceInfo, name: string): StoreError {
  return new StoreError('NotFound', `${qualified(info)} "${name}" not found`, details(info, name));
}

function conflict(info: ResourceInfo, name: string): StoreError {
  return new StoreError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(info, name),
  );
}

/** Objects are JSON: this also drops properties set to undefined, so they compare equal to absent ones. */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** RFC 3339 in seconds, as metav1.Time serialises. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Five characters from the alphabet Kubernetes uses for generateName suffixes. */
export function randomSuffix(length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}
