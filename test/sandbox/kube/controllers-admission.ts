// Admission (the sandbox has no ResourceQuota objects and no webhooks): hooks that refuse a write with the error
// text a real API server answers. The controllers' creates go through them, so ReplicaSets report FailedCreate and
// Deployments ReplicaFailure as on a cluster with a quota or a validating webhook; so do the API's creates and
// updates (dry runs included), which are then answered 403 Forbidden.
import { bytes, formatBytes, formatCpu, milliCpu } from './quantity.ts';
import { qualified, type KubeObject, type ObjectStore } from './store.ts';
import { resourceInfo } from './resources.ts';
import type { Container, Pod } from './workload-types.ts';

/** A refused create; `message` is the whole error, e.g. `pods "web-5d4f-" is forbidden: exceeded quota: ...`. */
export class AdmissionError extends Error {
  override name = 'AdmissionError';
  readonly code = 403;
}

/**
 * Returns why `obj` must not be written, or undefined: a string is the text after `<resource> "<name>" is forbidden: `
 * (what built-in plugins such as the quota say); `{ message }` is the whole message (what a webhook's denial is).
 */
export type AdmissionHook = (type: string, obj: KubeObject, store: ObjectStore) => string | { message: string } | undefined;

export class Admission {
  readonly #hooks = new Set<AdmissionHook>();

  /** Adds a hook; returns its removal. */
  add(hook: AdmissionHook): () => void {
    this.#hooks.add(hook);
    return () => this.#hooks.delete(hook);
  }

  admit(type: string, obj: KubeObject, store: ObjectStore): void {
    for (const hook of this.#hooks) {
      const reason = hook(type, obj, store);
      if (reason === undefined) continue;
      if (typeof reason !== 'string') throw new AdmissionError(reason.message);
      const info = resourceInfo(type);
      const resource = info ? qualified(info) : type;
      throw new AdmissionError(`${resource} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: ${reason}`);
    }
  }
}

/** A validating webhook that refuses pods: `admission webhook "<name>" denied the request: <message>`. */
export function denyingWebhook(name: string, message: string, applies: (pod: Pod) => boolean = () => true): AdmissionHook {
  return denyingWebhookFor(['pods'], name, message, (obj) => applies(obj as Pod));
}

/** The same for any resource types (`configmaps`, `deployments.apps`), as a policy engine's webhook answers. */
export function denyingWebhookFor(types: readonly string[], name: string, message: string, applies: (obj: KubeObject) => boolean = () => true): AdmissionHook {
  return (type, obj) => (types.includes(type) && applies(obj) ? { message: `admission webhook "${name}" denied the request: ${message}` } : undefined);
}

type QuotaResource = 'pods' | 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory';

const ALIASES: Record<string, QuotaResource> = { cpu: 'requests.cpu', memory: 'requests.memory' };

/**
 * A namespace ResourceQuota `name` with `hard` limits (pods, cpu, memory, requests.*, limits.*), enforced as the
 * quota admission plugin does: `exceeded quota: q, requested: requests.cpu=2, used: requests.cpu=500m,
 * limited: requests.cpu=1`, or `failed quota: q: must specify limits.cpu for: web` when a pod leaves a tracked
 * compute resource unset.
 */
export function resourceQuota(namespace: string, name: string, hard: Record<string, string>): AdmissionHook {
  const limits = new Map<QuotaResource, number>();
  for (const [key, value] of Object.entries(hard)) {
    const resource = ALIASES[key] ?? (key as QuotaResource);
    limits.set(resource, resource === 'pods' ? Number(value) : resource.endsWith('cpu') ? milliCpu(value) : bytes(value));
  }
  return (type, obj, store) => {
    if (type !== 'pods' || obj.metadata.namespace !== namespace) return undefined;
    const pod = obj as Pod;
    const unset = missingCompute(pod.spec.containers, [...limits.keys()]);
    if (unset.length) return `failed quota: ${name}: must specify ${unset.join('; ')}`;
    const used = store
      .list<Pod>('pods', { namespace, filter: (p) => !['Succeeded', 'Failed'].includes((p as Pod).status?.phase ?? '') })
      .items.map(usage)
      .reduce(add, zero());
    const requested = usage(pod);
    const exceeded = [...limits].filter(([r, limit]) => used[r] + requested[r] > limit).map(([r]) => r).sort();
    if (!exceeded.length) return undefined;
    const show = (values: Record<QuotaResource, number>) => exceeded.map((r) => `${r}=${format(r, values[r])}`).join(',');
    return `exceeded quota: ${name}, requested: ${show(requested)}, used: ${show(used)}, limited: ${show(Object.fromEntries(limits) as Record<QuotaResource, number>)}`;
  };
}

function zero(): Record<QuotaResource, number> {
  return { pods: 0, 'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0 };
}

function add(a: Record<QuotaResource, number>, b: Record<QuotaResource, number>): Record<QuotaResource, number> {
  const out = zero();
  for (const k of Object.keys(out) as QuotaResource[]) out[k] = a[k] + b[k];
  return out;
}

function usage(pod: Pod): Record<QuotaResource, number> {
  const out = zero();
  out.pods = 1;
  for (const c of pod.spec.containers) {
    const lim = c.resources?.limits ?? {};
    const req = { ...lim, ...(c.resources?.requests ?? {}) };
    out['requests.cpu'] += milliCpu(req.cpu);
    out['requests.memory'] += bytes(req.memory);
    out['limits.cpu'] += milliCpu(lim.cpu);
    out['limits.memory'] += bytes(lim.memory);
  }
  return out;
}

function missingCompute(containers: Container[], tracked: QuotaResource[]): string[] {
  const out: string[] = [];
  for (const r of tracked.filter((t) => t !== 'pods').sort()) {
    const [kind, resource] = r.split('.') as ['requests' | 'limits', 'cpu' | 'memory'];
    const missing = containers
      .filter((c) => {
        const lim = c.resources?.limits ?? {};
        const values = kind === 'limits' ? lim : { ...lim, ...(c.resources?.requests ?? {}) };
        return values[resource] === undefined;
      })
      .map((c) => c.name);
    if (missing.length) out.push(`${r} for: ${missing.join(',')}`);
  }
  return out;
}

function format(resource: QuotaResource, value: number): string {
  if (resource === 'pods') return String(value);
  return resource.endsWith('cpu') ? formatCpu(value) : formatBytes(value);
}
