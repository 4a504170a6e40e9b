import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SmokeSpec } from '../../src/config/smoke-schema.ts';
import type { Logger } from '../../src/log.ts';
import { smokeJunitXml } from '../../src/report/junit.ts';
import { formatSmokeResult } from '../../src/smoke/format.ts';
import { runSmoke, type SmokeRunOptions } from '../../src/smoke/runner.ts';
import { urlTransport } from '../../src/smoke/transport.ts';
import { invoiceSpec, loadSmoke, PASSWORD, startInvoiceApp, type InvoiceApp } from './invoice-app.ts';
import { virtualClock, type VirtualClock } from './virtual-clock.ts';

let app: InvoiceApp;
let clock: VirtualClock;
let dir: string;
beforeEach(async () => {
  app = await startInvoiceApp();
  clock = virtualClock();
  dir = mkdtempSync(join(tmpdir(), 'smoke-'));
});
afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (spec: SmokeSpec, options: Partial<SmokeRunOptions> = {}) =>
  runSmoke(spec, { transport: urlTransport(app.url), clock, ...options });
const spec = (more = ''): SmokeSpec => invoiceSpec(`{ url: "${app.url}" }`, more);

describe('smoke runner against a Django-like app', () => {
  it('passes log in, list, create and read back round after round, logging in afresh each round', async () => {
    const result = await run(spec());
    // Rounds start at 0, 2, 4, 6 and 8 s; no sixth would start before the 10 s are up.
    expect(result).toMatchObject({ passed: true, rounds: 5, requests: 25, failures: 0, durationMs: 8_000, tolerated: [] });
    expect(result.firstFailure).toBeUndefined();
    expect(result.steps.map((s) => [s.name, s.requests, s.failures])).toEqual([
      ['login page', 5, 0], ['log in', 5, 0], ['list invoices', 5, 0], ['create invoice', 5, 0], ['read it back', 5, 0],
    ]);
    // A fresh jar every round: each round fetched a new CSRF cookie and logged in with it.
    expect(app.log.filter((l) => l === 'POST /accounts/login/')).toHaveLength(5);
    expect(app.headers.filter((h, i) => app.log[i] === 'GET /accounts/login/' && h.cookie !== undefined)).toEqual([]);
    // The captured id went into the next path, and the JSON expectation compared it as a number.
    expect(app.log).toContain('GET /api/invoices/5/');
    expect(app.log).toContain('GET /api/invoices/?page=1');
  });

  it('ends at once on a failing write, naming the step, the request and the start of the response', async () => {
    app.fault('POST /api/invoices/', { status: 500, body: `<h1>IntegrityError at /api/invoices/</h1><pre>${'x'.repeat(2000)}</pre>` }, { after: 1 });
    const result = await run(spec());
    expect(result).toMatchObject({ passed: false, rounds: 2, durationMs: 2_000, failures: 1 });
    expect(result.message).toBe('failed: step "create invoice" in round 2: status 500, expected 201');
    expect(result.firstFailure).toMatchObject({
      step: 'create invoice',
      round: 2,
      transient: false,
      status: 500,
      message: 'status 500, expected 201',
      request: { method: 'POST', path: '/api/invoices/', headers: { 'content-type': 'application/json', cookie: '***', 'x-csrftoken': '***' } },
    });
    expect(result.firstFailure?.responseExcerpt).toMatch(/^<h1>IntegrityError at \/api\/invoices\/<\/h1><pre>x+$/);
    expect(result.firstFailure?.responseExcerpt).toHaveLength(500);
    // Nothing was sent after the failing write.
    expect(app.log.at(-1)).toBe('POST /api/invoices/');
  });

  it.each([
    ['an app answering 404', { status: 404, body: '{"detail":"Not found."}' }, 'status 404, expected 200'],
    ['an app answering 403', { status: 403, body: '{"detail":"Authentication credentials were not provided."}' }, 'status 403, expected 200'],
    ['a body without the expected text', { status: 200, body: '{"count":0}' }, 'the body does not contain "results"'],
  ])('ends at once on %s, though maxFailures would tolerate more', async (_, fault, message) => {
    app.fault('GET /api/invoices/?', fault);
    const result = await run({ ...spec(), maxFailures: 3 });
    expect(result).toMatchObject({ passed: false, rounds: 1, firstFailure: { step: 'list invoices', transient: false, message } });
  });

  it('fails on a JSON mismatch in the read-back, saying where', async () => {
    const base = spec();
    const steps = base.steps.map((s) => (s.name === 'read it back' && s.kind === 'request' ? { ...s, expect: { json: { id: '{id}', customer: 'Someone Else' } } } : s));
    const result = await run({ ...base, steps });
    expect(result.firstFailure).toMatchObject({ step: 'read it back', round: 1, message: 'json: $.customer is "Smoke Test", expected "Someone Else"' });
  });

  it.each([
    [1, true, 'passed: 5 rounds, 23 requests, p95 0 ms'],
    [0, false, 'transient failures beyond maxFailures; last: step "list invoices" in round 2: status 503, expected 200'],
  ])('a 503 from a gateway once, with maxFailures %i: passed %s', async (maxFailures, passed, message) => {
    app.fault('GET /api/invoices/?', { status: 503, body: 'upstream connect error' }, { after: 1, times: 1 });
    const result = await run({ ...spec(), maxFailures });
    expect(result).toMatchObject({ passed, message, failures: 1 });
    const failure = { step: 'list invoices', round: 2, transient: true, status: 503 };
    if (passed) {
      expect(result.tolerated).toMatchObject([failure]);
      // The rest of that round was skipped: its writes build on the failed read.
      expect(result.steps.find((s) => s.name === 'create invoice')?.requests).toBe(4);
    } else {
      expect(result.firstFailure).toMatchObject(failure);
      expect(result.rounds).toBe(2);
    }
  });

  it('counts a request that gets no answer within the timeout as transient', async () => {
    app.fault('GET /api/invoices/?', 'hang', { times: 1 });
    const result = await run({ ...spec(), maxFailures: 1 }, { requestTimeoutMs: 50 });
    expect(result).toMatchObject({ passed: true, failures: 1, tolerated: [{ step: 'list invoices', round: 1, transient: true, message: 'no answer within 50 ms' }] });
  });

  it('counts a refused connection as transient, and fails when no round passed', async () => {
    const closed = await freePort();
    const result = await runSmoke({ ...spec(), maxFailures: 10 }, { transport: urlTransport(`http://127.0.0.1:${closed}`), clock });
    expect(result).toMatchObject({ passed: false, rounds: 5, failures: 5, message: 'no round passed (5 transient failures tolerated)' });
    expect(result.tolerated[0]).toMatchObject({ step: 'login page', transient: true, request: { method: 'GET', path: '/accounts/login/' } });
    expect(result.tolerated[0]?.message).toMatch(/^no answer: fetch failed: .*ECONNREFUSED/);
  });

  it.each([
    [800, false, 'p95 latency 900 ms is above the limit of 800 ms'],
    [900, true, 'passed: 5 rounds, 25 requests, p95 900 ms'],
  ])('judges p95 over all requests at the end: limit %i ms, passed %s', async (p95Ms, passed, message) => {
    // One request in five is slow: 20% of the requests, so the 95th percentile is the slow one.
    app.onRequest = (line) => {
      if (line.startsWith('GET /api/invoices/?')) clock.advance(900);
    };
    const result = await run({ ...spec(), p95Ms });
    expect(result).toMatchObject({ passed, message, rounds: 5, p95Ms: 900, p95LimitMs: p95Ms });
    expect(result.steps.find((s) => s.name === 'list invoices')).toMatchObject({ p50Ms: 900, p95Ms: 900 });
    expect(result.steps.find((s) => s.name === 'log in')).toMatchObject({ p50Ms: 0, p95Ms: 0 });
  });

  it('never shows a password, session id or CSRF token, in the result, the text, the JUnit report or the log', async () => {
    // A debug page that echoes the request back, credentials and all.
    app.fault('GET /api/invoices/1/', {
      status: 500,
      body: (req) => `Traceback: cookies=${req.headers.cookie} csrf=${req.headers['x-csrftoken'] ?? ''} settings.SMOKE_PASSWORD=${PASSWORD} encoded=${encodeURIComponent(PASSWORD)}`,
    });
    const logged: string[] = [];
    const logger: Logger = { debug: (m) => logged.push(m), info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };
    const result = await run(spec(), { logger });
    expect(result.firstFailure?.responseExcerpt).toBe('Traceback: cookies=csrftoken=***; sessionid=*** csrf= settings.SMOKE_PASSWORD=*** encoded=***');
    const printed = [JSON.stringify(result), formatSmokeResult(result), smokeJunitXml(result), ...logged].join('\n');
    expect(app.issued.length).toBeGreaterThanOrEqual(3);
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), ...app.issued]) expect(printed).not.toContain(secret);
  });

  it('hides whatever a token step hands out, whatever the capture is called', async () => {
    const access = 'eyJhbGciOiJIUzI1NiJ9.c21va2U.sig';
    app.fault('POST /api/token/', { status: 200, body: JSON.stringify({ access }), headers: { 'content-type': 'application/json' } });
    app.fault('GET /api/me/', { status: 500, body: (req) => `bad key ${req.headers['x-api-key']}` });
    const spec = loadSmoke(`  target: { url: "${app.url}" }
  steps:
    - { name: get token, method: POST, path: /api/token/, json: { username: smoke }, capture: { access: json.access } }
    - { name: me, path: "/api/me/?k={access}", headers: { X-Api-Key: "{access}" } }
`);
    const result = await run(spec);
    expect(result.firstFailure).toMatchObject({ step: 'me', responseExcerpt: 'bad key ***', request: { path: '/api/me/?k=***', headers: { 'x-api-key': '***' } } });
    expect(JSON.stringify(result)).not.toContain(access);
  });
});

