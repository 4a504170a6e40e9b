// What every bench module prints and stores: order statistics over repeated runs, durations and ratios as text,
// and one aligned table per figure (its baseline in the same table).

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
export const p95 = (xs: readonly number[]): number => quantile(xs, 0.95);

export const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '-');
export const secs = (n: number): string => (Number.isFinite(n) ? `${(n / 1000).toFixed(2)} s` : '-');
/** Milliseconds below a second, seconds above: detection latencies span both. */
export const duration = (n: number): string => (!Number.isFinite(n) ? '-' : Math.abs(n) < 1000 ? `${Math.round(n)} ms` : secs(n));
export function ratio(ours: number, baseline: number): string {
  const r = ours / baseline;
  if (!Number.isFinite(r)) return '-';
  // Detection is thousands of times faster than its baseline: 0.00x would hide by how much.
  return r < 0.01 && r > 0 ? `${r.toPrecision(2)}x` : `${r.toFixed(2)}x`;
}

/** `met`, or by how much the figure misses its bound (`missed by 0.4 s`). */
export function verdict(value: number, bound: number, unit: (n: number) => string): string {
  if (!Number.isFinite(value)) return 'no figure';
  return value <= bound ? 'met' : `missed by ${unit(value - bound)}`;
}

export type Row = (string | number)[];

/** Prints a table: first column left-aligned, the others right-aligned. Returns it as Markdown for docs/bench.md. */
export function table(title: string, header: string[], rows: Row[], notes: string[] = []): string {
  const cells = [header, ...rows.map((r) => header.map((_, i) => String(r[i] ?? '')))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  console.log(`\n${title}`);
  for (const [i, r] of cells.entries()) {
    console.log(`  ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
  for (const n of notes) console.log(`  ${n}`);
  const md = [`| ${header.join(' | ')} |`, `|${header.map((_, j) => (j === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...cells.slice(1).map((r) => `| ${r.join(' | ')} |`)];
  return [`### ${title}`, '', ...md, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
