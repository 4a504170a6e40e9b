import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import "./chunk-K5Q2ZJ2S.js";

// src/deploy/report.ts
function deployRunResult(r) {
  let failure = r.rollout?.failure;
  return {
    command: r.command,
    outcome: r.outcome,
    environment: r.environment,
    version: r.version,
    images: r.images.map((image) => {
      let target = r.targetTags.find((t) => t.image === image.name);
      return {
        ...image,
        ...target ? { targetTag: target.tag } : {},
        ...target?.previousDigest ? { previousDigest: target.previousDigest } : {}
      };
    }),
    ...r.rollout ? {
      rollout: {
        ...failure ? {
          failure: {
            rule: failure.rule,
            resource: failure.resource,
            ...failure.container !== void 0 ? { container: failure.container } : {},
            message: failure.message,
            ...failure.signalAt !== void 0 ? { signalAt: failure.signalAt } : {},
            detectedAt: failure.detectedAt
          }
        } : {},
        workloads: r.rollout.workloads.map((w) => ({
          resource: `${w.workload.kind} ${w.workload.namespace}/${w.workload.name}`,
          status: w.status,
          seconds: Math.round(w.elapsedMs / 100) / 10,
          ...w.progress ? { progress: w.progress } : {}
        }))
      }
    } : {},
    ...r.packages?.length ? { packageChanges: r.packages.flatMap(packageChanges) } : {},
    ...r.smoke ? { smoke: { passed: r.smoke.passed, requests: r.smoke.requests, failures: r.smoke.failures, p95Ms: r.smoke.p95Ms, message: r.smoke.message } } : {},
    ...r.revert ? {
      revert: {
        tagRestored: r.revert.tagRestored,
        workloadsRestored: r.revert.workloadsRestored,
        timeToSafeSeconds: r.revert.timeToSafeSeconds,
        tags: r.revert.tags.map(revertedTag),
        ...r.revert.leftovers.length ? { left: r.revert.leftovers } : {}
      }
    } : {},
    ...r.failedStage ? { failedStage: r.failedStage } : {},
    timings: r.timings,
    message: r.message
  };
}
function packageChanges(p) {
  return [
    ...p.diff.changed.map((c) => ({ image: p.image, type: c.type, name: c.name, from: c.from, to: c.to })),
    ...p.diff.added.map((a) => ({ image: p.image, type: a.type, name: a.name, to: a.version })),
    ...p.diff.removed.map((d) => ({ image: p.image, type: d.type, name: d.name, from: d.version }))
  ];
}
function revertedTag(t) {
  let base = { image: t.image, reference: `${t.repository}:${t.tag}`, status: t.result.status };
  switch (t.result.status) {
    case "restored":
      return { ...base, digest: t.result.digest };
    case "moved-by-someone-else":
      return { ...base, ...t.result.current ? { digest: t.result.current } : {}, message: "moved by someone else since this run set it; left alone" };
    case "not-removed":
      return { ...base, digest: t.result.current, message: t.result.reason };
    case "failed":
      return { ...base, message: t.result.message };
    case "deleted":
      return base;
  }
}
export {
  deployRunResult
};
