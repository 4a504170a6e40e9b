import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  DEFAULT_RETRY,
  backoffDelay,
  sleep
} from "./chunk-YGQTKYOF.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";

// src/image/push-retry.ts
var TRANSIENT = /\b(?:429|500|502|503|504)\b|too ?many ?requests|service unavailable|bad gateway|gateway time-?out|connection reset|connection refused|broken pipe|i\/o timeout|tls handshake timeout|unexpected EOF/i;
function isTransientPushFailure(err) {
  return TRANSIENT.test(err instanceof Error ? err.message : String(err));
}
async function pushWithRetry(push, options) {
  let policy = options.policy ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++)
    try {
      return await push();
    } catch (err) {
      if (attempt >= policy.attempts || options.signal?.aborted || !isTransientPushFailure(err)) throw err;
      let wait = backoffDelay(policy, attempt);
      options.logger.warn(`image ${options.image}: the push failed for now (${firstLine(err)}); pushing again in ${wait} ms (attempt ${attempt + 1} of ${policy.attempts})`), await (policy.sleep ?? sleep)(wait);
    }
}
function firstLine(err) {
  return (err instanceof Error ? err.message : String(err)).split(`
`, 1)[0];
}

// src/image/build-images.ts
var DigestMismatchError = class extends Error {
  name = "DigestMismatchError";
};
function missingSecrets(images, env) {
  return images.flatMap(
    (image) => image.secrets.filter((name) => env[name] === void 0).map((name) => ({
      field: `images.${image.name}.secrets`,
      message: `build secret ${name} has no value: set the environment variable ${name}`
    }))
  );
}
async function runLimited(items, limit, work, outer) {
  let controller = new AbortController(), onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: !0 });
  let results = new Array(items.length), next = 0, firstError, worker = async () => {
    for (; next < items.length && !controller.signal.aborted; ) {
      let index = next++;
      try {
        results[index] = await work(items[index], controller.signal);
      } catch (error) {
        firstError ??= { error }, controller.abort(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    outer?.removeEventListener("abort", onOuterAbort);
  }
  if (firstError) throw firstError.error;
  if (outer?.aborted) throw outer.reason;
  return results;
}
function tagOf(reference, repository) {
  return reference.slice(repository.length + 1);
}
function confirmDigest(image, pushed, resolved) {
  let missing = image.tags.filter((ref) => resolved.get(ref) === void 0);
  if (missing.length > 0)
    throw new DigestMismatchError(`image ${image.name}: pushed, but the registry does not have ${missing.join(", ")}`);
  let digests = new Set(image.tags.map((ref) => resolved.get(ref)));
  if (digests.size > 1) {
    let listing = image.tags.map((ref) => `${tagOf(ref, image.repository)} -> ${resolved.get(ref)}`).join(", ");
    throw new DigestMismatchError(`image ${image.name}: its tags resolve to different digests (${listing}); did another push race this one?`);
  }
  let digest = [...digests][0];
  for (let p of pushed)
    if (p.digest && p.digest !== digest)
      throw new DigestMismatchError(`image ${image.name}: the push of ${p.reference} reported ${p.digest}, but the registry serves ${digest}`);
  return digest;
}
async function buildImages(images, options) {
  let { builder, logger } = options, problems = missingSecrets(images, options.env);
  if (problems.length > 0) throw new InputError(problems);
  logger.info(`building ${images.map((i) => i.name).join(", ")} with ${builder.description}`), await runLimited(images, builder.concurrency, (image, signal) => builder.build(image, signal), options.signal);
  let pushed = await runLimited(images, builder.concurrency, (image, signal) => pushWithRetry(() => builder.push(image, signal), { image: image.name, logger, signal }), options.signal);
  return Promise.all(
    images.map(async (image, i) => {
      let registry = await options.registryFor(image.repository), resolved = /* @__PURE__ */ new Map();
      for (let ref of image.tags) resolved.set(ref, (await registry.resolve(image.repository, tagOf(ref, image.repository)))?.digest);
      let digest = confirmDigest(image, pushed[i], resolved), tags = image.tags.map((ref) => tagOf(ref, image.repository));
      return logger.info(`${image.name}: ${image.repository}@${digest} (${tags.join(", ")})`), { name: image.name, repository: image.repository, digest, tags };
    })
  );
}
function formatBuildSummary(built) {
  let width = Math.max(...built.map((b) => b.name.length), 0);
  return built.map((b) => `${b.name.padEnd(width)}  ${b.repository}@${b.digest}  tags: ${b.tags.join(", ")}`).join(`
`);
}

export {
  DigestMismatchError,
  missingSecrets,
  runLimited,
  confirmDigest,
  buildImages,
  formatBuildSummary
};
