import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  describeTagRevert,
  formatLeftovers
} from "./chunk-BG5YLR75.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-JGF3FBHV.js";

// src/deploy/format.ts
function formatDeployReport(r) {
  let lines = [`rollgate ${r.command}: ${r.outcome}: ${r.message}`];
  for (let image of r.images) {
    let target = r.targetTags.find((t) => t.image === image.name), tag = target ? `, ${target.tag} ${target.moved ? "moved" : "not moved"}${target.previousDigest ? ` (was ${target.previousDigest})` : " (new tag)"}` : "";
    lines.push(`  ${image.name}: ${image.repository}@${image.digest}${tag}`);
  }
  if (r.revert) {
    lines.push(`revert: safe after ${r.revert.timeToSafeSeconds} s; workloads ${r.revert.workloadsRestored ? "restored" : "NOT restored"}`);
    for (let t of r.revert.tags) lines.push(`  ${describeTagRevert(t)}`);
    r.revert.leftovers.length && lines.push(formatLeftovers(r.revert.leftovers));
  }
  return `${lines.join(`
`)}
`;
}
export {
  formatDeployReport
};
