import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmokeSpec } from '../../src/config/smoke-schema.ts';
import { runSmoke } from '../../src/smoke/runner.ts';
import { serviceProxyTransport } from '../../src/smoke/service-proxy.ts';
import type { FetchLike } from '../../src/smoke/transport.ts';
import { invoiceSpec, loadSmoke, startInvoiceApp, type InvoiceApp } from './invoice-app.ts';
import { virtualClock } from './virtual-clock.ts';

const CLUSTER_TOKEN = 'k8s-bearer-token-of-the-deployer';
const PREFIX = '/api/v1/namespaces/invoice-dev/services/web:80/proxy';

interface FakeApiServer {
  url: string;
  /** Paths of the requests it accepted. */
  log: string[];
  close(): Promise<void>;
}

/**
 * Only the service proxy of an API server, behaving as kube-apiserver does: it authenticates with the bearer
 * token and removes it, forwards to the Service's backend keeping the client's Host, rewrites same-host
 * absolute-path Locations to the proxy path, drops CORS headers, and answers its own failures as a v1 Status.
 * `prefixCookiePaths` plays a proxy in front of it that also rewrites Set-Cookie paths.
 */
async function startFakeApiServer(opts: { services: Record<string, string>; forbidden?: string[]; prefixCookiePaths?: boolean }): Promise<FakeApiServer> {
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://api');
    const status = (code: number, reason: string, message: string): void => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
    };
    if (req.headers.authorization !== `Bearer ${CLUSTER_TOKEN}`) return status(401, 'Unauthorized', 'Unauthorized');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/:]+):([^/]+)\/proxy(\/.*)?$/.exec(url.pathname);
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const [, namespace, service, port, rest] = m;
    const prefix = url.pathname.slice(0, url.pathname.length - (rest?.length ?? 0));
    if (opts.forbidden?.includes(service!)) {
      return status(403, 'Forbidden', `services "${service}" is forbidden: User "deployer" cannot create resource "services/proxy" in API group "" in the namespace "${namespace}"`);
    }
    const backend = opts.services[`${namespace}/${service}:${port}`];
    if (!backend) return status(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`);
    log.push(url.pathname);
    const headers: IncomingHttpHeaders = { ...req.headers, 'x-forwarded-uri': url.pathname, 'x-forwarded-for': '127.0.0.1' };
    delete headers.authorization;
    const upstream = request(`${backend}${rest ?? '/'}${url.search}`, { method: req.method, headers }, (answer) => {
      const out = { ...answer.headers };
      for (const name of Object.keys(out)) if (name.startsWith('access-control-')) delete out[name];
      if (out.location) out.location = rewriteLocation(out.location, prefix, backend, req.headers.host ?? '');
      if (opts.prefixCookiePaths && out['set-cookie']) out['set-cookie'] = out['set-cookie'].map((c) => c.replace(/Path=\//i, `Path=${prefix}/`));
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    });
    upstream.on('error', (err) => status(503, 'ServiceUnavailable', `error trying to reach service: ${err.message}`));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// k8s.io/apimachinery/pkg/util/proxy/transport.go rewriteURL, for a server-side request (no scheme or host).
function rewriteLocation(location: string, prefix: string, backend: string, requestHost: string): string {
  const url = new URL(location, 'http://placeholder');
  const hasHost = /^[a-z]+:\/\//i.test(location);
  if (hasHost && url.host !== new URL(backend).host && url.host !== requestHost) return location;
  if (!location.startsWith('/') && !hasHost) return location;
  // Go's path.Join drops the trailing slash; transport.go adds it back.
  const joined = posix.join(prefix, url.pathname).replace(/\/$/, '') + (url.pathname.endsWith('/') ? '/' : '');
  return joined + url.search;
}

let app: InvoiceApp;
let api: FakeApiServer | undefined;
let dir: string;
beforeEach(async () => {
  app = await startInvoiceApp();
  dir = mkdtempSync(join(tmpdir(), 'smoke-proxy-'));
});
afterEach(async () => {
  await api?.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The kubeconfig's credentials, as the caller would wire them. */
const authenticated: FetchLike = (url, init) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${CLUSTER_TOKEN}`);
  return fetch(url, { ...init, headers });
};

const transportTo = (server: FakeApiServer, service = 'web') =>
  serviceProxyTransport({ apiServer: server.url, namespace: 'invoice-dev', service, port: 80, fetch: authenticated });

const serviceSpec = (more = ''): SmokeSpec => invoiceSpec('{ service: web, port: 80 }', more);

