// Checks loaded manifests before anything is written and gives each object the environment's namespace. Every
// problem is collected, so one run names all of them.
import type { Problem } from '../../errors.ts';
import type { KubeObject } from '../cluster.ts';
import { builtinScope, combineScopes, crdScopes, type ScopeLookup } from './kinds.ts';
import { objectKey } from './identity.ts';
import { objectRuleProblems } from './object-rules.ts';
import { isPlainObject, typeName, type ManifestSource, type RawManifest } from './load.ts';

/** An object ready to apply, and where it was written. */
export interface Manifest {
  object: KubeObject;
  source: ManifestSource;
}

export interface ValidateOptions {
  /** The environment's name and namespace: namespaced objects without one get it; another one is a mistake. */
  environment: { name: string; namespace: string };
  /** Scopes learnt elsewhere (discovery), consulted after the built-in table and the CRDs among the manifests. */
  scopes?: ScopeLookup;
}

export function validateManifests(raw: readonly RawManifest[], options: ValidateOptions): { manifests: Manifest[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const shaped: Manifest[] = [];
  for (const m of raw) {
    const shapeProblems = shapeOf(m);
    if (shapeProblems.length > 0) problems.push(...shapeProblems);
    // A copy: the caller's documents stay as they were loaded.
    else shaped.push({ object: structuredClone(m.value) as KubeObject, source: m.source });
  }

  const scopes = combineScopes(builtinScope, crdScopes(shaped.map((m) => m.object)), options.scopes ?? (() => undefined));
  const { name: envName, namespace } = options.environment;
  const seen = new Map<string, ManifestSource>();
  const manifests: Manifest[] = [];
  for (const m of shaped) {
    const { object, source } = m;
    const at = (field: string, path: Array<string | number>, message: string): Problem => ({
      file: source.file,
      line: source.lineOf(path),
      field,
      message: `${object.kind} ${object.metadata.name}: ${message}`,
    });
    // Unknown kinds (custom resources whose CRD is already installed) are namespaced unless discovery said not.
    const namespaced = scopes(object.apiVersion, object.kind) ?? true;
    const written = object.metadata.namespace;
    if (!namespaced) {
      delete object.metadata.namespace;
    } else if (written === undefined || written === null || written === '') {
      object.metadata.namespace = namespace;
    } else if (written !== namespace) {
      problems.push(
        at('metadata.namespace', ['metadata', 'namespace'], `"${String(written)}" contradicts environment ${envName}'s namespace "${namespace}" (leave it out to use the environment's)`),
      );
      continue;
    }
    if (object.kind === 'Secret' && object.apiVersion === 'v1') problems.push(...secretProblems(object, at));
    for (const rule of objectRuleProblems(object)) problems.push(at(rule.field, rule.path, rule.message));

    const key = objectKey(object);
    const first = seen.get(key);
    if (first) {
      problems.push(at('metadata.name', ['metadata', 'name'], `defined twice, first at ${first.file}:${first.line}`));
      continue;
    }
    seen.set(key, source);
    manifests.push({ object, source });
  }
  return { manifests, problems };
}

/** What keeps a document from being an object the API can take: apiVersion, kind and metadata.name. */
function shapeOf(m: RawManifest): Problem[] {
  const { value, source } = m;
  const problems: Problem[] = [];
  const report = (field: string, path: string[], message: string) =>
    problems.push({ file: source.file, line: source.lineOf(path), field, message });
  const what = typeof value.kind === 'string' && value.kind ? `this ${value.kind}` : 'this object';
  const needs = 'every object needs apiVersion, kind and metadata.name';
  for (const field of ['apiVersion', 'kind']) {
    const v = value[field];
    if (v === undefined || v === null || v === '') report(field, [field], `missing in ${what}; ${needs}`);
    else if (typeof v !== 'string') report(field, [field], `must be a string, not ${typeName(v)}`);
  }
  const metadata = value.metadata;
  if (metadata === undefined || metadata === null) {
    report('metadata.name', ['metadata'], `missing in ${what}; ${needs}`);
  } else if (!isPlainObject(metadata)) {
    report('metadata', ['metadata'], `must be a mapping, not ${typeName(metadata)}`);
  } else {
    const name = metadata.name;
    if (name === undefined || name === null || name === '') {
      const why = metadata.generateName !== undefined ? 'server-side apply needs a fixed name (generateName is not enough)' : needs;
      report('metadata.name', ['metadata', 'name'], `missing in ${what}; ${why}`);
    } else if (typeof name !== 'string') {
      report('metadata.name', ['metadata', 'name'], `must be a string, not ${typeName(name)}`);
    }
    const ns = metadata.namespace;
    if (ns !== undefined && ns !== null && typeof ns !== 'string') {
      report('metadata.namespace', ['metadata', 'namespace'], `must be a string, not ${typeName(ns)}`);
    }
  }
  return problems;
}

// What the API server's JSON decoder accepts for []byte: standard base64 with padding; it skips \r and \n.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Secret `data` values must be base64; the message names the key, never the value. */
function secretProblems(secret: KubeObject, at: (field: string, path: Array<string | number>, message: string) => Problem): Problem[] {
  const data = secret.data;
  if (data === undefined || data === null) return [];
  if (!isPlainObject(data)) return [at('data', ['data'], `data must be a mapping of keys to base64 values, not ${typeName(data)}`)];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === null) continue;
    if (typeof value !== 'string') {
      problems.push(at(`data.${key}`, ['data', key], `must be a base64 string, not ${typeName(value)}`));
    } else if (!BASE64.test(value.replace(/[\r\n]/g, ''))) {
      problems.push(at(`data.${key}`, ['data', key], `not valid base64 (write plain text under stringData instead)`));
    }
  }
  return problems;
}
