// What applying an object changes, as a person reviewing a deploy wants to read it: images (old -> new),
// replicas, ConfigMap and Secret keys (Secret values never), and the paths of anything else. Pure: it compares
// the live object with the object the server would store (a dry-run apply) or, failing that, with the live
// object overlaid with the fields the manifest sets.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ObjectRef } from '../cluster.ts';
import { refOf } from '../cluster.ts';
import { CONTAINER_LISTS, dig, podSpecPath } from '../pin.ts';

export type ChangeAction = 'create' | 'change' | 'unchanged' | 'refused';

export interface ImageChange {
  /** `web`, `migrate (init)`, `debug (ephemeral)`. */
  container: string;
  from?: string;
  to?: string;
}

export interface KeyChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  /** Values of ConfigMap `data` only; Secret values and binary data are never carried. */
  from?: string;
  to?: string;
}

export interface ObjectChange {
  ref: ObjectRef;
  action: ChangeAction;
  images: ImageChange[];
  replicas?: { from?: number; to?: number };
  keys: KeyChange[];
  /** True for Secrets: `keys` name keys only. */
  secret?: boolean;
  /** Other changed fields, as paths: `spec.template.spec.containers[web].env[DEBUG].value`. */
  paths: string[];
  /** Changed paths beyond those listed. */
  morePaths?: number;
  /** Why the preview is approximate, or for `refused` what the server answered. */
  note?: string;
  /** For `refused`: the fields the server named, in its notation (`spec.selector`). */
  refusedFields?: string[];
}

export const MAX_PATHS = 20;

const SERVER_METADATA = new Set(['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid', 'selfLink']);

/** `result`: what the object will be (the dry-run answer); `live`: what it is now, undefined when it is new. */
export function describeChange(live: KubeObject | undefined, result: KubeObject): ObjectChange {
  const ref = refOf(result);
  const secret = result.kind === 'Secret' && result.apiVersion === 'v1';
  const images = imageChanges(live, result);
  const replicas = replicaChange(live, result);
  if (!live) return { ref, action: 'create', images, ...(replicas ? { replicas } : {}), keys: [], ...(secret ? { secret } : {}), paths: [] };

  const keys = keyChanges(live, result);
  const ignored = ignoredPath(result);
  const all: string[] = [];
  changedPaths(comparable(live), comparable(result), [], all, ignored);
  const paths = all.slice(0, MAX_PATHS);
  const changed = images.length > 0 || replicas !== undefined || keys.length > 0 || all.length > 0;
  return {
    ref,
    action: changed ? 'change' : 'unchanged',
    images,
    ...(replicas ? { replicas } : {}),
    keys,
    ...(secret ? { secret } : {}),
    paths,
    ...(all.length > paths.length ? { morePaths: all.length - paths.length } : {}),
  };
}

/** A change the server refused in the dry run: the apply would fail the same way. */
export function refusedChange(object: KubeObject, message: string, fields: readonly string[] = []): ObjectChange {
  return { ref: refOf(object), action: 'refused', images: [], keys: [], paths: [], note: message, ...(fields.length ? { refusedFields: [...fields] } : {}) };
}

/**
 * Without a server dry run: the live object with the manifest's fields laid over it (maps merged, lists of named
 * items merged by name, other lists replaced). Fields the manifest stopped setting are not seen as removed.
 */
export function overlay(live: KubeObject, desired: KubeObject): KubeObject {
  const merged = merge(live, desired) as KubeObject;
  if (desired.kind === 'Secret' && isRecord(desired.stringData)) {
    // The server turns stringData into data; compare like with like.
    const data = { ...(isRecord(merged.data) ? merged.data : {}) };
    for (const [key, value] of Object.entries(desired.stringData)) data[key] = Buffer.from(String(value)).toString('base64');
    merged.data = data;
    delete merged.stringData;
  }
  return merged;
}

function merge(base: unknown, top: unknown): unknown {
  if (isRecord(base) && isRecord(top)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(top)) out[key] = key in base ? merge(base[key], value) : value;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(top) && namedItems(base) && namedItems(top)) {
    return top.map((item: Record<string, unknown>) => {
      const match = base.find((b: Record<string, unknown>) => b.name === item.name);
      return match ? merge(match, item) : item;
    });
  }
  return top;
}

function imageChanges(live: KubeObject | undefined, result: KubeObject): ImageChange[] {
  const before = live ? containerImages(live) : new Map<string, string>();
  const after = containerImages(result);
  const out: ImageChange[] = [];
  for (const [container, to] of after) {
    const from = before.get(container);
    if (from !== to) out.push({ container, ...(from !== undefined ? { from } : {}), to });
  }
  for (const [container, from] of before) if (!after.has(container)) out.push({ container, from });
  return out;
}