describe('command steps', () => {
  it('see the base URL, the round and the captures so far', async () => {
    const result = await run(
      spec(`    - name: check with a script\n      command: 'printf "%s|%s|%s" "$SMOKE_BASE_URL" "$SMOKE_ID" "$SMOKE_ROUND" > "$OUT_DIR/round-$SMOKE_ROUND"'\n`),
      { env: { ...process.env, OUT_DIR: dir } },
    );
    expect(result).toMatchObject({ passed: true, rounds: 5, requests: 25 });
    expect(result.steps.at(-1)).toMatchObject({ name: 'check with a script', kind: 'command', requests: 5, failures: 0 });
    expect(readFileSync(join(dir, 'round-1'), 'utf8')).toBe(`${app.url}|1|1`);
    expect(readFileSync(join(dir, 'round-3'), 'utf8')).toBe(`${app.url}|3|3`);
  });

  it('end the run when the program exits non-zero, with the end of its output, captured secrets hidden', async () => {
    const result = await run(spec(`    - name: ledger agrees\n      command: ["sh", "-c", "echo checking; echo \\"ledger is off for token $SMOKE_CSRF\\" >&2; exit 3"]\n`));
    expect(result).toMatchObject({ passed: false, rounds: 1 });
    expect(result.firstFailure).toEqual({
      step: 'ledger agrees',
      round: 1,
      transient: false,
      message: 'exited with 3',
      command: `sh -c 'echo checking; echo "ledger is off for token $SMOKE_CSRF" >&2; exit 3'`,
      exitCode: 3,
      responseExcerpt: 'checking\nledger is off for token ***\n',
    });
  });

  it('kill a program at the timeout, with what it started, and count it as transient', async () => {
    const pidFile = join(dir, 'pid');
    const result = await run(spec(`    - name: slow script\n      command: 'sleep 30 & echo $! > ${pidFile}; wait'\n  maxFailures: 0\n`), { commandTimeoutMs: 1_000 });
    expect(result).toMatchObject({ passed: false, firstFailure: { step: 'slow script', transient: true, message: 'did not finish within 1000 ms (killed)' } });
    // The background sleep was killed with its shell; init reaps it in its own time.
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    await vi.waitFor(() => expect(processState(sleeper)).toMatch(/^(gone|Z)$/));
  });
});