describe('smoke through the API server service proxy', () => {
  it.each([
    ['as kube-apiserver passes them', false],
    ['prefixed by a proxy in front of it', true],
  ])('passes the invoice scenario with Set-Cookie paths %s, the cluster token never reaching the app', async (_, prefixCookiePaths) => {
    api = await startFakeApiServer({ services: { 'invoice-dev/web:80': app.url }, prefixCookiePaths });
    const transport = transportTo(api);
    const result = await runSmoke(serviceSpec(), { transport, clock: virtualClock() });
    expect(result).toMatchObject({ passed: true, rounds: 5, requests: 25, target: "service web:80 in namespace invoice-dev (through the API server's service proxy)" });
    expect(api.log).toContain(`${PREFIX}/api/invoices/1/`);
    expect(app.headers.map((h) => h.authorization).filter(Boolean)).toEqual([]);
  });

  it("gives a step the app's own redirect target, not the proxy path", async () => {
    api = await startFakeApiServer({ services: { 'invoice-dev/web:80': app.url } });
    app.fault('GET /old/', { status: 301, headers: { location: '/new/?page=2' } });
    app.fault('GET /sso/', { status: 302, headers: { location: 'https://sso.example.com/login' } });
    const raw = await authenticated(`${api.url}${PREFIX}/old/`, { redirect: 'manual' });
    expect(raw.headers.get('location')).toBe(`${PREFIX}/new/?page=2`);
    const transport = transportTo(api);
    const send = (path: string) => transport.send({ method: 'GET', path, headers: new Headers(), signal: AbortSignal.timeout(5_000) });
    expect((await send('/old/')).headers.get('location')).toBe('/new/?page=2');
    expect((await send('/sso/')).headers.get('location')).toBe('https://sso.example.com/login');
  });

  it('refuses a step with its own Authorization header, which the API server would take and remove', async () => {
    api = await startFakeApiServer({ services: { 'invoice-dev/web:80': app.url } });
    const spec = loadSmoke(`  target: { service: web, port: 80 }
  steps:
    - name: token api
      path: /api/me/
      headers: { Authorization: "Bearer \${SMOKE_PASSWORD}" }
`);
    const result = await runSmoke({ ...spec, maxFailures: 5 }, { transport: transportTo(api), clock: virtualClock() });
    expect(result).toMatchObject({ passed: false, rounds: 1, firstFailure: { step: 'token api', transient: false, request: { headers: { authorization: '***' } } } });
    expect(result.firstFailure?.message).toMatch(/^an Authorization header cannot reach a Service through the API server's service proxy/);
    expect(api.log).toEqual([]);
  });

  it.each([
    ['a Service with no ready endpoints', 'db', true, 'status 503, expected 2xx or 3xx: the API server answered, not the app: no endpoints available for service "db"'],
    ['credentials without RBAC on services/proxy', 'web', false,
      'status 403, expected 2xx or 3xx: the API server answered, not the app: services "web" is forbidden: User "deployer" cannot create resource "services/proxy" in API group "" in the namespace "invoice-dev"; the kubeconfig\'s user needs RBAC on services/proxy in namespace invoice-dev'],
  ])("explains the API server's own answer for %s", async (_, service, transient, message) => {
    api = await startFakeApiServer({ services: { 'invoice-dev/web:80': app.url }, forbidden: ['web'] });
    const spec = loadSmoke(`  target: { service: ${service}, port: 80 }\n  steps: [{ name: health, path: /healthz }]\n`);
    const result = await runSmoke(spec, { transport: transportTo(api, service), clock: virtualClock() });
    expect(result).toMatchObject({ passed: false, firstFailure: { step: 'health', transient, message } });
  });

  it('counts a pod that cannot be dialled as transient', async () => {
    api = await startFakeApiServer({ services: { 'invoice-dev/web:80': 'http://127.0.0.1:1' } });
    const spec = loadSmoke('  target: { service: web, port: 80 }\n  steps: [{ name: health, path: /healthz }]\n');
    const result = await runSmoke(spec, { transport: transportTo(api), clock: virtualClock() });
    expect(result.firstFailure).toMatchObject({ step: 'health', transient: true, status: 503 });
    expect(result.firstFailure?.message).toMatch(/the API server answered, not the app: error trying to reach service: connect ECONNREFUSED/);
  });

  it('gives a command step a loopback URL that reaches the Service, and no cluster credentials', async () => {
    api = await startFakeApiServer({ services: { 'invoice-dev/web:80': app.url } });
    const out = join(dir, 'seen.json');
    const script = [
      'const base = process.env.SMOKE_BASE_URL;',
      'const res = await fetch(base + "/healthz");',
      `const leaked = Object.values(process.env).some((v) => v.includes(${JSON.stringify(CLUSTER_TOKEN)}));`,
      `require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify({ base, status: res.status, text: await res.text(), leaked }));`,
    ].join('\n');
    const spec = loadSmoke(`  target: { service: web, port: 80 }\n  duration: 1s\n  interval: 1s\n  steps:\n    - name: script\n      command: ${JSON.stringify([process.execPath, '--input-type=commonjs', '-e', `(async () => { ${script} })().catch((e) => { console.error(e); process.exit(1); })`])}\n`);
    const result = await runSmoke(spec, { transport: transportTo(api), clock: virtualClock() });
    expect(result).toMatchObject({ passed: true, rounds: 1 });
    const seen = JSON.parse(readFileSync(out, 'utf8')) as { base: string; status: number; text: string; leaked: boolean };
    expect(seen).toMatchObject({ status: 200, text: 'ok', leaked: false });
    expect(seen.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.log).toContain(`${PREFIX}/healthz`);
    // The door closes with the run.
    await expect(fetch(`${seen.base}/healthz`)).rejects.toThrow();
  });
});
