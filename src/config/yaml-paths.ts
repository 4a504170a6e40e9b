// Dotted paths of YAML fields (`smoke.steps[0].path`), and the field a line of block YAML belongs to, read from
// indentation alone: a syntax error leaves no document to walk, yet "line 17: environments.dev.namespace" tells a
// person more than "line 17". Flow collections and block scalars can mislead it; it only names where a syntax
// error sits.
import type { LineCounter, YAMLError } from 'yaml';

/** `parent.key`, `parent[0]`, `parent["odd key"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const part = /^[A-Za-z_][\w-]*$/.test(key) ? key : `"${key}"`;
  if (parent === '') return part;
  return part.startsWith('"') ? `${parent}[${part}]` : `${parent}.${part}`;
}

interface LineShape {
  /** Spaces before the first character. */
  indent: number;
  /** Whether the line starts a list item (`- `). */
  dash: boolean;
  /** The key the line defines, if any, and the column it starts at. */
  key?: string;
  keyColumn: number;
}

const DOCUMENT_START = /^---(\s|$)/;
const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#"'{[\]},:-][^#:]*?|-[^\s#:][^#:]*?))\s*:(?:\s|$)/;

function shape(text: string): LineShape | undefined {
  const indent = text.length - text.trimStart().length;
  let rest = text.slice(indent);
  if (rest === '' || rest.startsWith('#') || rest === '---' || rest === '...') return undefined;
  const dash = rest === '-' || rest.startsWith('- ');
  const keyColumn = dash ? indent + 2 : indent;
  if (dash) rest = rest.slice(2).trimStart();
  const m = KEY.exec(rest);
  const key = m ? (m[1] ?? m[2]?.replaceAll("''", "'") ?? m[3]!.trim()) : undefined;
  return { indent, dash, keyColumn, ...(key !== undefined ? { key } : {}) };
}

/** The dotted path (`smoke.steps[0].path`) at 1-based `line`, or undefined when the line sits at no key. */
export function pathAtLine(text: string, line: number): string | undefined {
  const raw = text.split(/\r?\n/);
  const shapes = raw.map(shape);
  const start = Math.min(line, shapes.length) - 1;
  const own = shapes[start];
  if (!own) return undefined;
  const segments: Array<string | number> = [];
  // Ancestors are the lines above that are less indented than what was found so far; a list item's parent key
  // may sit at the item's own column (`steps:` over `- name: ...`).
  let limit = own.key !== undefined ? own.keyColumn : own.indent;
  let fromItem = false;
  const item = (i: number, s: LineShape) => {
    segments.unshift(itemIndex(shapes, i, s.indent));
    limit = s.indent;
    fromItem = true;
  };
  if (own.key !== undefined) segments.unshift(own.key);
  if (own.dash) item(start, own);
  for (let i = start - 1; i >= 0 && (limit > 0 || fromItem); i--) {
    if (DOCUMENT_START.test(raw[i]!)) break;
    const s = shapes[i];
    if (!s) continue;
    if (s.key !== undefined && (s.keyColumn < limit || (fromItem && !s.dash && s.keyColumn === limit))) {
      segments.unshift(s.key);
      limit = s.keyColumn;
      fromItem = false;
    }
    if (s.dash && s.indent < limit) item(i, s);
  }
  if (segments.length === 0) return undefined;
  return segments.reduce<string>((path, seg) => childPath(path, seg), '');
}

/**
 * Where to point for a YAML syntax error. An unclosed flow collection or quoted string is noticed on the line
 * after it (where the next key starts); the line that lacks the closing character is the last one before that.
 */
export function syntaxErrorPlace(text: string, lines: LineCounter, err: YAMLError): { line: number; column?: number; field?: string } {
  let { line, col } = lines.linePos(err.pos[0]);
  let column: number | undefined = col;
  if (/^(Flow (sequence|map) in block collection|Missing closing)/.test(err.message)) {
    const all = text.split(/\r?\n/);
    let previous = line - 1;
    while (previous > 1 && shape(all[previous - 1] ?? '') === undefined && !DOCUMENT_START.test(all[previous - 1] ?? '')) previous--;
    if (previous >= 1 && previous < line) {
      line = previous;
      column = undefined;
    }
  }
  const field = pathAtLine(text, line);
  return { line, ...(column !== undefined ? { column } : {}), ...(field !== undefined ? { field } : {}) };
}

/** The index of the list item starting at line `i`: the items before it at the same indentation, in its list. */
function itemIndex(shapes: ReadonlyArray<LineShape | undefined>, i: number, indent: number): number {
  let n = 0;
  for (let j = i - 1; j >= 0; j--) {
    const s = shapes[j];
    if (!s) continue;
    if (s.indent < indent || (s.indent === indent && !s.dash)) break;
    if (s.indent === indent && s.dash) n++;
  }
  return n;
}
