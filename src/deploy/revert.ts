// Back to exactly where the run started: the target tags it moved go back (compare-and-swap, so a tag someone else
// moved meanwhile is left to them) while the workloads are restored from the snapshot and tracked back to
// Available. Both at once: time to safe is the longer of the two, not their sum.
import type { Snapshot } from '../kube/apply/snapshot.ts';
import type { Cluster } from '../kube/cluster.ts';
import { restore, type RestoreResult } from '../kube/restore.ts';
import type { RuleOptions } from '../kube/rollout/windows.ts';
import type { Logger } from '../log.ts';
import { restoreLeftovers, tagLeftovers, unrestoredLeftovers, type Leftover } from './leftovers.ts';
import { describeTagRevert, isRestored, revertTargetTags, type RegistryLookup, type TagRevert, type TargetTag } from './target-tags.ts';

export interface RevertInput {
  tags: readonly TargetTag[];
  /** The snapshot taken before the first write to the cluster; absent when the cluster was never written. */
  snapshot?: Snapshot;
  cluster?: Cluster;
  registryFor: RegistryLookup;
  logger: Logger;
  /** The kubeconfig context, for the kubectl commands of what is left. */
  context?: string;
  rules?: Partial<RuleOptions>;
  /** How long the previous revision gets to be Available again. */
  timeoutMs?: number;
  /** Where restore bodies of failed steps go (0600), and the saved previous objects for kubectl. */
  writeDir?: string;
  previousObjectsFile?: string;
  /** Repositories reached without TLS verification: the commands of what is left say so. */
  insecure?: (repository: string) => boolean;
  /** ms of the verdict that started the revert: time to safe is measured from it. */
  verdictAt: number;
}

export interface RevertReport {
  /** Every tag this run moved is back on its previous digest. */
  tagRestored: boolean;
  /** The cluster is as it was before the run, its previous revisions Available. */
  workloadsRestored: boolean;
  timeToSafeSeconds: number;
  tags: TagRevert[];
  restore?: RestoreResult;
  /** Empty when the revert finished; otherwise what a person must still do (exit 3). */
  leftovers: Leftover[];
}

export async function revertDeploy(input: RevertInput): Promise<RevertReport> {
  const { logger } = input;
  const [tags, workloads] = await Promise.all([revertTags(input), restoreWorkloads(input)]);
  const timeToSafeSeconds = Math.round((Date.now() - input.verdictAt) / 100) / 10;
  return {
    tagRestored: tags.every(isRestored),
    workloadsRestored: workloads.leftovers.length === 0,
    timeToSafeSeconds,
    tags,
    ...(workloads.result ? { restore: workloads.result } : {}),
    leftovers: [...tagLeftovers(tags, input.insecure), ...workloads.leftovers],
  };

  async function revertTags(i: RevertInput): Promise<TagRevert[]> {
    const reverts = await revertTargetTags(i.tags, i.registryFor);
    for (const r of reverts) {
      if (isRestored(r)) logger.info(`revert: ${describeTagRevert(r)}`);
      else logger.warn(`revert: ${describeTagRevert(r)}`);
    }
    return reverts;
  }
}

async function restoreWorkloads(input: RevertInput): Promise<{ result?: RestoreResult; leftovers: Leftover[] }> {
  const { snapshot, cluster } = input;
  if (!snapshot) return { leftovers: [] };
  if (!cluster) return { leftovers: unrestoredLeftovers(snapshot, input.previousObjectsFile, input.context, 'no cluster connection') };
  try {
    const result = await restore(cluster, snapshot, {
      logger: input.logger,
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.rules ? { rules: input.rules } : {}),
      ...(input.context !== undefined ? { context: input.context } : {}),
      ...(input.writeDir !== undefined ? { writeDir: input.writeDir } : {}),
    });
    return { result, leftovers: restoreLeftovers(result) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    input.logger.error(`restore: ${why}`);
    return { leftovers: unrestoredLeftovers(snapshot, input.previousObjectsFile, input.context, why) };
  }
}
