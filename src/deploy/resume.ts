// Finishing the revert of a run that was cut off (the action's post step after a cancelled job, or a person with
// the state file): the saved state says which tags the run moved and what the cluster held before it applied.
// Reconnects to the same cluster the run wrote to (the guard checks context and API server), then the same revert.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../config/types.ts';
import { connectCluster, type KubeCluster } from '../kube/client.ts';
import type { Logger } from '../log.ts';
import { formatLeftovers } from './leftovers.ts';
import { insecureRepository, registryLookup } from './registries.ts';
import { revertDeploy, type RevertReport } from './revert.ts';
import { loadSavedDeploy, PREVIOUS_OBJECTS_FILE } from './saved-state.ts';

export interface ResumeInput {
  stateFile: string;
  /** rollgate.yml's `registries:` (endpoints, insecure hosts). */
  registries: Config['registries'];
  kubeconfig?: string;
  kubeconfigContents?: string;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  restoreTimeoutMs?: number;
}

export interface ResumeResult {
  /** nothing: the run had changed nothing that is still ours to put back. */
  outcome: 'nothing' | 'reverted' | 'revert-failed';
  revert?: RevertReport;
  message: string;
}

export async function resumeRevert(input: ResumeInput): Promise<ResumeResult> {
  const { logger } = input;
  const saved = await loadSavedDeploy(input.stateFile);
  const dir = dirname(input.stateFile);
  const tags = saved.tags.filter((t) => t.moved);
  const snapshot = saved.applying ? saved.snapshot : undefined;
  if (!tags.length && !snapshot) {
    await rm(dir, { recursive: true, force: true });
    return { outcome: 'nothing', message: `the deploy to ${saved.environment} was cut off before it changed anything` };
  }
  logger.warn(`the deploy to ${saved.environment} (started ${saved.startedAt}) was cut off after it changed something: putting it back`);
  let cluster: KubeCluster | undefined;
  if (snapshot) {
    try {
      cluster = await connectCluster({
        ...(input.kubeconfig !== undefined ? { kubeconfig: input.kubeconfig } : {}),
        ...(input.kubeconfigContents !== undefined ? { kubeconfigContents: input.kubeconfigContents } : {}),
        environment: { name: saved.environment, kubeContext: saved.context, apiServer: saved.server },
        env: input.env,
        logger,
      });
    } catch (err) {
      logger.error(`cannot reach the cluster the run wrote to: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  try {
    const revert = await revertDeploy({
      tags,
      ...(snapshot ? { snapshot } : {}),
      ...(cluster ? { cluster } : {}),
      context: saved.context,
      registryFor: registryLookup({ registries: input.registries }, input),
      logger,
      ...(input.restoreTimeoutMs !== undefined ? { timeoutMs: input.restoreTimeoutMs } : {}),
      writeDir: dir,
      previousObjectsFile: join(dir, PREVIOUS_OBJECTS_FILE),
      insecure: insecureRepository({ registries: input.registries }),
      verdictAt: Date.now(),
    });
    if (revert.leftovers.length) {
      logger.error(formatLeftovers(revert.leftovers));
      return { outcome: 'revert-failed', revert, message: `the cut-off deploy to ${saved.environment} could not be fully reverted (${revert.leftovers.length} left to do by hand)` };
    }
    await rm(dir, { recursive: true, force: true });
    return { outcome: 'reverted', revert, message: `the cut-off deploy to ${saved.environment} was reverted in ${revert.timeToSafeSeconds} s` };
  } finally {
    await cluster?.close();
  }
}
