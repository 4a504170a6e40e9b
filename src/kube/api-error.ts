// The API server's refusals as one readable line: what we were doing, to which object, and the metav1.Status
// message the server gave (a field manager conflict, a validation error, RBAC).

export class KubeApiError extends Error {
  override name = 'KubeApiError';
  /** The HTTP status (0: no answer). */
  readonly status: number;
  /** metav1.Status reason: `Conflict`, `Invalid`, `Forbidden`, `NotFound`, ... */
  readonly reason: string;
  /** The fields the Status names (`details.causes[].field`), in the server's notation: `spec.selector`. */
  readonly fields: string[];
  constructor(message: string, status: number, reason: string, fields: string[] = []) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.fields = fields;
  }
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: unknown }[] };
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
  const fields = [...new Set((parsed?.details?.causes ?? []).map((c) => c.field).filter((f): f is string => typeof f === 'string' && f !== ''))];
  return new KubeApiError(`${action}: ${reason} (${status})${text ? `: ${text}` : ''}${hint}`, status, reason, fields);
}

function reasonOf(status: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
    409: 'Conflict', 410: 'Expired', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests',
    500: 'InternalError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'Timeout',
  };
  return reasons[status] ?? 'Unknown';
}
