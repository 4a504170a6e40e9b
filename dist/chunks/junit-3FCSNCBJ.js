import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  describeFailure
} from "./chunk-JCACNWR7.js";
import "./chunk-K5Q2ZJ2S.js";

// src/report/junit.ts
function smokeJunitXml(r) {
  let cases = [], failures = 0, skipped = 0;
  for (let step of r.steps) {
    let failed = !r.passed && r.firstFailure?.step === step.name, tolerated = r.tolerated.filter((t) => t.step === step.name), out = [`${step.requests} ${step.kind === "command" ? "runs" : "requests"}, ${step.failures} failed, p50 ${step.p50Ms} ms, p95 ${step.p95Ms} ms`];
    for (let t of tolerated) out.push(`tolerated in round ${t.round}: ${t.message}`);
    let inner;
    if (failed) {
      failures++;
      let f = r.firstFailure;
      inner = `<failure message="${attr(f.message)}" type="${f.transient ? "transient" : "deterministic"}">${text(describeFailure(f).join(`
`))}</failure>`;
    } else step.requests === 0 ? (skipped++, inner = `<skipped message="${attr(r.cancelled ? "the run was cancelled first" : "the run ended before this step")}"/>`) : inner = "";
    cases.push(testcase(step.name, step.totalMs, `${inner}<system-out>${text(out.join(`
`))}</system-out>`));
  }
  if (r.p95LimitMs !== void 0) {
    let over = r.p95Ms > r.p95LimitMs;
    over && failures++;
    let message = `p95 ${r.p95Ms} ms over ${r.requests} requests, limit ${r.p95LimitMs} ms`;
    cases.push(testcase("p95 latency", 0, over ? `<failure message="${attr(message)}" type="threshold"/>` : `<system-out>${text(message)}</system-out>`));
  }
  let tests = cases.length, time = (r.durationMs / 1e3).toFixed(3), counts = `tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rollgate smoke" ${counts}>`,
    `  <testsuite name="${attr(`smoke: ${r.target}`)}" ${counts}>`,
    ...cases.map((c) => `    ${c}`),
    "  </testsuite>",
    "</testsuites>",
    ""
  ].join(`
`);
}
function testcase(name, ms, inner) {
  return `<testcase classname="smoke" name="${attr(name)}" time="${(ms / 1e3).toFixed(3)}">${inner}</testcase>`;
}
var INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
function text(s) {
  return s.replace(INVALID_XML, "\uFFFD").replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
function attr(s) {
  return text(s).replaceAll('"', "&quot;").replaceAll(`
`, "&#10;");
}
export {
  smokeJunitXml
};
