// Typed reads over YAML nodes that never throw: every wrong thing becomes a Problem with the file, line, column and
// dotted field path, and reading goes on so one run reports everything. Strings are interpolated as they are read
// (on parsed values, never on the raw text, so a variable can neither move line numbers nor inject YAML).
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Problem } from '../errors.ts';
import { DurationError, parseDuration } from './duration.ts';
import { interpolate, type InterpolationScope } from './interpolate.ts';
import { suggestion } from './suggest.ts';
import { childPath, syntaxErrorPlace } from './yaml-paths.ts';

export { childPath } from './yaml-paths.ts';

/** A parsed rollgate.yml: the document and what it takes to turn offsets into lines. */
export interface ConfigSource {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** A place in the document: a node (absent when the key is missing) and its dotted path. */
export interface Field {
  node: Node | undefined;
  path: string;
  /** The key naming this field in its mapping; where messages about a missing or empty value point. */
  key?: Node;
  /** Where to point when neither node nor key exists: the nearest enclosing key. */
  near?: Node;
}

/** Parses YAML; syntax errors become problems (the document is then not worth reading further). */
export function parseConfigSource(file: string, text: string): { source: ConfigSource; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  const linesWithErrors = new Set<number>();
  for (const err of doc.errors) {
    const place = syntaxErrorPlace(text, lines, err);
    const message = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    // After a syntax error the parser resynchronises token by token, reporting each token to the end of the
    // flow or document as "unexpected ... in YAML stream": one mistake, dozens of lines. Keep the first error of
    // a line, and drop the stream cascade that follows an error.
    if (linesWithErrors.has(place.line) || (problems.length > 0 && / in YAML stream/.test(message))) continue;
    linesWithErrors.add(place.line);
    problems.push({ file, ...place, message: `YAML: ${message}${flowHint(text, lines.lineStarts[place.line - 1] ?? 0)}` });
  }
  return { source: { file, doc, lines }, problems };
}

// Inside [ ] and { } the braces of `${env}` are YAML syntax, which is a surprise worth naming.
function flowHint(text: string, lineStart: number): string {
  const end = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, end < 0 ? undefined : end);
  return /[[{].*\$\{/.test(line) ? ' (inside [ ] or { }, quote strings that hold ${...}: ["k8s/overlays/${env}"])' : '';
}

/** Problems in the order found, each once (an environment-independent mistake is met once per environment). */
export class ProblemList {
  readonly items: Problem[] = [];
  private readonly seen = new Set<string>();
  add(p: Problem): void {
    const key = `${p.file}:${p.line}:${p.column}:${p.field}:${p.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(p);
  }
}


export interface StringOptions {
  /** Report a missing value with this reason; without it a missing value is simply undefined. */
  required?: string;
  /** Take numbers and booleans as their source text (`3.10` stays `3.10`): for values passed on as text. */
  anyScalar?: boolean;
}

export class ConfigReader {
  readonly source: ConfigSource;
  readonly scope: InterpolationScope;
  readonly problems: ProblemList;
  /** Called for every process environment variable substituted through this reader. */
  private readonly onVariable: ((name: string, value: string) => void) | undefined;

  constructor(
    source: ConfigSource,
    scope: InterpolationScope,
    problems = new ProblemList(),
    onVariable?: (name: string, value: string) => void,
  ) {
    this.source = source;
    this.scope = scope;
    this.problems = problems;
    this.onVariable = onVariable;
  }

  /** The same document and problem list, another interpolation scope. */
  withScope(scope: InterpolationScope, onVariable?: (name: string, value: string) => void): ConfigReader {
    return new ConfigReader(this.source, scope, this.problems, onVariable);
  }

  root(): Field {
    return { node: this.deref(this.source.doc.contents ?? undefined), path: '' };
  }

  report(f: Field, message: string, at: 'value' | 'key' = 'value'): void {
    const node = at === 'key' ? (f.key ?? f.node) : isEmpty(f.node) ? (f.key ?? f.node ?? f.near) : f.node;
    const pos = node?.range ? this.source.lines.linePos(node.range[0]) : undefined;
    this.problems.add({
      file: this.source.file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      ...(f.path ? { field: f.path } : {}),
      message,
    });
  }

  /** Absent, or written with no value (`key:` or `key: ~`). */
  isAbsent(f: Field): boolean {
    return isEmpty(f.node);
  }

  /** A mapping with a fixed set of keys: unknown keys are reported (with the likely intended one). */
  fields<K extends string>(f: Field, keys: readonly K[]): Record<K, Field> | undefined {
    const near = f.key ?? f.node ?? f.near;
    const out = {} as Record<K, Field>;
    for (const k of keys) out[k] = { node: undefined, path: childPath(f.path, k), ...(near ? { near } : {}) };
    if (this.isAbsent(f)) return out;
    if (!isMap(f.node)) {
      this.report(f, `expected a mapping (key: value), got ${describe(f.node)}`);
      return undefined;
    }
    const known = new Set<string>(keys);
    for (const [name, child] of this.entries(f)) {
      if (known.has(name)) out[name as K] = child;
      else this.report(child, `unknown key "${name}"${suggestion(name, keys)}`, 'key');
    }
    return out;
  }

  /** A mapping whose keys are names (images, environments, buildArgs), in file order; merge keys applied. */
  entries(f: Field): Array<[string, Field]> {
    if (this.isAbsent(f)) return [];
    if (!isMap(f.node)) {
      this.report(f, `expected a mapping (name: value), got ${describe(f.node)}`);
      return [];
    }
    const out: Array<[string, Field]> = [];
    for (const pair of this.pairs(f.node)) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.report({ node: keyNode ?? undefined, path: f.path, near: f.key ?? f.node }, 'keys must be plain names');
        continue;
      }
      const name = String(keyNode.value);
      out.push([name, { node: this.deref(pair.value as Node | null), path: childPath(f.path, name), key: keyNode }]);
    }
    return out;
  }

  items(f: Field): Field[] {
    if (this.isAbsent(f)) return [];
    if (!isSeq(f.node)) {
      this.report(f, `expected a list, got ${describe(f.node)}`);
      return [];
    }
    return f.node.items.map((item, i) => {
      const node = this.deref(item as Node | null);
      return { node, path: childPath(f.path, i), ...(node ? {} : { near: f.node }) };
    });
  }

  string(f: Field, opts: StringOptions = {}): string | undefined {
    if (this.isAbsent(f)) {
      if (opts.required) this.report(f, `missing; ${opts.required}`);
      return undefined;
    }
    const node = f.node;
    if (!isScalar(node)) {
      this.report(f, `expected a string, got ${describe(node)}`);
      return undefined;
    }
    if (typeof node.value !== 'string') {
      if (opts.anyScalar && node.source !== undefined) return node.source;
      this.report(f, `expected a string, got ${describe(node)} (quote it: "${node.source ?? String(node.value)}")`);
      return undefined;
    }
    return this.interpolated(f, node.value);
  }

  /** Interpolates `${...}` in a string read from `f`, reporting what cannot be resolved there. */
  interpolated(f: Field, text: string): string | undefined {
    const result = interpolate(text, this.scope);
    for (const message of result.errors) this.report(f, message);
    if (result.errors.length) return undefined;
    for (const { name, value } of result.used) this.onVariable?.(name, value);
    return result.value;
  }

  integer(f: Field, opts: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.scalarOrInterpolated(f);
    if (raw === undefined) return undefined;
    const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      this.report(f, `expected a whole number, got ${typeof raw === 'string' ? `"${raw}"` : String(raw)}`);
      return undefined;
    }
    if (opts.min !== undefined && n < opts.min) return this.fail(f, `must be ${opts.min} or more, got ${n}`);
    if (opts.max !== undefined && n > opts.max) return this.fail(f, `must be ${opts.max} or less, got ${n}`);
    return n;
  }

  boolean(f: Field): boolean | undefined {
    const raw = this.scalarOrInterpolated(f);
    if (raw === undefined) return undefined;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    return this.fail(f, `expected true or false, got ${typeof raw === 'string' ? `"${raw}"` : String(raw)}`);
  }

  /** Milliseconds of a Go-style duration. */
  duration(f: Field): number | undefined {
    const raw = this.scalarOrInterpolated(f);
    if (raw === undefined) return undefined;
    const text = typeof raw === 'number' && isScalar(f.node) ? (f.node.source ?? String(raw)) : String(raw);
    try {
      return parseDuration(text);
    } catch (err) {
      if (err instanceof DurationError) return this.fail(f, err.message);
      throw err;
    }
  }

  oneOf<T extends string>(f: Field, values: readonly T[]): T | undefined {
    const s = this.string(f);
    if (s === undefined) return undefined;
    if ((values as readonly string[]).includes(s)) return s as T;
    return this.fail(f, `"${s}" is not one of ${values.join(', ')}${suggestion(s, values)}`);
  }

  stringList(f: Field, opts: StringOptions = {}): string[] | undefined {
    if (this.isAbsent(f)) return undefined;
    if (!isSeq(f.node)) {
      this.report(f, `expected a list of strings, got ${describe(f.node)}`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of this.items(f)) {
      const s = this.string(item, { ...opts, required: 'list items must not be empty' });
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  /** `name: value` pairs of text; numbers and booleans are kept exactly as written. */
  stringMap(f: Field, each?: (child: Field, value: string) => void): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, child] of this.entries(f)) {
      const s = this.string(child, { anyScalar: true, required: 'write "" for an empty value' });
      if (s === undefined) continue;
      out[name] = s;
      each?.(child, s);
    }
    return out;
  }

  /** The plain JS value of any node, strings interpolated (JSON bodies, expected JSON). */
  value(f: Field, each?: (child: Field, value: string) => void): unknown {
    const node = f.node;
    if (node === undefined) return undefined;
    if (isMap(node)) return Object.fromEntries(this.entries(f).map(([k, child]) => [k, this.value(child, each)]));
    if (isSeq(node)) return this.items(f).map((item) => this.value(item, each));
    if (!isScalar(node)) return undefined;
    if (typeof node.value !== 'string') return node.value;
    const s = this.interpolated(f, node.value);
    if (s !== undefined) each?.(f, s);
    return s;
  }

  private fail(f: Field, message: string): undefined {
    this.report(f, message);
    return undefined;
  }

  /** A scalar's typed value, or the interpolated text of a string (so `${VAR}` can supply numbers too). */
  private scalarOrInterpolated(f: Field): string | number | boolean | undefined {
    if (this.isAbsent(f)) return undefined;
    const node = f.node;
    if (!isScalar(node)) {
      this.report(f, `expected a single value, got ${describe(node)}`);
      return undefined;
    }
    const v = node.value;
    if (typeof v === 'string') return this.interpolated(f, v);
    if (typeof v === 'number' || typeof v === 'boolean') return v;
    return this.fail(f, `unexpected value ${String(node.source ?? v)}`);
  }

  private deref(node: Node | null | undefined): Node | undefined {
    if (node === null || node === undefined) return undefined;
    return isAlias(node) ? ((node.resolve(this.source.doc) as Node | undefined) ?? undefined) : node;
  }

  /** The pairs of a mapping with `<<` merge keys expanded: the mapping's own keys win over merged ones. */
  private pairs(map: YAMLMap, depth = 0): Pair[] {
    const own: Pair[] = [];
    const merged: Pair[] = [];
    for (const pair of map.items) {
      const key = pair.key as Node | null;
      if (isScalar(key) && typeof key.value === 'symbol' && depth < 10) {
        const value = this.deref(pair.value as Node | null);
        const sources = isSeq(value) ? value.items.map((n) => this.deref(n as Node)) : [value];
        for (const src of sources) if (isMap(src)) merged.push(...this.pairs(src, depth + 1));
      } else {
        own.push(pair);
      }
    }
    const ownKeys = new Set(own.map((p) => (isScalar(p.key) ? String(p.key.value) : p.key)));
    const seen = new Set<unknown>();
    const fromMerge = merged.filter((p) => {
      const k = isScalar(p.key) ? String(p.key.value) : p.key;
      if (ownKeys.has(k) || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return [...own, ...fromMerge];
  }
}

function isEmpty(node: Node | undefined): boolean {
  return node === undefined || (isScalar(node) && node.value === null);
}

function describe(node: Node | undefined): string {
  if (node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'number') return `the number ${node.source ?? v}`;
    if (typeof v === 'boolean') return `${v}`;
    if (typeof v === 'string') return `the string "${v}"`;
  }
  return 'something else';
}
