// Server-side apply and field ownership (metadata.managedFields), approximated from what structured-merge-diff does.
//
// Fields are paths of elements: `f:<field>`, `k:{"name":"web"}` for an item of a keyed list, `v:"x"` for an item
// of a set list (list-types.ts says which is which). A manager owns the leaves it set (scalars, atomic lists,
// empty maps) and the keyed-list items it listed. What is modelled:
// - apply merges the applied configuration into the live object (maps deep, keyed lists by key, sets by value,
//   everything else replaced), records the applied fields as the manager's `Apply` entry, and removes fields the
//   manager applied before, no longer applies, and nobody else owns;
// - a conflict (409) when the applied value of a leaf differs from the live value and another manager owns that
//   leaf; `force` takes the field over. Equal values are shared, as in Kubernetes;
// - every other write (create, update, patch, status) gives the fields it changed to its manager as an `Update`
//   entry and takes them away from everybody else.
// Limits: the list table is by field name, not by schema, so a list the table does not know is atomic; defaulted
// fields are owned by nobody; there is no per-version conversion of field sets (one version per kind here).
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ManagedFieldsEntry } from './store.ts';
import { ApiError } from './status.ts';
import { isPlainObject, itemKey, listTypeOf } from './list-types.ts';

type Path = string[];

/** Which part of the object a write may own: all of it, everything but status, or only status. */
export type FieldScope = 'all' | 'main' | 'status';

const IGNORED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'generateName',
]);

function inScope(path: Path, scope: FieldScope): boolean {
  const top = path[0];
  if (top === 'f:apiVersion' || top === 'f:kind') return false;
  if (top === 'f:metadata') {
    const field = path[1];
    if (!field || IGNORED_METADATA.has(field.slice(2))) return false;
  }
  if (scope === 'main') return top !== 'f:status';
  if (scope === 'status') return top === 'f:status';
  return true;
}

const enc = (p: Path): string => JSON.stringify(p);
const dec = (s: string): Path => JSON.parse(s) as Path;

/** The member paths of an object: leaves and keyed/set list items. */
export function fieldPaths(obj: unknown, scope: FieldScope = 'all'): Set<string> {
  const out = new Set<string>();
  walk(obj, [], '', (p) => {
    if (inScope(p, scope)) out.add(enc(p));
  });
  return out;
}

function walk(value: unknown, path: Path, name: string, add: (p: Path) => void): void {
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
    if (!entries.length && path.length) add(path);
    for (const [k, v] of entries) walk(v, [...path, `f:${k}`], k, add);
    return;
  }
  if (Array.isArray(value)) {
    const lt = listTypeOf(name, value);
    if (lt.type === 'atomic') return add(path);
    for (const item of value) {
      if (lt.type === 'set') add([...path, `v:${JSON.stringify(item)}`]);
      else {
        const itemPath = [...path, `k:${JSON.stringify(itemKey(item as Record<string, unknown>, lt.keys))}`];
        add(itemPath);
        walk(item, itemPath, '', add);
      }
    }
    return;
  }
  add(path);
}

function isItem(p: Path): boolean {
  const last = p[p.length - 1] ?? '';
  return last.startsWith('k:') || last.startsWith('v:');
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: Path): unknown {
  let at: unknown = obj;
  for (const el of path) {
    at = step(at, el);
    if (at === undefined) return undefined;
  }
  return at;
}

function step(at: unknown, el: string): unknown {
  const body = el.slice(2);
  if (el.startsWith('f:')) return isPlainObject(at) ? at[body] : undefined;
  if (!Array.isArray(at)) return undefined;
  if (el.startsWith('v:')) {
    const v = JSON.parse(body) as unknown;
    return at.find((x) => isDeepStrictEqual(x, v));
  }
  const key = JSON.parse(body) as Record<string, unknown>;
  const keys = Object.keys(key);
  return at.find((x) => isPlainObject(x) && isDeepStrictEqual(itemKey(x, keys), key));
}

function removePath(obj: unknown, path: Path): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const el = path[path.length - 1]!;
  if (el.startsWith('f:') && isPlainObject(parent)) delete parent[el.slice(2)];
  else if (Array.isArray(parent)) {
    const item = step(parent, el);
    const i = parent.indexOf(item);
    if (i >= 0) parent.splice(i, 1);
  }
}

