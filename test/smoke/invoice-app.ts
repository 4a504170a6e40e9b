// A small stand-in for a Django invoice app on 127.0.0.1, behaving the way Django and Django REST framework do
// where a smoke test meets them: the login page sets a csrftoken cookie; the login POST checks the token (header
// X-CSRFToken or form csrfmiddlewaretoken against the cookie), answers 302 with a sessionid cookie and rotates
// the CSRF token; a wrong password answers 200 with the form again; the API wants the session (403 otherwise)
// and, for writes, the CSRF header. Faults make it misbehave on purpose.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mergeSmoke, readSmokeSection, type SmokeSpec } from '../../src/config/smoke-schema.ts';
import { ConfigReader, parseConfigSource } from '../../src/config/yaml-reader.ts';

export const USERNAME = 'smoke';
export const PASSWORD = 'correct horse+battery@staple';

export type Fault =
  | { status: number; body?: string | ((req: IncomingMessage) => string); headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | 'hang';

interface Invoice {
  id: number;
  number: string;
  customer: string;
  amount: string;
  owner: string;
}

export interface InvoiceApp {
  url: string;
  /** Every request, `METHOD /path?query`, in order. */
  log: string[];
  /** The headers of every request, in order. */
  headers: IncomingMessage['headers'][];
  /** Session ids and CSRF tokens handed out: credentials that must never be printed. */
  issued: string[];
  /** Answer requests matching `METHOD /path` (a prefix) with a fault: `times` of them, after skipping `after`. */
  fault(match: string, fault: Fault, opts?: { times?: number; after?: number }): void;
  /** Runs before each request is answered (a test advances its clock here, or cancels). */
  onRequest?: (line: string) => void;
  close(): Promise<void>;
}

export async function startInvoiceApp(): Promise<InvoiceApp> {
  const sessions = new Map<string, string>();
  const csrfTokens = new Set<string>();
  const invoices: Invoice[] = [];
  const faults: Array<{ match: string; fault: Fault; times: number; after: number }> = [];
  const hanging = new Set<ServerResponse>();
  const token = (): string => randomBytes(16).toString('hex');

  const app: InvoiceApp = {
    url: '',
    log: [],
    headers: [],
    issued: [],
    fault(match, fault, opts = {}) {
      faults.push({ match, fault, times: opts.times ?? Infinity, after: opts.after ?? 0 });
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const newCsrf = (): string => {
    const t = token();
    csrfTokens.add(t);
    app.issued.push(t);
    return `csrftoken=${t}; expires=${new Date(Date.now() + 31_449_600_000).toUTCString()}; Max-Age=31449600; Path=/; SameSite=Lax`;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    const line = `${req.method} ${url.pathname}${url.search}`;
    app.log.push(line);
    app.headers.push(req.headers);
    app.onRequest?.(line);
    const body = await readBody(req);

    const fault = faults.find((f) => line.startsWith(f.match) && f.times > 0);
    if (fault && fault.after > 0) fault.after--;
    else if (fault) {
      fault.times--;
      if (fault.fault === 'hang') {
        hanging.add(res);
        return;
      }
      const text = typeof fault.fault.body === 'function' ? fault.fault.body(req) : fault.fault.body ?? '';
      res.writeHead(fault.fault.status, { 'content-type': 'text/html; charset=utf-8', ...fault.fault.headers }).end(text);
      return;
    }

    const cookies = parseCookies(req.headers.cookie);
    const user = cookies.sessionid ? sessions.get(cookies.sessionid) : undefined;
    const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
    };
    const html = (status: number, text: string, headers: Record<string, string | string[]> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(text);
    };
    const form = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : undefined;
    // Django's CsrfViewMiddleware: unsafe methods need the cookie, and the same token in the header or the form.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET')) {
      const sent = req.headers['x-csrftoken'] ?? form?.get('csrfmiddlewaretoken') ?? undefined;
      if (!cookies.csrftoken || !csrfTokens.has(cookies.csrftoken) || sent !== cookies.csrftoken) {
        html(403, '<h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p>');
        return;
      }
    }
    const loginForm = (csrf: string, error = ''): string =>
      `<html><body>${error}<form method="post" action="/accounts/login/"><input type="hidden" name="csrfmiddlewaretoken" value="${csrf}">` +
      '<input name="username"><input name="password" type="password"></form></body></html>';

    if (url.pathname === '/healthz') return html(200, 'ok');
    if (url.pathname === '/accounts/login/' && req.method === 'GET') {
      const setCookie = cookies.csrftoken && csrfTokens.has(cookies.csrftoken) ? undefined : newCsrf();
      const csrf = setCookie ? setCookie.slice('csrftoken='.length, setCookie.indexOf(';')) : cookies.csrftoken!;
      return html(200, loginForm(csrf), setCookie ? { 'set-cookie': setCookie } : {});
    }
    if (url.pathname === '/accounts/login/' && req.method === 'POST') {
      if (form?.get('username') !== USERNAME || form.get('password') !== PASSWORD) {
        return html(200, loginForm(cookies.csrftoken!, '<p class="errornote">Please enter a correct username and password.</p>'));
      }
      const sid = token();
      sessions.set(sid, USERNAME);
      app.issued.push(sid);
      // Django rotates the CSRF token at login: a token read before it no longer passes.
      csrfTokens.delete(cookies.csrftoken!);
      res.writeHead(302, {
        location: '/invoices/',
        'set-cookie': [newCsrf(), `sessionid=${sid}; expires=${new Date(Date.now() + 1_209_600_000).toUTCString()}; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax`],
      }).end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (!user) return json(403, { detail: 'Authentication credentials were not provided.' });
      const mine = invoices.filter((i) => i.owner === user);
      if (url.pathname === '/api/invoices/' && req.method === 'GET') {
        return json(200, { count: mine.length, results: mine.map(({ owner: _, ...i }) => i) });
      }
      if (url.pathname === '/api/invoices/' && req.method === 'POST') {
        const input = JSON.parse(body || '{}') as { customer?: string; amount?: string };
        if (!input.customer) return json(400, { customer: ['This field is required.'] });
        const invoice = { id: invoices.length + 1, number: `INV-${invoices.length + 1}`, customer: input.customer, amount: input.amount ?? '0', owner: user };
        invoices.push(invoice);
        const { owner: _, ...shown } = invoice;
        return json(201, shown);
      }
      const one = /^\/api\/invoices\/(\d+)\/$/.exec(url.pathname);
      const invoice = one ? mine.find((i) => i.id === Number(one[1])) : undefined;
      if (invoice && req.method === 'GET') {
        const { owner: _, ...shown } = invoice;
        return json(200, shown);
      }
      return json(404, { detail: 'Not found.' });
    }
    html(404, '<h1>Not Found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return app;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The smoke section people write for this app; `target` is filled in by the test. */
export const INVOICE_SCENARIO = `
  duration: 10s
  interval: 2s
  steps:
    - name: login page
      path: /accounts/login/
      expect: { status: 200, body: csrfmiddlewaretoken }
      capture: { csrftoken: cookie.csrftoken }
    - name: log in
      method: POST
      path: /accounts/login/
      form: { username: smoke, password: "\${SMOKE_PASSWORD}", csrfmiddlewaretoken: "{csrftoken}" }
      expect: { status: 302 }
      capture: { csrf: cookie.csrftoken, next: header.Location }
    - name: list invoices
      path: /api/invoices/
      query: { page: 1 }
      expect: { status: 200, body: results }
    - name: create invoice
      method: POST
      path: /api/invoices/
      headers: { X-CSRFToken: "{csrf}" }
      json: { customer: Smoke Test, amount: "12.50" }
      expect: { status: 201 }
      capture: { id: json.id }
    - name: read it back
      path: "/api/invoices/{id}/"
      expect: { json: { id: "{id}", customer: Smoke Test } }
`;

/** A `smoke:` section read the way rollgate.yml is read; throws on any problem so a test never runs a bad spec. */
export function loadSmoke(section: string, variables: Record<string, string> = { SMOKE_PASSWORD: PASSWORD }): SmokeSpec {
  const { source, problems: syntax } = parseConfigSource('rollgate.yml', `smoke:\n${section}`);
  const r = new ConfigReader(source, { env: 'dev', variables });
  const top = r.fields(r.root(), ['smoke'] as const)!;
  const spec = mergeSmoke(r, readSmokeSection(r, top.smoke), undefined);
  const problems = [...syntax, ...r.problems.items].map((p) => `${p.line} ${p.field}: ${p.message}`);
  if (problems.length > 0 || !spec) throw new Error(`bad smoke section:\n${problems.join('\n')}`);
  return spec;
}

/** The invoice scenario against `target` (a YAML flow map), with more keys or steps appended. */
export function invoiceSpec(target: string, more = ''): SmokeSpec {
  return loadSmoke(`  target: ${target}\n${INVOICE_SCENARIO}${more}`);
}
