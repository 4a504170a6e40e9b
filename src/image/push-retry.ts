// A push the registry refused for a moment (503, 429, a reset connection) is pushed again. docker and buildah retry
// a layer upload themselves but not the manifest PUT, so one 503 there failed the whole deploy. Pushing again is
// safe: layers already there are skipped and the manifest PUT is idempotent.
import type { Logger } from '../log.ts';
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryPolicy } from '../registry/retry.ts';

// What docker, buildx and buildah print when the registry or the way to it failed for now, not for good.
const TRANSIENT =
  /\b(?:429|500|502|503|504)\b|too ?many ?requests|service unavailable|bad gateway|gateway time-?out|connection reset|connection refused|broken pipe|i\/o timeout|tls handshake timeout|unexpected EOF/i;

/** Whether a failed push is worth repeating: the tool's output names a transient registry or network failure. */
export function isTransientPushFailure(err: unknown): boolean {
  // The builders' errors carry the last lines of the tool's output in their message.
  return TRANSIENT.test(err instanceof Error ? err.message : String(err));
}

export interface PushRetryOptions {
  /** The image, for the log line. */
  image: string;
  logger: Logger;
  signal?: AbortSignal;
  policy?: RetryPolicy;
}

/** Runs `push`, again after a back-off while it fails transiently, up to the policy's attempts. */
export async function pushWithRetry<T>(push: () => Promise<T>, options: PushRetryOptions): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await push();
    } catch (err) {
      if (attempt >= policy.attempts || options.signal?.aborted || !isTransientPushFailure(err)) throw err;
      const wait = backoffDelay(policy, attempt);
      options.logger.warn(`image ${options.image}: the push failed for now (${firstLine(err)}); pushing again in ${wait} ms (attempt ${attempt + 1} of ${policy.attempts})`);
      await (policy.sleep ?? sleep)(wait);
    }
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n', 1)[0]!;
}