describe('cancelling', () => {
  const realTime = { clock: undefined } as const;

  it('stops while waiting for the next round', { timeout: 5_000 }, async () => {
    const cancel = new AbortController();
    app.onRequest = (line) => {
      if (line.startsWith('GET /api/invoices/1/')) setImmediate(() => cancel.abort());
    };
    const result = await run({ ...spec(), durationMs: 60_000, intervalMs: 5_000 }, { ...realTime, signal: cancel.signal });
    expect(result).toMatchObject({ passed: false, cancelled: true, rounds: 1, message: 'cancelled after 1 round' });
  });

  it('aborts a request in flight', { timeout: 5_000 }, async () => {
    const cancel = new AbortController();
    app.fault('GET /api/invoices/?', 'hang');
    app.onRequest = (line) => {
      if (line.startsWith('GET /api/invoices/?')) cancel.abort();
    };
    const result = await run(spec(), { ...realTime, signal: cancel.signal });
    expect(result).toMatchObject({ passed: false, cancelled: true, rounds: 1, failures: 0 });
    expect(result.steps.find((s) => s.name === 'list invoices')?.requests).toBe(0);
  });

  it('kills a running command', { timeout: 5_000 }, async () => {
    const cancel = new AbortController();
    const started = join(dir, 'started');
    const watcher = setInterval(() => existsSync(started) && cancel.abort(), 10);
    try {
      const result = await run(spec(`    - name: long script\n      command: 'touch ${started}; sleep 30'\n`), { ...realTime, signal: cancel.signal });
      expect(result).toMatchObject({ passed: false, cancelled: true, rounds: 1 });
    } finally {
      clearInterval(watcher);
    }
  });
});

/** A process's state letter from /proc (Z: dead, not yet reaped by init), or 'gone'. */
function processState(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]!;
  } catch {
    return 'gone';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
