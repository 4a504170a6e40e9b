// The smoke result as a person reads it in a job log: the verdict, a table per step, and the failure in full.
import type { SmokeFailure, SmokeResult } from './result.ts';

export function formatSmokeResult(r: SmokeResult): string {
  const verdict = r.passed ? 'passed' : r.cancelled ? 'cancelled' : 'FAILED';
  const limit = r.p95LimitMs !== undefined ? ` (limit ${r.p95LimitMs} ms)` : '';
  const lines = [
    `smoke test ${verdict}: ${r.message.replace(/^passed: /, '')}`,
    `target: ${r.target}`,
    `${plural(r.rounds, 'round')} in ${(r.durationMs / 1000).toFixed(1)} s, ${plural(r.requests, 'request')}, ${plural(r.failures, 'failure')} (${r.maxFailures} tolerated), p95 ${r.p95Ms} ms${limit}`,
    '',
    ...table(['step', 'requests', 'failures', 'p50 ms', 'p95 ms'], r.steps.map((s) => [s.name, s.requests, s.failures, s.p50Ms, s.p95Ms])),
  ];
  if (r.firstFailure) lines.push('', ...describeFailure(r.firstFailure));
  for (const t of r.tolerated) lines.push(`tolerated: round ${t.round}, step "${t.step}": ${t.message}`);
  return `${lines.join('\n')}\n`;
}

export function describeFailure(f: SmokeFailure): string[] {
  const lines = [`${f.transient ? 'transient failure' : 'failure'} in round ${f.round}, step "${f.step}": ${f.message}`];
  if (f.request) {
    lines.push(`  ${f.request.method} ${f.request.path}`);
    for (const [name, value] of Object.entries(f.request.headers)) lines.push(`  ${name}: ${value}`);
  }
  if (f.command !== undefined) lines.push(`  $ ${f.command}`);
  if (f.status !== undefined) lines.push(`  -> status ${f.status}`);
  if (f.exitCode !== undefined) lines.push(`  -> exit code ${f.exitCode}`);
  if (f.responseExcerpt) {
    lines.push(f.command !== undefined ? '  output (end):' : '  response (start):');
    for (const line of f.responseExcerpt.split('\n')) lines.push(`    ${line}`);
  }
  return lines;
}

function table(head: string[], rows: Array<Array<string | number>>): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  // The first column is text, the others numbers: left- and right-aligned like a person would write them.
  const line = (cells: Array<string | number>): string =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
