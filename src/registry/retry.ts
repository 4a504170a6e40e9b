// When a failed registry request is worth repeating, and how long to wait first. Pure except for `sleep`.

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** First back-off; doubles each attempt, with jitter over its upper half. */
  baseDelayMs: number;
  /** No single wait is longer than this, Retry-After included. */
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 10_000 };

/** 429 and the 5xx a registry or its load balancer answers while it recovers (not 501/505: those stay). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

// Connection-level failures; undici wraps them as TypeError('fetch failed') with the system error as cause.
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** The system error code behind a failed fetch, if any: `ECONNRESET`, `UND_ERR_SOCKET`, ... */
export function connectionErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return undefined;
    const { code, cause, errors, message, name } = e as { code?: unknown; cause?: unknown; errors?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return code;
    if (name === 'TimeoutError') return 'ETIMEDOUT';
    if (message === 'socket hang up' || message === 'other side closed') return 'ECONNRESET';
    // Happy-eyeballs connects fail with one error per address.
    if (Array.isArray(errors)) {
      const inner = errors.map(connectionErrorCode).find(Boolean);
      if (inner) return inner;
    }
    e = cause;
  }
  return undefined;
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Wait after failed attempt `attempt` (counting from 1): the server's Retry-After if given, else an exponential
 * ceiling with jitter over its upper half, so concurrent clients spread out but never retry at once.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (policy.random ?? Math.random)() * (ceiling / 2));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
