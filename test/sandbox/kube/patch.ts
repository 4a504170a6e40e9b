// The three patch formats of PATCH: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and Kubernetes' strategic
// merge patch. The strategic one merges lists by key from list-types.ts and honours the directives kubectl sends
// ($patch: replace|delete, $retainKeys, $deleteFromPrimitiveList/, $setElementOrder/ which only orders and is ignored).
import { ApiError } from './status.ts';
import { isPlainObject, listTypeOf } from './list-types.ts';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function patchError(message: string): ApiError {
  return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw patchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, parts: string[], path: string): { parent: Container; last: string } {
  let at: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(at)) at = at[Number(part)];
    else if (isPlainObject(at)) at = at[part];
    else at = undefined;
    if (at === undefined) throw patchError(`doc is missing path: ${JSON.stringify(path)}`);
  }
  if (!Array.isArray(at) && !isPlainObject(at)) throw patchError(`doc is missing path: ${JSON.stringify(path)}`);
  return { parent: at, last: parts[parts.length - 1]! };
}

function getAt(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  if (!parts.length) return doc;
  const { parent, last } = parentOf(doc, parts, path);
  const value = Array.isArray(parent) ? parent[Number(last)] : parent[last];
  if (value === undefined) throw patchError(`doc is missing path: ${JSON.stringify(path)}`);
  return value;
}

function removeAt(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  const { parent, last } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw patchError(`Unable to remove nonexistent key: ${last}: missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!(last in parent)) throw patchError(`Unable to remove nonexistent key: ${last}: missing value`);
  const value = parent[last];
  delete parent[last];
  return value;
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const parts = pointer(path);
  if (!parts.length) return structuredClone(value);
  const { parent, last } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length - (replace ? 1 : 0)) throw patchError(`index out of range: ${last}`);
    parent.splice(i, replace ? 1 : 0, structuredClone(value));
  } else {
    if (replace && !(last in parent)) throw patchError(`replace operation does not apply: doc is missing key: ${path}`);
    parent[last] = structuredClone(value);
  }
  return doc;
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new ApiError(400, 'BadRequest', 'json patch must be a list of operations');
  let doc = structuredClone(target);
  for (const raw of ops) {
    const op = raw as JsonPatchOp;
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, op.value, true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move': {
        const value = removeAt(doc, op.from ?? '');
        doc = addAt(doc, op.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw patchError(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw new ApiError(400, 'BadRequest', `Unexpected kind: ${String((raw as { op?: unknown }).op)}`);
    }
  }
  return doc;
}

const DELETE = Symbol('delete');

/** Strategic merge patch of `patch` onto `original`. */
export function strategicMergePatch(original: unknown, patch: unknown): unknown {
  const out = smpMap(original, patch);
  return out === DELETE ? {} : out;
}

function smpMap(original: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  if (patch.$patch === 'delete') return DELETE;
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const out: Record<string, unknown> = isPlainObject(original) ? { ...original } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const name = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(v) ? v : [];
      if (Array.isArray(out[name])) out[name] = (out[name] as unknown[]).filter((x) => !drop.includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = smpList(k, out[k], v);
    else {
      const merged = smpMap(out[k], v);
      if (merged === DELETE) delete out[k];
      else out[k] = merged;
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function smpList(name: string, original: unknown, patch: unknown[]): unknown[] {
  const orig = Array.isArray(original) ? original : [];
  if (patch.some((i) => isPlainObject(i) && i.$patch === 'replace')) {
    return patch.filter((i) => !(isPlainObject(i) && i.$patch === 'replace')).map(stripDirectives);
  }
  const listType = listTypeOf(name, [...patch, ...orig]);
  if (listType.type === 'set') return [...orig, ...patch.filter((v) => !orig.includes(v))];
  if (listType.type !== 'map') return patch.map(stripDirectives);
  // Strategic merge patch merges on one key (patchMergeKey), unlike apply's list-map-keys.
  const key = listType.keys[0]!;
  const out = orig.map((i) => structuredClone(i)) as Array<Record<string, unknown>>;
  for (const item of patch as Array<Record<string, unknown>>) {
    const at = out.findIndex((o) => o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = smpMap(out[at], item) as Record<string, unknown>;
    else out.push(stripDirectives(item) as Record<string, unknown>);
  }
  return out;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}
