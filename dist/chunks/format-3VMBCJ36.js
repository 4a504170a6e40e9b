import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  formatPackageDiff
} from "./chunk-V3FDOAVX.js";
import "./chunk-BIB7UNEJ.js";
import {
  describeTagRevert,
  formatLeftovers
} from "./chunk-BT5J6BEI.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-K5Q2ZJ2S.js";

// src/deploy/format.ts
function formatDeployReport(r) {
  let lines = [`rollgate ${r.command}: ${r.outcome}: ${r.message}`];
  for (let image of r.images) {
    let target = r.targetTags.find((t) => t.image === image.name), tag = target ? `, ${target.tag} ${target.moved ? "moved" : "not moved"}${target.previousDigest ? ` (was ${target.previousDigest})` : " (new tag)"}` : "";
    lines.push(`  ${image.name}: ${image.repository}@${image.digest}${tag}`);
  }
  for (let p of r.packages ?? [])
    lines.push(`packages of ${p.image} (${p.from.slice(0, 19)} -> ${p.to?.slice(0, 19) ?? "rebuilt"}):`), lines.push(...formatPackageDiff(p.diff).split(`
`).filter(Boolean).map((l) => `  ${l}`));
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
