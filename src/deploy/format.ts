// The end of a deploy as a person reads it on stdout: the verdict, each image with its target tag, and, after a
// failure, what the revert did and what is left to do by hand.
import { formatPackageDiff } from '../image/inventory-diff.ts';
import { formatLeftovers } from './leftovers.ts';
import type { DeployReport } from './report.ts';
import { describeTagRevert } from './target-tags.ts';

export function formatDeployReport(r: DeployReport): string {
  const lines = [`rollgate ${r.command}: ${r.outcome}: ${r.message}`];
  for (const image of r.images) {
    const target = r.targetTags.find((t) => t.image === image.name);
    const tag = target ? `, ${target.tag} ${target.moved ? 'moved' : 'not moved'}${target.previousDigest ? ` (was ${target.previousDigest})` : ' (new tag)'}` : '';
    lines.push(`  ${image.name}: ${image.repository}@${image.digest}${tag}`);
  }
  for (const p of r.packages ?? []) {
    lines.push(`packages of ${p.image} (${p.from.slice(0, 19)} -> ${p.to?.slice(0, 19) ?? 'rebuilt'}):`);
    lines.push(...formatPackageDiff(p.diff).split('\n').filter(Boolean).map((l) => `  ${l}`));
  }
  if (r.revert) {
    lines.push(`revert: safe after ${r.revert.timeToSafeSeconds} s; workloads ${r.revert.workloadsRestored ? 'restored' : 'NOT restored'}`);
    for (const t of r.revert.tags) lines.push(`  ${describeTagRevert(t)}`);
    if (r.revert.leftovers.length) lines.push(formatLeftovers(r.revert.leftovers));
  }
  return `${lines.join('\n')}\n`;
}
