// What a deploy ends with, and the same as the result JSON (RunResult). Secret data never gets in here: snapshots
// are not part of the report, the smoke result has been through its Redactor, diffs carry no Secret values.
import type { PackageDiff } from '../image/inventory-diff.ts';
import type { ObjectChange } from '../kube/apply/diff.ts';
import type { RolloutResult } from '../kube/rollout/tracker.ts';
import type { RevertedTag, RunResult } from '../report/result.ts';
import type { SmokeResult } from '../smoke/result.ts';
import type { RevertReport } from './revert.ts';
import type { TagRevert, TargetTag } from './target-tags.ts';

export type DeployStage = 'validate' | 'connect' | 'build' | 'registry' | 'lock' | 'plan' | 'tag' | 'apply' | 'rollout' | 'smoke' | 'cancelled';

/** The commands that end in a deploy: they differ only in where the digests come from. */
export type DeployCommand = 'deploy' | 'promote' | 'rollback' | 'rebuild';

export type DeployOutcome = 'deployed' | 'reverted' | 'revert-failed' | 'failed' | 'unchanged';

export interface ImagePackageDiff {
  image: string;
  /** The digest deployed before, and the rebuild's. */
  from: string;
  to?: string;
  diff: PackageDiff;
}

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
  /** rebuild: what changed in each rebuilt image's packages (an image with no change is not rebuilt). */
  packages?: ImagePackageDiff[];
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
    ...(r.rollout
      ? {
          rollout: {
            ...(failure
              ? {
                  failure: {
                    rule: failure.rule,
                    resource: failure.resource,
                    ...(failure.container !== undefined ? { container: failure.container } : {}),
                    message: failure.message,
                    ...(failure.signalAt !== undefined ? { signalAt: failure.signalAt } : {}),
                    detectedAt: failure.detectedAt,
                  },
                }
              : {}),
            workloads: r.rollout.workloads.map((w) => ({
              resource: `${w.workload.kind} ${w.workload.namespace}/${w.workload.name}`,
              status: w.status,
              seconds: Math.round(w.elapsedMs / 100) / 10,
              ...(w.progress ? { progress: w.progress } : {}),
            })),
          },
        }
      : {}),
    ...(r.packages?.length ? { packageChanges: r.packages.flatMap(packageChanges) } : {}),
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

function packageChanges(p: ImagePackageDiff): NonNullable<RunResult['packageChanges']> {
  return [
    ...p.diff.changed.map((c) => ({ image: p.image, type: c.type, name: c.name, from: c.from, to: c.to })),
    ...p.diff.added.map((a) => ({ image: p.image, type: a.type, name: a.name, to: a.version })),
    ...p.diff.removed.map((d) => ({ image: p.image, type: d.type, name: d.name, from: d.version })),
  ];
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