function containerImages(object: KubeObject): Map<string, string> {
  const images = new Map<string, string>();
  const path = podSpecPath(object);
  const spec = path ? dig(object, path) : undefined;
  for (const list of CONTAINER_LISTS) {
    const containers = spec?.[list];
    if (!Array.isArray(containers)) continue;
    for (const c of containers) {
      if (!isRecord(c) || typeof c.image !== 'string') continue;
      const suffix = list === 'containers' ? '' : list === 'initContainers' ? ' (init)' : ' (ephemeral)';
      images.set(`${String(c.name)}${suffix}`, c.image);
    }
  }
  return images;
}

function replicaChange(live: KubeObject | undefined, result: KubeObject): ObjectChange['replicas'] {
  const replicasOf = (o: KubeObject | undefined) => {
    const spec = o?.spec;
    return isRecord(spec) && typeof spec.replicas === 'number' ? spec.replicas : undefined;
  };
  const from = replicasOf(live);
  const to = replicasOf(result);
  if (from === to || (live === undefined && to === undefined)) return undefined;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function keyChanges(live: KubeObject, result: KubeObject): KeyChange[] {
  if (result.apiVersion !== 'v1' || (result.kind !== 'ConfigMap' && result.kind !== 'Secret')) return [];
  const showValues = result.kind === 'ConfigMap';
  const out: KeyChange[] = [];
  for (const field of ['data', 'binaryData']) {
    const before = isRecord(live[field]) ? live[field] : {};
    const after = isRecord(result[field]) ? result[field] : {};
    const values = showValues && field === 'data';
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    for (const [key, to] of Object.entries(after)) {
      if (!(key in before)) out.push({ key, change: 'added', ...(values ? { to: text(to) } : {}) });
      else if (!isDeepStrictEqual(before[key], to)) out.push({ key, change: 'changed', ...(values ? { from: text(before[key]), to: text(to) } : {}) });
    }
    for (const [key, from] of Object.entries(before)) {
      if (!(key in after)) out.push({ key, change: 'removed', ...(values ? { from: text(from) } : {}) });
    }
  }
  return out;
}

/** Without status and the metadata the server keeps for itself. */
function comparable(o: KubeObject): Record<string, unknown> {
  const { status: _status, ...rest } = o;
  const metadata = Object.fromEntries(Object.entries(o.metadata).filter(([k]) => !SERVER_METADATA.has(k)));
  return { ...rest, metadata };
}

/** Paths reported elsewhere (images, replicas, keys) or never worth showing. */
function ignoredPath(o: KubeObject): (path: string) => boolean {
  const dataFields = o.apiVersion === 'v1' && (o.kind === 'ConfigMap' || o.kind === 'Secret') ? ['data', 'binaryData', 'stringData'] : [];
  const spec = podSpecPath(o)?.join('.');
  const image = spec ? new RegExp(`^${spec.replace(/\./g, '\\.')}\\.(?:${CONTAINER_LISTS.join('|')})\\[[^\\]]*\\]\\.image$`) : undefined;
  return (path) => dataFields.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`)) || path === 'spec.replicas' || (image?.test(path) ?? false);
}

function changedPaths(a: unknown, b: unknown, path: string[], out: string[], ignored: (path: string) => boolean): void {
  const here = path.join('');
  if (here && ignored(here.replace(/^\./, ''))) return;
  if (isDeepStrictEqual(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) changedPaths(a[key], b[key], [...path, segment(key)], out, ignored);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (namedItems(a) && namedItems(b)) {
      const names = new Set([...a.map((i) => String(i.name)), ...b.map((i) => String(i.name))]);
      for (const name of names) {
        const x = a.find((i) => String(i.name) === name);
        const y = b.find((i) => String(i.name) === name);
        changedPaths(x, y, [...path, `[${name}]`], out, ignored);
      }
      return;
    }
    if (a.length === b.length) {
      a.forEach((item, i) => changedPaths(item, b[i], [...path, `[${i}]`], out, ignored));
      return;
    }
  }
  out.push(here.replace(/^\./, ''));
}

function segment(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A list whose items all have a distinct string name (containers, env, ports, volumes). */
function namedItems(list: unknown[]): list is Array<Record<string, unknown>> {
  if (list.length === 0 || !list.every((i) => isRecord(i) && typeof i.name === 'string')) return false;
  return new Set(list.map((i) => (i as { name: string }).name)).size === list.length;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
