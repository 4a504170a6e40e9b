// metav1.Status: how a real API server reports every failure, with the reasons and codes clients branch on.
import { StoreError } from './store.ts';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error answered as a metav1.Status. Log and proxy providers may throw it to choose the answer. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    return failure(this.code, this.reason, this.message, this.details);
  }
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function success(details: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

export const notFoundPath = (): ApiError =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const methodNotAllowed = (): ApiError =>
  new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export function invalid(kind: string, name: string, causes: Array<{ reason: string; message: string; field: string }>, group = ''): ApiError {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const message =
    list.length === 1 ? `${kind} "${name}" is invalid: ${list[0]}` : `${kind} "${name}" is invalid: [${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', message, { name, ...(group ? { group } : {}), kind, causes });
}

/** Any thrown value as the Status a real server would answer. */
export function statusOf(err: unknown): Status {
  if (err instanceof ApiError) return err.toStatus();
  if (err instanceof StoreError) {
    // An etcd compaction surfaces as "Expired" (410) in real servers; StoreError calls it Gone.
    const reason = err.reason === 'Gone' ? 'Expired' : err.reason;
    const details = err.reason === 'Gone' ? undefined : err.details;
    return failure(err.code, reason, err.message, details);
  }
  return failure(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`);
}
