// Putting the cluster back as it was before a failed run: re-apply the snapshots the apply stage took (previous pod
// templates, previous ConfigMap data), delete what the run created (never PVCs, Namespaces, Secrets), then track
// the previous revision back to Available with the same tracker and a short deadline. Every step that fails is
// reported with the object, the API's message and the kubectl commands that finish it (the caller exits 3).
// The approach to fields the failed run added is explained in restore-plan.ts.

import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describeRef, type Cluster, type KubeObject, type ObjectRef } from './cluster.ts';
import type { Logger } from '../log.ts';
import { trackRollout, type RolloutResult } from './rollout/tracker.ts';
import type { RuleOptions } from './rollout/windows.ts';
import {
  extraKeys,
  finishCommands,
  kubectlName,
  planRestore,
  restorableContent,
  RESTORED_WORKLOAD_KINDS,
  type RestoreStage,
} from './restore-plan.ts';
import type { Snapshot } from './apply/snapshot.ts';

export const FIELD_MANAGER = 'rollgate';

/** How long the previous revision gets to be Available again. */
export const DEFAULT_RESTORE_TIMEOUT_MS = 120_000;

export interface RestoreOptions {
  /** Deadline for the previous revision to be Available again. */
  timeoutMs?: number;
  rules?: Partial<RuleOptions>;
  logger?: Logger;
  /** The kubeconfig context, named in the kubectl commands of a failed step. */
  context?: string;
  /** Where the bodies of objects that could not be restored are written (mode 0600), for the kubectl commands. */
  writeDir?: string;
}

export interface RestoreProblem {
  ref: ObjectRef;
  stage: RestoreStage;
  /** The API's message (or the tracker's diagnosis for a rollout that did not come back). */
  message: string;
  /** What a person runs to finish this step. */
  commands: string[];
}

export interface RestoreResult {
  /** Everything restored and the previous revisions Available. */
  ok: boolean;
  /** Objects put back to their state before the run. */
  restored: ObjectRef[];
  /** Objects the run created, now deleted. */
  deleted: ObjectRef[];
  /** Objects with a snapshot equal to what is live: nothing to do. */
  unchanged: ObjectRef[];
  /** Objects the run created that stay, and why. */
  left: { ref: ObjectRef; reason: string }[];
  problems: RestoreProblem[];
  /** The restored workloads tracked back to Available. */
  rollout?: RolloutResult;
  elapsedMs: number;
}

/** Puts back what `snapshot` recorded (the apply stage's, taken before its first write). */
export async function restore(cluster: Cluster, snapshot: Snapshot, options: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const log = options.logger;
  const result: RestoreResult = { ok: false, restored: [], deleted: [], unchanged: [], left: [], problems: [], elapsedMs: 0 };
  const problem = (stage: RestoreStage, ref: ObjectRef, err: unknown, body?: KubeObject) => {
    const message = err instanceof Error ? err.message : String(err);
    const file = body && ref.kind !== 'Secret' ? writeBody(options.writeDir, ref, body) : undefined;
    result.problems.push({ ref, stage, message, commands: finishCommands(stage, ref, options.context, file) });
    log?.error(`restore: ${describeRef(ref)}: ${message}`);
  };
  const steps = planRestore(snapshot.entries);
  const since = Date.now();

  // Config first, then workloads: each group concurrently, as the apply did.
  const applies = steps.filter((s) => s.action === 'apply');
  for (const group of [applies.filter((s) => !RESTORED_WORKLOAD_KINDS.includes(s.ref.kind)), applies.filter((s) => RESTORED_WORKLOAD_KINDS.includes(s.ref.kind))]) {
    await Promise.all(
      group.map(async (step) => {
        try {
          const outcome = await restoreOne(cluster, step.ref, step.body);
          (outcome === 'unchanged' ? result.unchanged : result.restored).push(step.ref);
          if (outcome === 'restored') log?.info(`restore: ${describeRef(step.ref)} put back`);
        } catch (err) {
          problem('apply', step.ref, err, step.body);
        }
      }),
    );
  }
  for (const step of steps) {
    if (step.action === 'leave') {
      result.left.push({ ref: step.ref, reason: step.reason });
      log?.info(`restore: ${describeRef(step.ref)} left in place: ${step.reason}`);
    } else if (step.action === 'delete') {
      try {
        await cluster.delete(step.ref, { propagationPolicy: 'Background' });
        result.deleted.push(step.ref);
        log?.info(`restore: ${describeRef(step.ref)} deleted (created by this run)`);
      } catch (err) {
        problem('delete', step.ref, err);
      }
    }
  }

  const workloads = result.restored.filter((r) => RESTORED_WORKLOAD_KINDS.includes(r.kind));
  if (workloads.length) {
    let rollout: RolloutResult;
    try {
      rollout = await trackRollout(cluster, workloads, {
        timeoutMs: options.timeoutMs ?? DEFAULT_RESTORE_TIMEOUT_MS,
        since,
        progressPrefix: 'restore: ',
        ...(options.rules ? { rules: options.rules } : {}),
        ...(log ? { logger: log } : {}),
      });
    } catch (err) {
      // The objects are back; only whether they became Available is unknown: that is what is left to check.
      const message = `put back, but its rollout could not be watched: ${err instanceof Error ? err.message : String(err)}`;
      for (const ref of workloads) {
        result.problems.push({ ref, stage: 'rollout', message, commands: finishCommands('rollout', ref, options.context) });
        log?.error(`restore: ${describeRef(ref)} ${message}`);
      }
      result.elapsedMs = Date.now() - started;
      return result;
    }
    result.rollout = rollout;
    for (const w of rollout.workloads.filter((x) => x.status !== 'done')) {
      const ref = workloads.find((r) => r.kind === w.workload.kind && r.name === w.workload.name && r.namespace === w.workload.namespace)!;
      const message = w.diagnosis ?? w.verdict.message;
      result.problems.push({ ref, stage: 'rollout', message, commands: finishCommands('rollout', ref, options.context) });
      log?.error(`restore: ${describeRef(ref)} is not Available again:\n${message}`);
    }
  }
  result.ok = result.problems.length === 0;
  result.elapsedMs = Date.now() - started;
  return result;
}

/** Re-applies one snapshot unless the live object already matches it; ConfigMap/Secret keys are then checked. */
async function restoreOne(cluster: Cluster, ref: ObjectRef, body: KubeObject): Promise<'restored' | 'unchanged'> {
  const live = await cluster.get(ref);
  if (live && isDeepStrictEqual(restorableContent(live), restorableContent(body))) return 'unchanged';
  const applied = await cluster.apply(body, { fieldManager: FIELD_MANAGER, force: true });
  if ((ref.kind === 'ConfigMap' || ref.kind === 'Secret') && extraKeys(applied, body).length) {
    // Another manager still owns a key the run added: server-side apply leaves it, a guarded replace does not.
    const replacement: KubeObject = { ...applied };
    for (const field of ['data', 'binaryData']) {
      if (body[field] === undefined) delete replacement[field];
      else replacement[field] = body[field];
    }
    await cluster.replace(replacement);
  }
  return 'restored';
}

function writeBody(dir: string | undefined, ref: ObjectRef, body: KubeObject): string | undefined {
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${ref.namespace ? `${ref.namespace}-` : ''}${kubectlName(ref).replace(/[/.]/g, '-')}.yaml`);
  writeFileSync(file, stringify(body), { mode: 0o600 });
  return file;
}
