import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  PREVIOUS_OBJECTS_FILE,
  loadSavedDeploy,
  revertDeploy
} from "./chunk-JM7NQNO2.js";
import {
  formatLeftovers
} from "./chunk-BT5J6BEI.js";
import {
  connectCluster
} from "./chunk-GRWIMLBM.js";
import "./chunk-TVX7SFGC.js";
import {
  insecureRepository,
  registryLookup
} from "./chunk-E6PAOL2G.js";
import "./chunk-QWDPOG5O.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-RPF3FRJ4.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-ZT2TC3RN.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/deploy/resume.ts
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
async function resumeRevert(input) {
  let { logger } = input, saved = await loadSavedDeploy(input.stateFile), dir = dirname(input.stateFile), tags = saved.tags.filter((t) => t.moved), snapshot = saved.applying ? saved.snapshot : void 0;
  if (!tags.length && !snapshot)
    return await rm(dir, { recursive: !0, force: !0 }), { outcome: "nothing", message: `the deploy to ${saved.environment} was cut off before it changed anything` };
  logger.warn(`the deploy to ${saved.environment} (started ${saved.startedAt}) was cut off after it changed something: putting it back`);
  let cluster;
  if (snapshot)
    try {
      cluster = await connectCluster({
        ...input.kubeconfig !== void 0 ? { kubeconfig: input.kubeconfig } : {},
        ...input.kubeconfigContents !== void 0 ? { kubeconfigContents: input.kubeconfigContents } : {},
        environment: { name: saved.environment, kubeContext: saved.context, apiServer: saved.server },
        env: input.env,
        logger
      });
    } catch (err) {
      logger.error(`cannot reach the cluster the run wrote to: ${err instanceof Error ? err.message : String(err)}`);
    }
  try {
    let revert = await revertDeploy({
      tags,
      ...snapshot ? { snapshot } : {},
      ...cluster ? { cluster } : {},
      context: saved.context,
      registryFor: registryLookup({ registries: input.registries }, input),
      logger,
      ...input.restoreTimeoutMs !== void 0 ? { timeoutMs: input.restoreTimeoutMs } : {},
      writeDir: dir,
      previousObjectsFile: join(dir, PREVIOUS_OBJECTS_FILE),
      insecure: insecureRepository({ registries: input.registries }),
      verdictAt: Date.now()
    });
    return revert.leftovers.length ? (logger.error(formatLeftovers(revert.leftovers)), { outcome: "revert-failed", revert, message: `the cut-off deploy to ${saved.environment} could not be fully reverted (${revert.leftovers.length} left to do by hand)` }) : (await rm(dir, { recursive: !0, force: !0 }), { outcome: "reverted", revert, message: `the cut-off deploy to ${saved.environment} was reverted in ${revert.timeToSafeSeconds} s` });
  } finally {
    await cluster?.close();
  }
}
export {
  resumeRevert
};
