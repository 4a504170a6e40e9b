/**
 * The Kubernetes API emulator's HTTPS server on 127.0.0.1 (self-signed, in the kubeconfig): what kubectl and
 * @kubernetes/client-node talk to.
 *
 *   const api = await startApiServer({ dir });      // writes dir/kubeconfig (cluster/context/user `sandbox`)
 *   api.url, api.kubeconfigPath, api.token
 *   api.store                                      the ObjectStore (store.ts) controllers and the kubelet share
 *   api.faults                                     fault rules, request counts, watch cutting (faults.ts)
 *   api.setLogProvider(fn)                         bytes of GET .../pods/P/log (the kubelet provides them)
 *   api.setServiceProxy(fn), api.setPodProxy(fn)   .../services/S:P/proxy/... and .../pods/P:P/proxy/...
 *   await api.stop()
 *
 * Until a provider is set, logs answer 503 and the service proxy 503 "no endpoints available", as a real
 * server without a reachable kubelet or endpoints does. HTTP admin routes for tests, outside the Kubernetes API
 * and without authentication: GET/POST/DELETE /_sandbox/faults (rules), POST /_sandbox/faults/drop-watches
 * (?path=&abrupt=false), GET/DELETE /_sandbox/requests (the request log and write count).
 *
 * Known differences from a real API server: request bodies are JSON or YAML, protobuf only for the kinds
 * `kubectl create namespace|configmap|secret|serviceaccount` send (protobuf.ts); answers are always JSON. A watch
 * with a label selector does not turn an object that stops matching into DELETED. Deletion is immediate unless
 * the object has finalizers (no grace period; a Namespace has no Terminating phase). Lists with `continue` page
 * over the current data, not a snapshot; `resourceVersionMatch` is ignored. Services get no clusterIP. The
 * OpenAPI documents carry operations but no schemas (`kubectl explain` shows no fields). Field ownership is an
 * approximation (apply.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import { stringify as toYaml } from 'yaml';
import { Admission } from './controllers-admission.ts';
import { ObjectStore } from './store.ts';
import { RESOURCES, typeName, type ResourceInfo } from './resources.ts';
import { ApiError, failure, notFoundPath, statusOf } from './status.ts';
import { Faults, reasonForCode, type FaultRule } from './faults.ts';
import { ResourceApi, type ResourceRoute } from './resource-api.ts';
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  wantsAggregated,
} from './discovery.ts';
import { openApiV3Document, openApiV3Index } from './openapi.ts';
import { flag, readBody, sendError, sendJson, sendStatus } from './http.ts';
import { startGarbageCollector } from './garbage-collector.ts';
import { startNamespaceController } from './namespace-controller.ts';
import { selfSignedCert } from './tls-cert.ts';

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  /** Aborted when the client goes away (ends a follow). */
  signal: AbortSignal;
}

/**
 * Produces the log bytes of one container. Throw an ApiError (status.ts) for the kubelet's refusals, e.g.
 * `new ApiError(400, 'BadRequest', 'container "web" in pod "p" is waiting to start: ContainerCreating')`.
 */
export type LogProvider = (req: LogRequest) => Promise<string | Buffer | Readable | AsyncIterable<Buffer | string>> | string | Buffer | Readable | AsyncIterable<Buffer | string>;

export interface ProxyTarget {
  namespace: string;
  /** Service or pod name. */
  name: string;
  /** 'http' unless the path said `https:name:port`. */
  scheme: string;
  /** The port as written in the path: a number, a port name, or '' when absent. */
  port: string;
  /** The path after /proxy, starting with '/', with the query string (as the client sent them). */
  path: string;
}

