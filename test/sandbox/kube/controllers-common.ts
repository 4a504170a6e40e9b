// What every in-process controller shares: a work queue keyed by namespace/name with requeue-after, creating
// objects the way the API server would store them (defaults, initial status, admission), owner references, pod
// readiness and availability, and the template hash Deployments, StatefulSets and DaemonSets label with.
import { applyDefaults, initialStatus } from './defaults.ts';
import { EventRecorder } from './event-recorder.ts';
import { resourceInfo } from './resources.ts';
import { StoreError, type KubeObject, type ObjectStore, type OwnerReference } from './store.ts';
import type { Admission } from './controllers-admission.ts';
import type { Pod, PodTemplateSpec, WorkloadCondition } from './workload-types.ts';

export interface ControllerContext {
  store: ObjectStore;
  admission: Admission;
  /** Clock for conditions and availability; tests may move it. */
  now?: () => number;
}

export type Key = { namespace: string; name: string };

/** A de-duplicating queue: each key is reconciled once per burst of changes, again after the delay it asks for. */
export class WorkQueue {
  readonly #name: string;
  readonly #reconcile: (key: Key) => number | undefined | void;
  readonly #timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  readonly #failures = new Map<string, number>();
  #stopped = false;

  constructor(name: string, reconcile: (key: Key) => number | undefined | void) {
    this.#name = name;
    this.#reconcile = reconcile;
  }

  add(namespace: string, name: string, afterMs = 0): void {
    if (this.#stopped) return;
    const id = `${namespace}/${name}`;
    const at = Date.now() + Math.max(0, afterMs);
    const existing = this.#timers.get(id);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => this.#run(id, { namespace, name }), Math.max(0, afterMs));
    this.#timers.set(id, { timer, at });
  }

  stop(): void {
    this.#stopped = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #run(id: string, key: Key): void {
    this.#timers.delete(id);
    if (this.#stopped) return;
    try {
      const again = this.#reconcile(key);
      this.#failures.delete(id);
      if (typeof again === 'number' && again >= 0) this.add(key.namespace, key.name, again);
    } catch (err) {
      const failures = (this.#failures.get(id) ?? 0) + 1;
      this.#failures.set(id, failures);
      if (!(err instanceof StoreError && err.reason === 'Conflict')) console.error(`${this.#name}: reconcile ${id} failed:`, err);
      this.add(key.namespace, key.name, Math.min(5000, 50 * 2 ** failures));
    }
  }
}

/** Stores `obj` as a create through the API would: defaults, the initial status, then admission. */
export function createObject<T extends KubeObject>(ctx: ControllerContext, type: string, obj: T): T {
  applyDefaults(type, obj);
  const o: KubeObject = obj;
  if (resourceInfo(type)?.status && o.status === undefined) o.status = initialStatus(type, obj);
  ctx.admission.admit(type, obj, ctx.store);
  return ctx.store.create(type, obj);
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** The objects of `type` in the owner's namespace that the owner controls. */
export function owned<T extends KubeObject>(store: ObjectStore, type: string, owner: KubeObject): T[] {
  return store.list<T>(type, { namespace: owner.metadata.namespace, filter: (o) => controllerOf(o)?.uid === owner.metadata.uid }).items;
}

/** Calls `enqueue` with the controller of every changed `type` object whose controller has kind `kind`. */
export function watchOwned(store: ObjectStore, type: string, kind: string, enqueue: (namespace: string, name: string) => void): () => void {
  return store.watch(type, {}, (e) => {
    const ref = controllerOf(e.object);
    if (ref?.kind === kind) enqueue(e.object.metadata.namespace ?? '', ref.name);
  });
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** controller.FilterActivePods: neither finished nor being deleted. */
export function isActive(pod: Pod): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function readySince(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  return ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const since = readySince(pod);
  if (since === undefined) return false;
  return minReadySeconds === 0 || since + minReadySeconds * 1000 <= now;
}

/** When a ready but not yet available pod becomes available, or undefined. */
export function availableAt(pod: Pod, minReadySeconds: number, now: number): number | undefined {
  const since = readySince(pod);
  if (since === undefined || minReadySeconds === 0) return undefined;
  const at = since + minReadySeconds * 1000;
  return at > now ? at : undefined;
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The pod-template hash (controller.ComputeHash: FNV-32a, printed in decimal, then SafeEncodeString). Real
 * Kubernetes hashes Go's printing of the struct; this hashes the defaulted template as canonical JSON, so equal
 * templates get equal hashes whether or not the API server filled in defaults.
 */
export function templateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const normalized = structuredClone(template ?? { spec: { containers: [] } }) as PodTemplateSpec;
  if (normalized.metadata?.labels) {
    delete normalized.metadata.labels['pod-template-hash'];
    delete normalized.metadata.labels['controller-revision-hash'];
  }
  const holder = { metadata: {}, spec: normalized.spec } as KubeObject;
  applyDefaults('pods', holder);
  normalized.spec = holder.spec as PodTemplateSpec['spec'];
  let text = canonicalJson({ metadata: { labels: normalized.metadata?.labels ?? {}, annotations: normalized.metadata?.annotations ?? {} }, spec: normalized.spec });
  if (collisionCount) text += String(collisionCount);
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Sets a workload condition as deploymentutil.SetDeploymentCondition does: same status and reason is a no-op. */
export function setCondition(conditions: WorkloadCondition[], condition: WorkloadCondition): WorkloadCondition[] {
  const current = conditions.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return conditions;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(conditions: WorkloadCondition[], type: string): WorkloadCondition[] {
  return conditions.filter((c) => c.type !== type);
}

export function recorderFor(store: ObjectStore, component: string): EventRecorder {
  return new EventRecorder(store, { component });
}

/** The name a create with generateName was refused under, as real errors print it (`pods "web-5d4f-"`). */
export function displayName(obj: KubeObject): string {
  return obj.metadata.name ?? obj.metadata.generateName ?? '';
}
