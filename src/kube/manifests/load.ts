// Reads manifests from files, folders and kustomize folders into plain objects, each with the place it came from.
// Nothing here judges the objects (validate.ts does); a file that does not parse becomes problems with file:line,
// and loading goes on so one run reports everything.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { isCollection, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { Problem } from '../../errors.ts';
import { syntaxErrorPlace } from '../../config/yaml-paths.ts';
import { KUSTOMIZATION_FILES, kustomizationFile, kustomizePlace, renderKustomization } from './kustomize.ts';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Where an object was written. */
export interface ManifestSource {
  /** The file; for objects rendered by kustomize, the kustomization file of the folder. */
  file: string;
  line: number;
  /** Set for objects rendered by `kubectl kustomize` (their lines cannot point inside the rendered text). */
  kustomized?: true;
  /** The line of a field of the object (`['metadata', 'namespace']`), or of its nearest enclosing field. */
  lineOf(path: readonly (string | number)[]): number;
}

/** A YAML/JSON document that is a mapping: maybe an object, not yet checked. */
export interface RawManifest {
  value: Record<string, unknown>;
  source: ManifestSource;
}

export interface LoadOptions {
  /** The kubectl binary that renders kustomize folders (default `kubectl` on PATH). */
  kubectl?: string;
}

/**
 * Loads `paths` in order. A folder is read recursively in lexical order, as `kubectl apply -R` walks it, except
 * that a folder holding a kustomization is rendered as a whole; hidden files and folders are skipped.
 */
export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<{ manifests: RawManifest[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const units: Unit[] = [];
  for (const path of paths) collectUnits(path, true, units);
  const loaded = await Promise.all(units.map((unit) => loadUnit(unit, options)));
  const manifests: RawManifest[] = [];
  for (const result of loaded) {
    manifests.push(...result.manifests);
    problems.push(...result.problems);
  }
  return { manifests, problems };
}

type Unit = { type: 'file'; path: string } | { type: 'kustomize'; dir: string; file: string } | { type: 'missing'; path: string } | { type: 'not-manifest'; path: string };

function collectUnits(path: string, named: boolean, units: Unit[]): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    units.push({ type: 'missing', path });
    return;
  }
  if (stats.isFile() && named && KUSTOMIZATION_FILES.includes(basename(path))) {
    // `k8s/overlays/dev/kustomization.yaml` means the overlay, not a manifest.
    units.push({ type: 'kustomize', dir: dirname(path), file: path });
    return;
  }
  if (stats.isFile()) {
    // Inside folders other files (READMEs, scripts) are skipped; a file named explicitly must be a manifest.
    if (MANIFEST_EXTENSIONS.includes(extname(path).toLowerCase())) units.push({ type: 'file', path });
    else if (named) units.push({ type: 'not-manifest', path });
    return;
  }
  if (!stats.isDirectory()) return;
  const kustomization = kustomizationFile(path);
  if (kustomization) {
    units.push({ type: 'kustomize', dir: path, file: kustomization });
    return;
  }
  const names = readdirSync(path).filter((name) => !name.startsWith('.')).sort();
  for (const name of names) collectUnits(join(path, name), false, units);
}

async function loadUnit(unit: Unit, options: LoadOptions): Promise<{ manifests: RawManifest[]; problems: Problem[] }> {
  if (unit.type === 'missing') return { manifests: [], problems: [{ file: unit.path, message: 'no such file or folder' }] };
  if (unit.type === 'not-manifest') {
    return { manifests: [], problems: [{ file: unit.path, message: `not a manifest: name a .yaml, .yml or .json file, or a folder` }] };
  }
  if (unit.type === 'file') return parseManifests(unit.path, readFileSync(unit.path, 'utf8'));
  const rendered = await renderKustomization(unit.dir, options.kubectl);
  if ('problem' in rendered) return { manifests: [], problems: [{ file: unit.file, ...kustomizePlace(unit.file, rendered.problem), message: rendered.problem }] };
  const parsed = parseManifests(unit.file, rendered.yaml);
  // Rendered text has no lines a person can open: everything points at the kustomization.
  for (const m of parsed.manifests) m.source = { file: unit.file, line: 1, kustomized: true, lineOf: () => 1 };
  for (const p of parsed.problems) {
    p.line = 1;
    delete p.column;
    p.message = `${p.message} (in the output of kubectl kustomize ${basename(unit.dir)})`;
  }
  return parsed;
}

// Kubernetes reads YAML the way go-yaml v2 does: YAML 1.1 (`0644` is octal, `yes` is true), but timestamps
// stay strings. Without this a ConfigMap value `2024-01-01` would become a Date.
const YAML_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: unknown[]) => tags.filter((t) => (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp'),
  uniqueKeys: true,
  merge: true,
  prettyErrors: false,
};

/** Parses one file of YAML documents (JSON included); `List` kinds are flattened into their items. */
export function parseManifests(file: string, text: string): { manifests: RawManifest[]; problems: Problem[] } {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter: lines } as Parameters<typeof parseAllDocuments>[1]);
  const manifests: RawManifest[] = [];
  const problems: Problem[] = [];
  if (!Array.isArray(docs)) return { manifests, problems };
  const lineAt = (offset: number) => lines.linePos(offset).line;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const seen = new Set<number>();
      for (const err of doc.errors) {
        const place = syntaxErrorPlace(text, lines, err);
        if (seen.has(place.line)) continue;
        seen.add(place.line);
        problems.push({ file, ...place, message: `YAML: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` });
      }
      continue;
    }
    const contents = doc.contents as Node | null;
    if (contents === null || isEmptyScalar(contents)) continue;
    const line = lineAt(contents.range?.[0] ?? 0);
    if (!isMap(contents)) {
      problems.push({ file, line, message: `a manifest must be a mapping (apiVersion, kind, metadata, ...), not ${describeNode(contents)}` });
      continue;
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
    const kind = value.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
      const itemsNode = contents.get('items', true);
      value.items.forEach((item, i) => {
        const node = isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined;
        const itemLine = node?.range ? lineAt(node.range[0]) : line;
        if (!isPlainObject(item)) {
          problems.push({ file, line: itemLine, field: `items[${i}]`, message: `a List item must be a mapping (apiVersion, kind, metadata, ...), not ${typeName(item)}` });
          return;
        }
        manifests.push({ value: item, source: { file, line: itemLine, lineOf: fieldLines(node ?? contents, itemLine, lineAt) } });
      });
      continue;
    }
    manifests.push({ value, source: { file, line, lineOf: fieldLines(contents, line, lineAt) } });
  }
  return { manifests, problems };
}

/** Lines of fields: the line of the key naming the deepest field of `path` that exists. */
function fieldLines(root: Node, line: number, lineAt: (offset: number) => number): ManifestSource['lineOf'] {
  return (path) => {
    let node: unknown = root;
    let found = line;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
        if (!pair) break;
        const key = pair.key as Node | null;
        if (key?.range) found = lineAt(key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        if (item.range) found = lineAt(item.range[0]);
        node = item;
      } else {
        break;
      }
    }
    return found;
  };
}

function isEmptyScalar(node: Node): boolean {
  return !isCollection(node) && (node as { value?: unknown }).value === null;
}

function describeNode(node: Node): string {
  if (isSeq(node)) return 'a list';
  return `a scalar (${JSON.stringify((node as { value?: unknown }).value)})`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}
