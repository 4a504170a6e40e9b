// Recorded Kubernetes objects from test/fixtures/kube (copied from ../shared/fixtures; PROVENANCE.tsv there says
// where each comes from and what really happened). `@now-5m` style placeholders become times relative to NOW.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/kube');

/** The "present" of every fixture test: placeholders are relative to it, windows are measured against it. */
export const NOW = Date.parse('2030-01-01T12:00:00Z');

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function substituteNow(text: string, now = NOW): string {
  return text.replace(/@now(?:([-+])(\d+)([smhd]))?/g, (_, sign?: string, n?: string, unit?: string) => {
    const offset = sign ? (sign === '-' ? -1 : 1) * Number(n) * UNIT_MS[unit!]! : 0;
    return new Date(now + offset).toISOString();
  });
}

/** Every object in the file: YAML documents or JSON, a `List` unwrapped into its items. */
export function loadObjects<T = any>(path: string, now = NOW): T[] {
  const text = substituteNow(readFileSync(join(FIXTURES, path), 'utf8'), now);
  const docs: unknown[] = path.endsWith('.json')
    ? [JSON.parse(text)].flat()
    : parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d != null);
  return docs.flatMap((d: any) => (d?.kind === 'List' || (Array.isArray(d?.items) && d.kind?.endsWith('List')) ? d.items : [d])) as T[];
}

export function loadOne<T = any>(path: string, now = NOW): T {
  const [first, ...rest] = loadObjects<T>(path, now);
  if (!first || rest.length) throw new Error(`${path}: expected one object, found ${rest.length + (first ? 1 : 0)}`);
  return first;
}

export interface Provenance {
  repo: string;
  license: string;
  sourceVerdictClass: string;
  failureCause: string;
}

let table: Map<string, Provenance> | undefined;

/** The fixture's row of PROVENANCE.tsv; throws for a file that has none (every copied file must keep its origin). */
export function provenance(path: string): Provenance {
  table ??= new Map(
    readFileSync(join(FIXTURES, 'PROVENANCE.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .map((c) => [c[0]!, { repo: c[1]!, license: c[4]!, sourceVerdictClass: c[6]!, failureCause: c[7]! }]),
  );
  const row = table.get(path);
  if (!row) throw new Error(`${path} has no row in PROVENANCE.tsv`);
  return row;
}
