// The diff preview as text for the log and as Markdown for the job summary. Secret values never reach either:
// ObjectChange does not carry them. ConfigMap values are shortened to one line.
import { describeRef } from '../cluster.ts';
import type { KeyChange, ObjectChange } from './diff.ts';

const MAX_VALUE = 60;

const SIGN: Record<ObjectChange['action'], string> = { create: '+', change: '~', unchanged: '=', refused: '!' };

export function countChanges(changes: readonly ObjectChange[]): Record<ObjectChange['action'], number> {
  const counts = { create: 0, change: 0, unchanged: 0, refused: 0 };
  for (const c of changes) counts[c.action]++;
  return counts;
}

function headline(changes: readonly ObjectChange[]): string {
  const n = countChanges(changes);
  const parts = [`${n.create} to create`, `${n.change} to change`, `${n.unchanged} unchanged`];
  if (n.refused) parts.push(`${n.refused} refused by the server`);
  return parts.join(', ');
}

/** One line per object, details indented under it; unchanged objects are counted, not listed. */
export function formatChangesText(changes: readonly ObjectChange[]): string {
  const lines = [`manifests: ${headline(changes)}`];
  for (const c of changes) {
    if (c.action === 'unchanged') continue;
    lines.push(`  ${SIGN[c.action]} ${describeRef(c.ref)}${c.action === 'create' ? ' (new)' : ''}`);
    for (const detail of details(c, (s) => s)) lines.push(`      ${detail}`);
  }
  return lines.join('\n');
}

export function formatChangesMarkdown(changes: readonly ObjectChange[]): string {
  const lines = [`**Manifests**: ${headline(changes)}`, ''];
  const verb: Record<ObjectChange['action'], string> = { create: 'create', change: 'change', unchanged: 'unchanged', refused: 'refused' };
  for (const c of changes) {
    if (c.action === 'unchanged') continue;
    lines.push(`- **${verb[c.action]}** ${code(describeRef(c.ref))}`);
    for (const detail of details(c, code)) lines.push(`  - ${detail}`);
  }
  const unchanged = changes.filter((c) => c.action === 'unchanged');
  if (unchanged.length > 0) {
    lines.push('', `<details><summary>${unchanged.length} unchanged</summary>`, '');
    for (const c of unchanged) lines.push(`- ${code(describeRef(c.ref))}`);
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

function details(c: ObjectChange, quote: (s: string) => string): string[] {
  const out: string[] = [];
  if (c.action === 'refused') return [`refused: ${c.note ?? 'no reason given'}`];
  for (const image of c.images) {
    if (image.from === undefined) out.push(`image ${image.container}: ${quote(image.to!)}`);
    else if (image.to === undefined) out.push(`image ${image.container}: ${quote(image.from)} removed`);
    else out.push(`image ${image.container}: ${quote(image.from)} -> ${quote(image.to)}`);
  }
  if (c.replicas) out.push(`replicas: ${c.replicas.from ?? '(unset)'} -> ${c.replicas.to ?? '(unset)'}`);
  for (const key of c.keys) out.push(keyLine(key, c.secret === true, quote));
  if (c.paths.length > 0) out.push(`changed: ${c.paths.map(quote).join(', ')}${c.morePaths ? ` and ${c.morePaths} more` : ''}`);
  if (c.note) out.push(`note: ${c.note}`);
  return out;
}

function keyLine(k: KeyChange, secret: boolean, quote: (s: string) => string): string {
  const hidden = secret ? ' (value hidden)' : '';
  const v = (s: string | undefined) => (s === undefined ? '' : quote(shorten(s)));
  switch (k.change) {
    case 'added':
      return `+ key ${k.key}${k.to !== undefined ? ` = ${v(k.to)}` : hidden}`;
    case 'removed':
      return `- key ${k.key}`;
    case 'changed':
      return `~ key ${k.key}${k.from !== undefined && k.to !== undefined ? `: ${v(k.from)} -> ${v(k.to)}` : secret ? hidden : ' (binary)'}`;
  }
}

/** One line, at most MAX_VALUE characters, quoted so blanks and newlines show. */
function shorten(value: string): string {
  const json = JSON.stringify(value);
  return json.length <= MAX_VALUE ? json : `${json.slice(0, MAX_VALUE - 2)}…"`;
}

/** A Markdown code span that survives backticks inside. */
function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}
