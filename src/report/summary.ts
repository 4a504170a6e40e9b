// The run as Markdown, for the GitHub job summary and `--summary FILE`: the verdict first, then what was deployed,
// why it failed, what the revert did and what is left, then the diff preview.
import { formatChangesMarkdown } from '../kube/apply/format.ts';
import type { RunDetails } from './details.ts';
import type { RunResult } from './result.ts';

/** `rollgate deploy to dev`, `rollgate status of dev`: what the run was, for titles. */
export function runTitle(result: Pick<RunResult, 'command' | 'environment'>): string {
  if (!result.environment) return `rollgate ${result.command}`;
  return `rollgate ${result.command} ${result.command === 'status' ? 'of' : 'to'} ${result.environment}`;
}

export function summaryMarkdown(result: RunResult, details: RunDetails = {}): string {
  const lines = [`### ${runTitle(result)}: ${result.outcome}`, '', escape(result.message), ''];
  if (details.status) {
    lines.push('```text', details.status, '```', '');
    return lines.join('\n');
  }
  if (result.images.length) {
    const targeted = result.images.some((i) => i.targetTag);
    lines.push(targeted ? '| image | digest | target tag | previous digest |' : '| image | digest | tags |', targeted ? '|---|---|---|---|' : '|---|---|---|');
    for (const i of result.images) {
      lines.push(targeted ? `| ${i.name} | \`${i.digest}\` | ${i.targetTag ?? ''} | ${i.previousDigest ? `\`${i.previousDigest}\`` : '(none)'} |` : `| ${i.name} | \`${i.digest}\` | ${i.tags.join(', ')} |`);
    }
    lines.push('');
  }
  const workloads = result.rollout?.workloads ?? [];
  if (workloads.length) {
    lines.push('| workload | rollout | after |', '|---|---|---|');
    for (const w of workloads) lines.push(`| ${escape(w.resource)} | ${w.status}${w.progress ? ` (${escape(w.progress)})` : ''} | ${w.seconds} s |`);
    lines.push('');
  }
  const failure = result.rollout?.failure;
  if (failure) {
    lines.push(`**Rollout failed**: \`${failure.rule}\` on ${failure.resource}${failure.container ? `, container ${failure.container}` : ''}: ${escape(failure.message)}`, '');
    if (details.diagnosis) lines.push('<details><summary>Diagnosis</summary>', '', '```text', details.diagnosis, '```', '', '</details>', '');
  }
  if (result.smoke) {
    const s = result.smoke;
    lines.push(`**Smoke test**: ${s.passed ? 'passed' : 'FAILED'}, ${s.requests} requests, ${s.failures} failures, p95 ${s.p95Ms} ms${s.message && !s.passed ? ` — ${escape(s.message)}` : ''}`, '');
    const steps = details.smoke?.steps ?? [];
    if (steps.length) {
      lines.push('| step | requests | failures | p50 ms | p95 ms |', '|---|---:|---:|---:|---:|');
      for (const step of steps) lines.push(`| ${escape(step.name)} | ${step.requests} | ${step.failures} | ${step.p50Ms} | ${step.p95Ms} |`);
      lines.push('');
    }
  }
  if (result.revert) {
    const r = result.revert;
    lines.push(`**Revert**: target tags ${r.tagRestored ? 'restored' : 'NOT all restored'}, workloads ${r.workloadsRestored ? 'restored' : 'NOT restored'}, safe after ${r.timeToSafeSeconds} s`, '');
    for (const t of r.tags ?? []) lines.push(`- \`${t.reference}\`: ${t.status}${t.digest ? ` (\`${t.digest}\`)` : ''}${t.message ? ` — ${escape(t.message)}` : ''}`);
    if (r.tags?.length) lines.push('');
    if (r.left?.length) {
      lines.push('**Left to do by hand**:', '');
      for (const l of r.left) lines.push(`- ${escape(l.what)}`, '', '  ```sh', ...l.commands.map((c) => `  ${c}`), '  ```', '');
    }
  }
  if (result.packageChanges?.length) {
    lines.push('**Packages changed by the rebuild**:', '', '| image | type | package | before | after |', '|---|---|---|---|---|');
    for (const p of result.packageChanges) lines.push(`| ${p.image} | ${p.type} | ${escape(p.name)} | ${p.from ?? '(new)'} | ${p.to ?? '(removed)'} |`);
    lines.push('');
  }
  if (details.changes?.length) lines.push(formatChangesMarkdown(details.changes), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Text from the cluster or an app must not turn into Markdown or HTML. */
function escape(text: string): string {
  return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!).replace(/\n/g, ' ');
}