/** Deep merge of an applied configuration into a live object, by the list types. */
export function mergeApplied(live: unknown, applied: unknown, name = ''): unknown {
  if (isPlainObject(applied)) {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null || v === undefined) continue;
      out[k] = mergeApplied(out[k], v, k);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const lt = listTypeOf(name, applied);
    if (lt.type === 'atomic' || !Array.isArray(live)) return structuredClone(applied);
    const out = structuredClone(live) as unknown[];
    for (const item of applied) {
      if (lt.type === 'set') {
        if (!out.some((x) => isDeepStrictEqual(x, item))) out.push(item);
        continue;
      }
      const key = itemKey(item as Record<string, unknown>, lt.keys);
      const at = out.findIndex((x) => isPlainObject(x) && isDeepStrictEqual(itemKey(x, lt.keys), key));
      if (at >= 0) out[at] = mergeApplied(out[at], item);
      else out.push(structuredClone(item));
    }
    return out;
  }
  return applied;
}

/** `.spec.template.spec.containers[name="web"].image`, as Kubernetes prints a field in a conflict. */
export function formatPath(path: Path): string {
  let out = '';
  for (const el of path) {
    const body = el.slice(2);
    if (el.startsWith('f:')) out += `.${body}`;
    else if (el.startsWith('v:')) out += `[=${body}]`;
    else {
      const key = JSON.parse(body) as Record<string, unknown>;
      out += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
  }
  return out;
}

/** Serialises a field set as metadata.managedFields[].fieldsV1 ('.' marks a member that also has children). */
export function toFieldsV1(set: Set<string>): Record<string, unknown> {
  interface Node {
    member: boolean;
    children: Map<string, Node>;
  }
  const root: Node = { member: false, children: new Map() };
  for (const p of set) {
    let node = root;
    for (const el of dec(p)) {
      let child = node.children.get(el);
      if (!child) node.children.set(el, (child = { member: false, children: new Map() }));
      node = child;
    }
    node.member = true;
  }
  const render = (node: Node): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (node.member && node.children.size) out['.'] = {};
    for (const [k, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : 1))) out[k] = render(child);
    return out;
  };
  return render(root);
}

export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown, path: Path) => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (path.length && (keys.length === 0 || keys.includes('.'))) out.add(enc(path));
    for (const k of keys) if (k !== '.') visit(node[k], [...path, k]);
  };
  visit(fields, []);
  return out;
}

interface Owner {
  entry: ManagedFieldsEntry;
  set: Set<string>;
}

function owners(obj: KubeObject | undefined): Owner[] {
  return (obj?.metadata.managedFields ?? []).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
}

function sameEntry(e: ManagedFieldsEntry, manager: string, operation: 'Apply' | 'Update', subresource: string | undefined): boolean {
  return e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');
}

function serialise(list: Owner[]): ManagedFieldsEntry[] {
  return list
    .filter((o) => o.set.size > 0)
    .map(({ entry, set }) => ({
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      time: entry.time,
      fieldsType: 'FieldsV1' as const,
      fieldsV1: toFieldsV1(set),
      ...(entry.subresource ? { subresource: entry.subresource } : {}),
    }));
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
  return out;
}

export interface ApplyRequest {
  /** The stored object, or undefined to create. */
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  /** apiVersion of the request, recorded in managedFields. */
  apiVersion: string;
  scope: FieldScope;
  now: string;
}

