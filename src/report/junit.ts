// The smoke result as JUnit XML, for GitLab's artifacts:reports:junit (and any CI that reads it): one testcase per
// step, plus one for the p95 limit when there is one. Only the step that failed the run is a <failure>; failures
// it tolerated are noted in <system-out>, so a green pipeline shows no red test. Steps the run never reached are
// <skipped>.
import { describeFailure } from '../smoke/format.ts';
import type { SmokeResult } from '../smoke/result.ts';

export function smokeJunitXml(r: SmokeResult): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const step of r.steps) {
    const failed = !r.passed && r.firstFailure?.step === step.name;
    const tolerated = r.tolerated.filter((t) => t.step === step.name);
    const out = [`${step.requests} ${step.kind === 'command' ? 'runs' : 'requests'}, ${step.failures} failed, p50 ${step.p50Ms} ms, p95 ${step.p95Ms} ms`];
    for (const t of tolerated) out.push(`tolerated in round ${t.round}: ${t.message}`);
    let inner: string;
    if (failed) {
      failures++;
      const f = r.firstFailure!;
      inner = `<failure message="${attr(f.message)}" type="${f.transient ? 'transient' : 'deterministic'}">${text(describeFailure(f).join('\n'))}</failure>`;
    } else if (step.requests === 0) {
      skipped++;
      inner = `<skipped message="${attr(r.cancelled ? 'the run was cancelled first' : 'the run ended before this step')}"/>`;
    } else {
      inner = '';
    }
    cases.push(testcase(step.name, step.totalMs, `${inner}<system-out>${text(out.join('\n'))}</system-out>`));
  }
  if (r.p95LimitMs !== undefined) {
    const over = r.p95Ms > r.p95LimitMs;
    if (over) failures++;
    const message = `p95 ${r.p95Ms} ms over ${r.requests} requests, limit ${r.p95LimitMs} ms`;
    cases.push(testcase('p95 latency', 0, over ? `<failure message="${attr(message)}" type="threshold"/>` : `<system-out>${text(message)}</system-out>`));
  }
  const tests = cases.length;
  const time = (r.durationMs / 1000).toFixed(3);
  const counts = `tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rollgate smoke" ${counts}>`,
    `  <testsuite name="${attr(`smoke: ${r.target}`)}" ${counts}>`,
    ...cases.map((c) => `    ${c}`),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(name: string, ms: number, inner: string): string {
  return `<testcase classname="smoke" name="${attr(name)}" time="${(ms / 1000).toFixed(3)}">${inner}</testcase>`;
}

// XML 1.0 has no escape for most control characters; a response excerpt may hold them.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function attr(s: string): string {
  return text(s).replaceAll('"', '&quot;').replaceAll('\n', '&#10;');
}
