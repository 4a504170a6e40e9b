// What a deploy ends with, and the same as the result JSON (RunResult). Secret data never gets in here: snapshots
// are not part of the report, the smoke result has been through its Redactor, diffs carry no Secret values.
import type { ObjectChange } from '../kube/apply/diff.ts';
import type { RolloutResult } from '../kube/rollout/tracker.ts';
import type { RevertedTag, RunResult } from '../report/result.ts';
import type { SmokeResult } from '../smoke/result.ts';
import type { RevertReport } from './revert.ts';
import type { TagRevert, TargetTag } from './target-tags.ts';

export type DeployStage = 'validate' | 'connect' | 'build' | 'registry' | 'lock' | 'plan' | 'tag' | 'apply' | 'rollout' | 'smoke' | 'cancelled';

/** The commands that end in a deploy: they differ only in where the digests come from. */
export type DeployCommand = 'deploy' | 'promote' | 'rollback';

export type DeployOutcome = 'deployed' | 'reverted' | 'revert-failed' | 'failed';

export interface DeployedImage {
  name: string;
  repository: string;
  digest: string;
  /** Version tags. */
  tags: string[];
}

export interface DeployReport {
  command: DeployCommand;
  outcome: DeployOutcome;
  environment: string;
  version: string;
  images: DeployedImage[];
  targetTags: TargetTag[];
  failedStage?: DeployStage;
  /** One line: what failed. */
  failure?: string;
  changes?: ObjectChange[];
  rollout?: RolloutResult;
  smoke?: SmokeResult;
  revert?: RevertReport;
  /** Seconds per stage, and in all. */
  timings: Record<string, number>;
  message: string;
}

export function deployRunResult(r: DeployReport): RunResult {
  const failure = r.rollout?.failure;
  return {
    command: r.command,
    outcome: r.outcome,
    environment: r.environment,
    version: r.version,
    images: r.images.map((image) => {
      const target = r.targetTags.find((t) => t.image === image.name);
      return {
        ...image,
        ...(target ? { targetTag: target.tag } : {}),
        ...(target?.previousDigest ? { previousDigest: target.previousDigest } : {}),
      };
    }),
    ...(failure
      ? {
          rollout: {
            failure: {
              rule: failure.rule,
              resource: failure.resource,
              ...(failure.container !== undefined ? { container: failure.container } : {}),
              message: failure.message,
              ...(failure.signalAt !== undefined ? { signalAt: failure.signalAt } : {}),
              detectedAt: failure.detectedAt,
            },
          },
        }
      : {}),
    ...(r.smoke ? { smoke: { passed: r.smoke.passed, requests: r.smoke.requests, failures: r.smoke.failures, p95Ms: r.smoke.p95Ms, message: r.smoke.message } } : {}),
    ...(r.revert
      ? {
          revert: {
            tagRestored: r.revert.tagRestored,
            workloadsRestored: r.revert.workloadsRestored,
            timeToSafeSeconds: r.revert.timeToSafeSeconds,
            tags: r.revert.tags.map(revertedTag),
            ...(r.revert.leftovers.length ? { left: r.revert.leftovers } : {}),
          },
        }
      : {}),
    ...(r.failedStage ? { failedStage: r.failedStage } : {}),
    timings: r.timings,
    message: r.message,
  };
}

function revertedTag(t: TagRevert): RevertedTag {
  const base = { image: t.image, reference: `${t.repository}:${t.tag}`, status: t.result.status };
  switch (t.result.status) {
    case 'restored':
      return { ...base, digest: t.result.digest };
    case 'moved-by-someone-else':
      return { ...base, ...(t.result.current ? { digest: t.result.current } : {}), message: 'moved by someone else since this run set it; left alone' };
    case 'not-removed':
      return { ...base, digest: t.result.current, message: t.result.reason };
    case 'failed':
      return { ...base, message: t.result.message };
    case 'deleted':
      return base;
  }
}