/** The object after applying, with managedFields; throws ApiError 409 Conflict listing the contested fields. */
export function serverSideApply(req: ApplyRequest): KubeObject {
  const applied = dropNulls(req.applied) as KubeObject;
  const subresource = req.scope === 'status' ? 'status' : undefined;
  const appliedSet = fieldPaths(applied, req.scope);
  const live = (req.live ? structuredClone(req.live) : { metadata: {} }) as KubeObject;
  const list = owners(req.live);
  const conflicts = new Map<Owner, Path[]>();
  for (const owner of list) {
    if (sameEntry(owner.entry, req.manager, 'Apply', subresource)) continue;
    for (const p of appliedSet) {
      if (!owner.set.has(p)) continue;
      const path = dec(p);
      if (isItem(path)) continue;
      const current = valueAt(live, path);
      if (current !== undefined && !isDeepStrictEqual(current, valueAt(applied, path))) {
        conflicts.set(owner, [...(conflicts.get(owner) ?? []), path]);
      }
    }
  }
  if (conflicts.size && !req.force) throw conflictError(conflicts);
  for (const [owner, paths] of conflicts) for (const p of paths) owner.set.delete(enc(p));

  let mine = list.find((o) => sameEntry(o.entry, req.manager, 'Apply', subresource));
  const previous = mine?.set ?? new Set<string>();
  const merged = mergeApplied(live, applied) as KubeObject;
  const others = list.filter((o) => o !== mine);
  const ownedByOthers = (p: string) => others.some((o) => o.set.has(p) || (isItem(dec(p)) && [...o.set].some((q) => q.startsWith(p.slice(0, -1)))));
  // Deepest first, so an item's fields go before the item.
  const removals = [...previous].filter((p) => !appliedSet.has(p) && !ownedByOthers(p)).sort((a, b) => b.length - a.length);
  for (const p of removals) removePath(merged, dec(p));

  if (!mine) {
    mine = { entry: { manager: req.manager, operation: 'Apply' }, set: new Set() };
    list.push(mine);
  }
  mine.set = appliedSet;
  mine.entry = { ...mine.entry, apiVersion: req.apiVersion, time: req.now, ...(subresource ? { subresource } : {}) };
  merged.metadata = { ...merged.metadata, managedFields: serialise(list) };
  return merged;
}

function conflictError(conflicts: Map<Owner, Path[]>): ApiError {
  const all = [...conflicts].flatMap(([owner, paths]) => paths.map((p) => ({ owner, p })));
  const who = (o: Owner) =>
    o.entry.operation === 'Apply' ? `"${o.entry.manager}"` : `"${o.entry.manager}" using ${o.entry.apiVersion ?? 'v1'}`;
  let message: string;
  if (all.length === 1) message = `Apply failed with 1 conflict: conflict with ${who(all[0]!.owner)}: ${formatPath(all[0]!.p)}`;
  else {
    message = `Apply failed with ${all.length} conflicts: ` + [...conflicts]
      .map(([owner, paths]) => `conflicts with ${who(owner)}:\n${paths.map((p) => `- ${formatPath(p)}`).join('\n')}`)
      .join('\n');
  }
  return new ApiError(409, 'Conflict', message, {
    causes: all.map(({ owner, p }) => ({ reason: 'FieldManagerConflict', message: `conflict with ${who(owner)}`, field: formatPath(p) })),
  });
}

export interface UpdateRecord {
  old: KubeObject | undefined;
  next: KubeObject;
  manager: string;
  apiVersion: string;
  scope: FieldScope;
  now: string;
}

/** managedFields after a non-apply write: the changed fields move to `manager`'s Update entry. */
export function recordUpdate(req: UpdateRecord): ManagedFieldsEntry[] {
  const subresource = req.scope === 'status' ? 'status' : undefined;
  const requested = req.next.metadata.managedFields;
  // Like Kubernetes, an explicit empty list resets ownership; anything else keeps what is stored.
  const list = Array.isArray(requested) && requested.length === 0 ? [] : owners(req.old);
  const present = fieldPaths(req.next, 'all');
  const before = req.old ? fieldPaths(req.old, 'all') : new Set<string>();
  const changed = new Set<string>();
  for (const p of fieldPaths(req.next, req.scope)) {
    if (!before.has(p) || (!isItem(dec(p)) && !isDeepStrictEqual(valueAt(req.old, dec(p)), valueAt(req.next, dec(p))))) changed.add(p);
  }
  let mine = list.find((o) => sameEntry(o.entry, req.manager, 'Update', subresource));
  for (const o of list) {
    for (const p of [...o.set]) if (!present.has(p) || (o !== mine && changed.has(p))) o.set.delete(p);
  }
  if (changed.size) {
    if (!mine) {
      mine = { entry: { manager: req.manager, operation: 'Update' }, set: new Set() };
      list.push(mine);
    }
    for (const p of changed) mine.set.add(p);
    mine.entry = { ...mine.entry, apiVersion: req.apiVersion, time: req.now, ...(subresource ? { subresource } : {}) };
  }
  return serialise(list);
}
