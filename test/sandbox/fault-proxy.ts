// A reverse proxy on a free loopback port in front of any HTTP service (the registry, the Kubernetes API
// emulator) that can fail on purpose: answer a status for the next K requests, or drop their connections. It
// counts what passes, so a test can say how many requests, and how many writes, an operation took.
import { request as httpRequest, createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Match {
  /** `PUT`, or a pattern over the method. */
  method?: string | RegExp;
  /** Pattern over the request path with its query, e.g. /\/manifests\//. */
  path?: RegExp;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The status the client got, `dropped` when its connection was destroyed, `error` when upstream failed. */
  outcome: number | 'dropped' | 'error';
}

export interface FaultProxyOptions {
  /** Serve TLS with this key and certificate (PEM), e.g. to stand for a registry with a self-signed certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface FaultProxy {
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>` */
  host: string;
  /** Answer `status` without forwarding, for the next `times` requests that match (headers such as Retry-After). */
  failNext(times: number, status: number, options?: Match & { headers?: Record<string, string> }): void;
  /** Destroy the connection of the next `times` matching requests without answering. */
  dropNext(times: number, match?: Match): void;
  /** Every request seen since the start or the last reset, in order. */
  readonly requests: readonly RecordedRequest[];
  count(match?: Match): number;
  /** Requests that change something upstream: anything but GET, HEAD and OPTIONS. */
  writes(): RecordedRequest[];
  /** Forgets counted requests and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

interface Fault extends Match {
  remaining: number;
  action: { kind: 'status'; status: number; headers: Record<string, string> } | { kind: 'drop' };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

export function matches(match: Match, method: string, path: string): boolean {
  const byMethod =
    match.method === undefined ||
    (typeof match.method === 'string' ? match.method.toUpperCase() === method : match.method.test(method));
  return byMethod && (match.path === undefined || match.path.test(path));
}

export async function startFaultProxy(upstream: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let faults: Fault[] = [];
  let requests: RecordedRequest[] = [];
  let origin = '';

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record: RecordedRequest = { method, path, outcome: 'error' };
    requests.push(record);
    const fault = faults.find((f) => f.remaining > 0 && matches(f, method, path));
    if (fault) fault.remaining--;
    if (fault?.action.kind === 'drop') {
      record.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (fault?.action.kind === 'status') {
      const { status, headers } = fault.action;
      record.outcome = status;
      // Read the upload first so the client sees the answer, not a reset connection.
      req.resume();
      req.on('end', () => {
        const body = JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: `fault proxy answered ${status}` }] });
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
        res.end(body);
      });
      return;
    }
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    for (const name of HOP_BY_HOP) delete headers[name];
    const upstreamReq = send(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method, path, headers, rejectUnauthorized: false },
      (upstreamRes) => {
        const responseHeaders: Record<string, string | string[] | undefined> = { ...upstreamRes.headers };
        for (const name of HOP_BY_HOP) delete responseHeaders[name];
        const location = upstreamRes.headers.location;
        if (location) responseHeaders.location = rewriteLocation(location, target, origin);
        record.outcome = upstreamRes.statusCode ?? 0;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, responseHeaders);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstreamReq);
  };

  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle) : createHttpServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const add = (times: number, match: Match, action: Fault['action']): void => {
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault proxy: times must be a positive integer, got ${times}`);
    faults.push({ method: match.method, path: match.path, remaining: times, action });
  };

  return {
    url: origin,
    host: `127.0.0.1:${port}`,
    failNext: (times, status, { headers = {}, ...match } = {}) => add(times, match, { kind: 'status', status, headers }),
    dropNext: (times, match = {}) => add(times, match, { kind: 'drop' }),
    get requests() {
      return requests;
    },
    count: (match = {}) => requests.filter((r) => matches(match, r.method, r.path)).length,
    writes: () => requests.filter((r) => !READS.has(r.method)),
    reset: () => {
      faults = [];
      requests = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Upstream's own absolute URLs (upload locations) point back through the proxy. */
function rewriteLocation(location: string, upstream: URL, proxyOrigin: string): string {
  if (!/^https?:\/\//i.test(location)) return location;
  const url = new URL(location);
  return url.host === upstream.host ? `${proxyOrigin}${url.pathname}${url.search}` : location;
}
