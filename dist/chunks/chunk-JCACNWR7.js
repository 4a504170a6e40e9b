import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/smoke/format.ts
function formatSmokeResult(r) {
  let verdict = r.passed ? "passed" : r.cancelled ? "cancelled" : "FAILED", limit = r.p95LimitMs !== void 0 ? ` (limit ${r.p95LimitMs} ms)` : "", lines = [
    `smoke test ${verdict}: ${r.message.replace(/^passed: /, "")}`,
    `target: ${r.target}`,
    `${plural(r.rounds, "round")} in ${(r.durationMs / 1e3).toFixed(1)} s, ${plural(r.requests, "request")}, ${plural(r.failures, "failure")} (${r.maxFailures} tolerated), p95 ${r.p95Ms} ms${limit}`,
    "",
    ...table(["step", "requests", "failures", "p50 ms", "p95 ms"], r.steps.map((s) => [s.name, s.requests, s.failures, s.p50Ms, s.p95Ms]))
  ];
  r.firstFailure && lines.push("", ...describeFailure(r.firstFailure));
  for (let t of r.tolerated) lines.push(`tolerated: round ${t.round}, step "${t.step}": ${t.message}`);
  return `${lines.join(`
`)}
`;
}
function describeFailure(f) {
  let lines = [`${f.transient ? "transient failure" : "failure"} in round ${f.round}, step "${f.step}": ${f.message}`];
  if (f.request) {
    lines.push(`  ${f.request.method} ${f.request.path}`);
    for (let [name, value] of Object.entries(f.request.headers)) lines.push(`  ${name}: ${value}`);
  }
  if (f.command !== void 0 && lines.push(`  $ ${f.command}`), f.status !== void 0 && lines.push(`  -> status ${f.status}`), f.exitCode !== void 0 && lines.push(`  -> exit code ${f.exitCode}`), f.responseExcerpt) {
    lines.push(f.command !== void 0 ? "  output (end):" : "  response (start):");
    for (let line of f.responseExcerpt.split(`
`)) lines.push(`    ${line}`);
  }
  return lines;
}
function table(head, rows) {
  let widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length))), line = (cells) => cells.map((c, i) => i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])).join("  ").trimEnd();
  return [line(head), ...rows.map(line)];
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export {
  formatSmokeResult,
  describeFailure
};
