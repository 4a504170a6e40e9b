// Problems about rollgate.yml found after it was loaded (the cluster has no such namespace, the registry has no
// such version tag) name a field of the file; this finds its line, so the message points where a person edits.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Problem } from '../errors.ts';

const SEGMENT = /([A-Za-z_][\w-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;

/** The problems, those without a file whose field is in `configFile` given its file and line. */
export function locateInConfig(problems: readonly Problem[], configFile: string): Problem[] {
  if (!problems.some((p) => p.file === undefined && p.field)) return [...problems];
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    return [...problems];
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return problems.map((p) => {
    if (p.file !== undefined || !p.field) return p;
    const offset = offsetOf(doc.contents, segmentsOf(p.field));
    if (offset === undefined) return p;
    const { line, col } = lines.linePos(offset);
    return { ...p, file: configFile, line, column: col };
  });
}

function segmentsOf(field: string): Array<string | number> {
  return [...field.matchAll(SEGMENT)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? JSON.parse(`"${m[3]}"`) as string)));
}

/** Where the deepest key of `path` that the document has starts; undefined when not even the first one is there. */
function offsetOf(root: unknown, path: ReadonlyArray<string | number>): number | undefined {
  let node = root;
  let found: number | undefined;
  for (const segment of path) {
    if (isMap(node) && typeof segment === 'string') {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      found = (pair.key as Node).range?.[0] ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      found = item.range?.[0] ?? found;
      node = item;
    } else {
      break;
    }
  }
  return found;
}
