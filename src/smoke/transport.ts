// The seam between the smoke runner and the network: send one request to a path of the target, get the answer
// back as the target gave it. A URL target is plain fetch; a Service goes through the API server's service proxy
// (service-proxy.ts). Redirects are never followed: a login answering 302 is the answer under test.

/** fetch, or one that adds credentials (a kubeconfig's token, client certificate, CA) before sending. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SmokeRequest {
  method: string;
  /** Absolute path on the target, with the query string. */
  path: string;
  headers: Headers;
  body?: string | Uint8Array;
  signal: AbortSignal;
}

export interface SmokeTransport {
  /** The target as a person reads it in a log. */
  readonly description: string;
  /** The URL a command step's program reaches the target at directly; absent when it needs the runner's forwarder. */
  readonly directUrl?: string;
  send(request: SmokeRequest): Promise<Response>;
  /** A note on an answer that came from the path to the target rather than the target itself. */
  explain?(status: number, body: string): string | undefined;
}

/** A request this transport cannot carry as written; a mistake in the spec, not a glitch. */
export class UnsendableRequest extends Error {
  override name = 'UnsendableRequest';
}

/** Requests to `url` + path, with the platform's TLS verification. */
export function urlTransport(url: string, fetchImpl: FetchLike = fetch): SmokeTransport {
  const base = url.replace(/\/+$/, '');
  return {
    description: base,
    directUrl: base,
    send: (r) => fetchImpl(base + r.path, init(r)),
  };
}

export function init(r: SmokeRequest): RequestInit {
  return {
    method: r.method,
    headers: r.headers,
    ...(r.body !== undefined ? { body: r.body } : {}),
    signal: r.signal,
    redirect: 'manual',
  };
}
