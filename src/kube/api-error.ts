// The API server's refusals as one readable line: what we were doing, to which object, and the metav1.Status
// message the server gave (a field manager conflict, a validation error, RBAC).

export class KubeApiError extends Error {
  override name = 'KubeApiError';
  /** The HTTP status (0: no answer). */
  readonly status: number;
  /** metav1.Status reason: `Conflict`, `Invalid`, `Forbidden`, `NotFound`, ... */
  readonly reason: string;
  constructor(message: string, status: number, reason: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/**
 * `apply Deployment demo/web: Conflict (409): Apply failed with 1 conflict: conflict with "kubectl" ...`.
 * A body that is not a Status (a proxy's HTML page) is cut to its first line.
 */
export function apiErrorOf(action: string, status: number, body: string): KubeApiError {
  let parsed: Status | undefined;
  try {
    const value = JSON.parse(body) as unknown;
    if (value && typeof value === 'object' && (value as Status).kind === 'Status') parsed = value as Status;
  } catch {
    // not JSON
  }
  const reason = parsed?.reason || reasonOf(status);
  const text = (parsed?.message ?? body.split('\n').find((l) => l.trim()) ?? '').replace(/\s*\n\s*/g, '; ').trim().slice(0, 1000);
  const hint = status === 409 && /^apply /.test(action) && /conflict/i.test(text) ? ' (another field manager owns these fields; forcing conflicts takes them over)' : '';
  return new KubeApiError(`${action}: ${reason} (${status})${text ? `: ${text}` : ''}${hint}`, status, reason);
}

function reasonOf(status: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
    409: 'Conflict', 410: 'Expired', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests',
    500: 'InternalError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'Timeout',
  };
  return reasons[status] ?? 'Unknown';
}
