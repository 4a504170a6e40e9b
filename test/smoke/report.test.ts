import { describe, expect, it } from 'vitest';
import { smokeJunitXml } from '../../src/report/junit.ts';
import { formatSmokeResult } from '../../src/smoke/format.ts';
import type { SmokeResult } from '../../src/smoke/result.ts';
import { transportFor } from '../../src/smoke/target.ts';

const failed: SmokeResult = {
  passed: false,
  message: 'failed: step "create invoice" in round 3: status 500, expected 201',
  target: 'https://dev.invoice.example.com',
  rounds: 3,
  requests: 14,
  failures: 2,
  maxFailures: 1,
  p95Ms: 48,
  p95LimitMs: 800,
  durationMs: 10_412,
  steps: [
    { name: 'log in', kind: 'request', requests: 3, failures: 0, p50Ms: 21, p95Ms: 30, totalMs: 70 },
    { name: 'list invoices', kind: 'request', requests: 3, failures: 1, p50Ms: 12, p95Ms: 48, totalMs: 60 },
    { name: 'create invoice', kind: 'request', requests: 2, failures: 1, p50Ms: 35, p95Ms: 35, totalMs: 70 },
    { name: 'read it back', kind: 'request', requests: 0, failures: 0, p50Ms: 0, p95Ms: 0, totalMs: 0 },
  ],
  firstFailure: {
    step: 'create invoice',
    round: 3,
    transient: false,
    message: 'status 500, expected 201',
    request: { method: 'POST', path: '/api/invoices/', headers: { cookie: '***', 'x-csrftoken': '***' } },
    status: 500,
    responseExcerpt: '<h1>IntegrityError</h1>\nnull value in column "customer_id" & more\u0000',
  },
  tolerated: [{ step: 'list invoices', round: 2, transient: true, message: 'status 503, expected 2xx or 3xx', status: 503 }],
};

describe('smoke reports', () => {
  it('prints a verdict, a table per step and the failure in full for the job log', () => {
    expect(formatSmokeResult(failed)).toBe(`smoke test FAILED: failed: step "create invoice" in round 3: status 500, expected 201
target: https://dev.invoice.example.com
3 rounds in 10.4 s, 14 requests, 2 failures (1 tolerated), p95 48 ms (limit 800 ms)

step            requests  failures  p50 ms  p95 ms
log in                 3         0      21      30
list invoices          3         1      12      48
create invoice         2         1      35      35
read it back           0         0       0       0

failure in round 3, step "create invoice": status 500, expected 201
  POST /api/invoices/
  cookie: ***
  x-csrftoken: ***
  -> status 500
  response (start):
    <h1>IntegrityError</h1>
    null value in column "customer_id" & more\u0000
tolerated: round 2, step "list invoices": status 503, expected 2xx or 3xx
`);
  });

  it('writes JUnit with a failure only for the step that failed the run, tolerated ones noted, unreached ones skipped', () => {
    const xml = smokeJunitXml(failed);
    expect(xml).toContain('<testsuites name="rollgate smoke" tests="5" failures="1" errors="0" skipped="1" time="10.412">');
    expect(xml).toContain('<testcase classname="smoke" name="log in" time="0.070"><system-out>3 requests, 0 failed, p50 21 ms, p95 30 ms</system-out></testcase>');
    expect(xml).toContain('<testcase classname="smoke" name="list invoices" time="0.060"><system-out>3 requests, 1 failed, p50 12 ms, p95 48 ms\ntolerated in round 2: status 503, expected 2xx or 3xx</system-out></testcase>');
    expect(xml).toContain('<failure message="status 500, expected 201" type="deterministic">failure in round 3, step "create invoice": status 500, expected 201\n  POST /api/invoices/\n');
    expect(xml).toContain('null value in column "customer_id" &amp; more\uFFFD</failure>');
    expect(xml).toContain('<testcase classname="smoke" name="read it back" time="0.000"><skipped message="the run ended before this step"/>');
    expect(xml).toContain('<testcase classname="smoke" name="p95 latency" time="0.000"><system-out>p95 48 ms over 14 requests, limit 800 ms</system-out></testcase>');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });

  it('fails the p95 testcase when the limit is exceeded, and no step', () => {
    const slow: SmokeResult = { ...failed, message: 'p95 latency 900 ms is above the limit of 800 ms', p95Ms: 900, tolerated: [] };
    delete slow.firstFailure;
    const xml = smokeJunitXml(slow);
    expect(xml).toContain('tests="5" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<testcase classname="smoke" name="p95 latency" time="0.000"><failure message="p95 900 ms over 14 requests, limit 800 ms" type="threshold"/></testcase>');
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });
});

describe('smoke target', () => {
  it('sends a URL target straight to the URL, and a Service one through the API server', () => {
    expect(transportFor({ url: 'https://dev.invoice.example.com/' }).description).toBe('https://dev.invoice.example.com');
    const cluster = { apiServer: 'https://127.0.0.1:6443', namespace: 'invoice-dev', fetch };
    expect(transportFor({ service: 'web', port: 80 }, cluster).description).toBe("service web:80 in namespace invoice-dev (through the API server's service proxy)");
    expect(() => transportFor({ service: 'web', port: 80 })).toThrow('the smoke target is Service web:80, which needs a cluster connection; none was given');
  });
});
