// The plain text block a person reads when a rollout fails (log, job summary, `rollgate status`): what will not
// become ready, why in one sentence, what usually fixes it, then the evidence (events, last log lines).

import type { Verdict } from './verdict.ts';

export const DIAGNOSIS_LOG_LINES = 20;

const HEADLINE: Record<Verdict['status'], string> = {
  failed: 'will not become ready',
  'needs-confirmation': 'may not become ready',
  progressing: 'is still rolling out',
  done: 'is ready',
};

/**
 * `logLines` are the container's last lines as fetched for verdict.needsLogs (`kubectl logs --previous` style);
 * only the last DIAGNOSIS_LOG_LINES are shown.
 */
export function formatDiagnosis(verdict: Verdict, logLines: readonly string[] = []): string {
  const { workload: w } = verdict;
  const headline =
    w.kind === 'Job' && verdict.status === 'failed' ? 'will not complete' : w.kind === 'Job' && verdict.status === 'done' ? 'is complete' : HEADLINE[verdict.status];
  const rule = verdict.rule ? ` [${verdict.rule}]` : '';
  const lines = [`${w.kind} ${w.namespace}/${w.name} ${headline}${rule}: ${sentence(verdict.message)}`];
  if (verdict.status === 'needs-confirmation' && verdict.confirm) {
    const c = verdict.confirm;
    lines.push(`  Checking whether ${c.kind} ${c.namespace}/${c.name}${c.key ? ` (key ${c.key})` : ''} exists before calling it a failure.`);
  }
  if (verdict.hint) lines.push(`  Hint: ${verdict.hint}`);
  if (verdict.signalAt) lines.push(`  Signal at: ${verdict.signalAt}${verdict.windowMs ? ` (window ${Math.round(verdict.windowMs / 1000)}s)` : ''}`);
  if (verdict.events.length) {
    lines.push('  Events (newest first):');
    for (const e of verdict.events) {
      lines.push(`    ${e.at ?? '-'} ${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''} ${e.object}: ${oneLine(e.message)}`);
    }
  }
  const shown = trimTrailingEmpty(logLines).slice(-DIAGNOSIS_LOG_LINES);
  if (verdict.needsLogs && shown.length) {
    const { container, previous } = verdict.needsLogs;
    lines.push(`  Last log lines of ${container}${previous ? ' (previous container)' : ''}:`);
    for (const l of shown) lines.push(`    | ${l}`);
  }
  return lines.join('\n');
}

function sentence(message: string): string {
  const text = oneLine(message);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function trimTrailingEmpty(lines: readonly string[]): string[] {
  const out = [...lines];
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}