/** Answers a proxied request itself (method, headers and body are on `req`, untouched). */
export type ProxyHandler = (target: ProxyTarget, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ApiServerOptions {
  /** Folder for the kubeconfig. */
  dir: string;
  port?: number;
  /** Where to write the kubeconfig; default `<dir>/kubeconfig`. */
  kubeconfigPath?: string;
  token?: string;
  store?: ObjectStore;
  /** Interval of BOOKMARK events on watches that allow them; a real server sends one about every minute. */
  bookmarkIntervalMs?: number;
  /** Admission hooks for the API's writes; a new, empty set by default. */
  admission?: Admission;
}

export interface ApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  token: string;
  /** PEM of the server's self-signed certificate (also in the kubeconfig as certificate-authority-data). */
  ca: string;
  store: ObjectStore;
  faults: Faults;
  /** Hooks that refuse the API's creates and updates (403), as quota and webhooks do. */
  admission: Admission;
  setLogProvider(provider: LogProvider | undefined): void;
  setServiceProxy(handler: ProxyHandler | undefined): void;
  setPodProxy(handler: ProxyHandler | undefined): void;
  stop(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const store = options.store ?? new ObjectStore();
  const faults = new Faults();
  const token = options.token ?? randomBytes(24).toString('hex');
  const admission = options.admission ?? new Admission();
  const resources = new ResourceApi({ store, faults, admission, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000 });
  const stopControllers = [startNamespaceController(store), startGarbageCollector(store)];
  let logProvider: LogProvider | undefined;
  let serviceProxy: ProxyHandler | undefined;
  let podProxy: ProxyHandler | undefined;
  let address = '';

  const faulted = new WeakSet<ServerResponse>();

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path.startsWith('/_sandbox/')) return admin(req, res, url, faults);
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendStatus(res, failure(401, 'Unauthorized', 'Unauthorized'));
    }
    const watch = flag(url.searchParams, 'watch') || path.includes('/watch/');
    const fault = faults.take(method, path, watch);
    if (fault) faulted.add(res);
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      const retry = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
      const reason = reasonForCode(fault.status);
      const message = fault.message ?? (fault.status === 429 ? 'Too many requests, please try again later.' : `sandbox fault: ${reason}`);
      return sendStatus(
        res,
        failure(fault.status, reason, message, retry === undefined ? {} : { retryAfterSeconds: retry }),
        retry === undefined ? {} : { 'Retry-After': String(retry) },
      );
    }
    if (method === 'GET') {
      if (path === '/version' || path === '/version/') return sendJson(res, 200, versionInfo());
      if (['/healthz', '/livez', '/readyz'].includes(path)) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end('ok');
      }
      if (path === '/api' || path === '/api/') {
        if (wantsAggregated(req.headers.accept)) return sendJson(res, 200, aggregatedDiscovery(true), AGGREGATED_V2);
        return sendJson(res, 200, apiVersions(address));
      }
      if (path === '/apis' || path === '/apis/') {
        if (wantsAggregated(req.headers.accept)) return sendJson(res, 200, aggregatedDiscovery(false), AGGREGATED_V2);
        return sendJson(res, 200, apiGroupList());
      }
      if (path === '/openapi/v3' || path === '/openapi/v3/') return sendJson(res, 200, openApiV3Index());
      if (path.startsWith('/openapi/v3/')) {
        const doc = openApiV3Document(path.slice('/openapi/v3/'.length));
        if (doc) return sendJson(res, 200, doc);
        throw notFoundPath();
      }
    }
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      [group, version, rest] = ['', parts[1]!, parts.slice(2)];
    } else if (parts[0] === 'apis' && parts.length >= 2) {
      if (parts.length === 2) {
        const doc = apiGroupDoc(parts[1]!);
        if (doc && method === 'GET') return sendJson(res, 200, doc);
        throw notFoundPath();
      }
      [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
    } else throw notFoundPath();
    if (!rest.length) {
      const list = apiResourceList(group, version);
      if (list && method === 'GET') return sendJson(res, 200, list);
      throw notFoundPath();
    }
    const r = parseResourcePath(group, version, rest);
    if (!r) throw notFoundPath();
    if (r.route.subresource === 'log' && r.route.type === 'pods') return podLog(r.route, req, res, url);
    if (r.route.subresource === 'proxy' && (r.route.type === 'services' || r.route.type === 'pods')) {
      return proxy(r.route, req, res, path);
    }
    return resources.handle(r.route, req, res, url, fault?.afterEvents);
  };

  const podLog = async (r: ResourceRoute, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const q = url.searchParams;
    const pod = store.mustGet('pods', r.namespace, r.name!);
    const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; ephemeralContainers?: Array<{ name: string }> };
    const names = (spec.containers ?? []).map((c) => c.name);
    const initNames = (spec.initContainers ?? []).map((c) => c.name);
    const all = [...names, ...initNames, ...(spec.ephemeralContainers ?? []).map((c) => c.name)];
    let container = q.get('container') ?? '';
    if (!container) {
      const preferred = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
      if (preferred && all.includes(preferred)) container = preferred;
      else if (names.length === 1 && !initNames.length) container = names[0]!;
      else {
        throw new ApiError(
          400,
          'BadRequest',
          `a container name must be specified for pod ${r.name}, choose one of: [${names.join(' ')}]${initNames.length ? ` or one of the init containers: [${initNames.join(' ')}]` : ''}`,
        );
      }
    }
    if (!all.includes(container)) throw new ApiError(400, 'BadRequest', `container ${container} is not valid for pod ${r.name}`);
    if (!logProvider) {
      throw new ApiError(503, 'ServiceUnavailable', `the kubelet of pod ${r.name} cannot be reached: no log provider is registered in the sandbox`);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const num = (name: string) => (q.get(name) === null ? undefined : Number(q.get(name)));
    const tailLines = num('tailLines');
    const sinceSeconds = num('sinceSeconds');
    const limitBytes = num('limitBytes');
    const source = await logProvider({
      namespace: r.namespace,
      pod: r.name!,
      container,
      previous: flag(q, 'previous'),
      follow: flag(q, 'follow'),
      timestamps: flag(q, 'timestamps'),
      ...(tailLines !== undefined ? { tailLines } : {}),
      ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
      ...(limitBytes !== undefined ? { limitBytes } : {}),
      signal: abort.signal,
    });
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    if (typeof source === 'string' || Buffer.isBuffer(source)) return void res.end(source);
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        if (abort.signal.aborted) break;
        res.write(chunk);
      }
    } finally {
      res.end();
    }
  };

  const proxy = async (r: ResourceRoute, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> => {
    // The name segment is `name`, `name:port` or `scheme:name:port`.
    const segments = (r.name ?? '').split(':');
    const [scheme, name, port] =
      segments.length >= 3 ? [segments[0]!, segments[1]!, segments[2]!] : segments.length === 2 ? ['http', segments[0]!, segments[1]!] : ['http', segments[0]!, ''];
    const kind = r.type;
    const marker = '/proxy';
    const at = rawPath.indexOf(marker, rawPath.indexOf(`/${kind}/`) + kind.length + 2);
    const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const path = (rawPath.slice(at + marker.length) || '/') + query;
    if (!store.get(kind, r.namespace, name)) {
      throw new ApiError(404, 'NotFound', `${kind} "${name}" not found`, { name, kind });
    }
    const handler = kind === 'services' ? serviceProxy : podProxy;
    if (!handler) {
      throw new ApiError(
        503,
        'ServiceUnavailable',
        kind === 'services' ? `no endpoints available for service "${name}"` : `pod ${name} cannot be reached: no pod proxy is registered in the sandbox`,
      );
    }
    await handler({ namespace: r.namespace, name, scheme, port, path }, req, res);
  };

  const tls = selfSignedCert(options.dir);
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/_sandbox/')) {
      res.on('close', () => {
        faults.record({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search,
          watch: flag(url.searchParams, 'watch'),
          status: res.headersSent ? res.statusCode : 0,
          fault: faulted.has(res),
        });
      });
    }
    route(req, res, url).catch((err: unknown) => {
      if (!(err instanceof ApiError) && statusOf(err).code === 500) console.error('sandbox apiserver:', err);
      sendError(res, err);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  address = `127.0.0.1:${port}`;
  const url = `https://${address}`;
  const kubeconfigPath = options.kubeconfigPath ?? join(options.dir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, url, token, tls.cert);

  return {
    url,
    port,
    kubeconfigPath,
    token,
    ca: tls.cert,
    store,
    faults,
    admission,
    setLogProvider: (p) => void (logProvider = p),
    setServiceProxy: (h) => void (serviceProxy = h),
    setPodProxy: (h) => void (podProxy = h),
    stop: async () => {
      for (const stop of stopControllers) stop();
      faults.dropWatches({ abrupt: true });
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves `[namespaces/N/]resource[/name[/subresource[/...]]]` against the resource table. */
export function parseResourcePath(group: string, version: string, rest: string[]): { route: ResourceRoute } | undefined {
  const find = (resource: string): ResourceInfo | undefined =>
    RESOURCES.find((i) => i.group === group && i.version === version && i.resource === resource);
  let watch = false;
  let parts = rest;
  if (parts[0] === 'watch') {
    watch = true;
    parts = parts.slice(1);
  }
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length >= 3 && find(parts[2]!)?.namespaced) {
    namespace = parts[1]!;
    parts = parts.slice(2);
  }
  const info = find(parts[0] ?? '');
  if (!info) return undefined;
  if (!info.namespaced && namespace) return undefined;
  const [, name, subresource] = parts;
  if (parts.length > 3 && subresource !== 'proxy') return undefined;
  return {
    route: {
      info,
      type: info.storedAs ?? typeName(info),
      namespace,
      ...(name !== undefined ? { name } : {}),
      ...(subresource !== undefined ? { subresource } : {}),
      watch,
    },
  };
}

export function writeKubeconfig(path: string, server: string, token: string, ca: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
    users: [{ name: 'sandbox', user: { token } }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox' } }],
    'current-context': 'sandbox',
    preferences: {},
  };
  writeFileSync(path, toYaml(config), { mode: 0o600 });
}

async function admin(req: IncomingMessage, res: ServerResponse, url: URL, faults: Faults): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  const summary = () => ({ rules: faults.rules, openWatches: faults.openWatches(), writes: faults.writeCount() });
  if (path === '/_sandbox/faults') {
    if (method === 'GET') return sendJson(res, 200, summary());
    if (method === 'DELETE') {
      faults.clear();
      return sendJson(res, 200, summary());
    }
    if (method === 'POST') {
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as FaultRule | FaultRule[];
      try {
        for (const rule of Array.isArray(body) ? body : [body]) faults.add(rule);
      } catch (err) {
        return sendStatus(res, failure(400, 'BadRequest', err instanceof Error ? err.message : String(err)));
      }
      return sendJson(res, 201, summary());
    }
  }
  if (path === '/_sandbox/faults/drop-watches' && method === 'POST') {
    const dropped = faults.dropWatches({
      path: url.searchParams.get('path') ?? '',
      abrupt: url.searchParams.get('abrupt') !== 'false',
    });
    return sendJson(res, 200, { dropped });
  }
  if (path === '/_sandbox/requests') {
    if (method === 'GET') return sendJson(res, 200, { writes: faults.writeCount(), requests: faults.requests });
    if (method === 'DELETE') {
      faults.resetCounters();
      return sendJson(res, 200, { writes: 0 });
    }
  }
  sendStatus(res, failure(404, 'NotFound', `no sandbox admin route ${method} ${path}`));
}
