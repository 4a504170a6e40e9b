import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  formatChangesMarkdown
} from "./chunk-3V7TI2RJ.js";

// src/report/summary.ts
function runTitle(result) {
  return result.environment ? `rollgate ${result.command} ${result.command === "status" ? "of" : "to"} ${result.environment}` : `rollgate ${result.command}`;
}
function summaryMarkdown(result, details = {}) {
  let lines = [`### ${runTitle(result)}: ${result.outcome}`, "", escape(result.message), ""];
  if (details.status)
    return lines.push("```text", details.status, "```", ""), lines.join(`
`);
  if (result.images.length) {
    let targeted = result.images.some((i) => i.targetTag);
    lines.push(targeted ? "| image | digest | target tag | previous digest |" : "| image | digest | tags |", targeted ? "|---|---|---|---|" : "|---|---|---|");
    for (let i of result.images)
      lines.push(targeted ? `| ${i.name} | \`${i.digest}\` | ${i.targetTag ?? ""} | ${i.previousDigest ? `\`${i.previousDigest}\`` : "(none)"} |` : `| ${i.name} | \`${i.digest}\` | ${i.tags.join(", ")} |`);
    lines.push("");
  }
  let workloads = result.rollout?.workloads ?? [];
  if (workloads.length) {
    lines.push("| workload | rollout | after |", "|---|---|---|");
    for (let w of workloads) lines.push(`| ${escape(w.resource)} | ${w.status}${w.progress ? ` (${escape(w.progress)})` : ""} | ${w.seconds} s |`);
    lines.push("");
  }
  let failure = result.rollout?.failure;
  if (failure && (lines.push(`**Rollout failed**: \`${failure.rule}\` on ${failure.resource}${failure.container ? `, container ${failure.container}` : ""}: ${escape(failure.message)}`, ""), details.diagnosis && lines.push("<details><summary>Diagnosis</summary>", "", "```text", details.diagnosis, "```", "", "</details>", "")), result.smoke) {
    let s = result.smoke;
    lines.push(`**Smoke test**: ${s.passed ? "passed" : "FAILED"}, ${s.requests} requests, ${s.failures} failures, p95 ${s.p95Ms} ms${s.message && !s.passed ? ` \u2014 ${escape(s.message)}` : ""}`, "");
    let steps = details.smoke?.steps ?? [];
    if (steps.length) {
      lines.push("| step | requests | failures | p50 ms | p95 ms |", "|---|---:|---:|---:|---:|");
      for (let step of steps) lines.push(`| ${escape(step.name)} | ${step.requests} | ${step.failures} | ${step.p50Ms} | ${step.p95Ms} |`);
      lines.push("");
    }
  }
  if (result.revert) {
    let r = result.revert;
    lines.push(`**Revert**: target tags ${r.tagRestored ? "restored" : "NOT all restored"}, workloads ${r.workloadsRestored ? "restored" : "NOT restored"}, safe after ${r.timeToSafeSeconds} s`, "");
    for (let t of r.tags ?? []) lines.push(`- \`${t.reference}\`: ${t.status}${t.digest ? ` (\`${t.digest}\`)` : ""}${t.message ? ` \u2014 ${escape(t.message)}` : ""}`);
    if (r.tags?.length && lines.push(""), r.left?.length) {
      lines.push("**Left to do by hand**:", "");
      for (let l of r.left) lines.push(`- ${escape(l.what)}`, "", "  ```sh", ...l.commands.map((c) => `  ${c}`), "  ```", "");
    }
  }
  if (result.packageChanges?.length) {
    lines.push("**Packages changed by the rebuild**:", "", "| image | type | package | before | after |", "|---|---|---|---|---|");
    for (let p of result.packageChanges) lines.push(`| ${p.image} | ${p.type} | ${escape(p.name)} | ${p.from ?? "(new)"} | ${p.to ?? "(removed)"} |`);
    lines.push("");
  }
  return details.changes?.length && lines.push(formatChangesMarkdown(details.changes), ""), `${lines.join(`
`).trimEnd()}
`;
}
function escape(text) {
  return text.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]).replace(/\n/g, " ");
}

export {
  runTitle,
  summaryMarkdown
};
