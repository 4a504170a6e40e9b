import { describe, expect, it } from 'vitest';
import { mergeSmoke, readSmokeSection, type SmokeSpec } from '../../src/config/smoke-schema.ts';
import { ConfigReader, parseConfigSource } from '../../src/config/yaml-reader.ts';

/** Reads `smoke:` from a YAML snippet: the spec, and the problems as `line field: message`. */
function readSmoke(yaml: string, variables: Record<string, string> = {}): { spec?: SmokeSpec; problems: string[] } {
  const { source, problems: syntax } = parseConfigSource('rollgate.yml', yaml);
  expect(syntax).toEqual([]);
  const r = new ConfigReader(source, { env: 'dev', variables });
  const top = r.fields(r.root(), ['smoke'] as const)!;
  const spec = mergeSmoke(r, readSmokeSection(r, top.smoke), undefined);
  return { ...(spec ? { spec } : {}), problems: r.problems.items.map((p) => `${p.line} ${p.field}: ${p.message}`) };
}

describe('smoke spec', () => {
  it('reads a URL target, a command step, headers with a captured token and a status list', () => {
    const { spec, problems } = readSmoke(`smoke:
  target: { url: "https://\${env}.invoice.example.com" }
  duration: 30s
  interval: 2s
  maxFailures: 1
  p95Ms: 800
  steps:
    - name: token
      method: post
      path: /api/token/
      json: { username: smoke, password: "\${SMOKE_PASSWORD}" }
      capture: { token: json.access }
    - name: me
      path: /api/me/
      headers: { Authorization: "Bearer {token}" }
      query: { verbose: 1 }
      expect: { status: [200, 203], json: { username: smoke } }
    - name: queue is draining
      command: ["./scripts/queue-depth", "--below", "100"]
`, { SMOKE_PASSWORD: 'pw' });
    expect(problems).toEqual([]);
    expect(spec).toEqual({
      target: { url: 'https://dev.invoice.example.com' },
      durationMs: 30_000,
      intervalMs: 2_000,
      maxFailures: 1,
      p95Ms: 800,
      steps: [
        { kind: 'request', name: 'token', method: 'POST', path: '/api/token/', headers: {}, query: {}, json: { username: 'smoke', password: 'pw' }, expect: {}, capture: { token: 'json.access' } },
        { kind: 'request', name: 'me', method: 'GET', path: '/api/me/', headers: { Authorization: 'Bearer {token}' }, query: { verbose: '1' }, expect: { status: [200, 203], json: { username: 'smoke' } }, capture: {} },
        { kind: 'command', name: 'queue is draining', command: ['./scripts/queue-depth', '--below', '100'] },
      ],
      secrets: ['pw'],
    });
  });

  it.each([
    ['a target that is both', '  target: { service: web, port: 80, url: "http://x" }\n  steps: [{ name: a, path: / }]', ['2 smoke.target: give either service and port, or url, not both']],
    ['no target at all', '  steps: [{ name: a, path: / }]', ['1 smoke.target: missing; smoke needs a target: { service, port } or { url }']],
    ['no steps', '  target: { service: web, port: 80 }', ['1 smoke.steps: missing; smoke needs at least one step']],
    ['an empty step list', '  target: { service: web, port: 80 }\n  steps: []', ['3 smoke.steps: the list is empty; smoke needs at least one step']],
    ['an interval longer than the duration', '  target: { service: web, port: 80 }\n  duration: 5s\n  interval: 10s\n  steps: [{ name: a, path: / }]', ['4 smoke.interval: the interval (10000 ms) is longer than the duration (5000 ms)']],
    ['form and json together', '  target: { service: web, port: 80 }\n  steps:\n    - { name: a, path: /, form: { a: b }, json: { a: b } }', ['4 smoke.steps[0].json: a request sends either form or json, not both']],
    ['two steps with one name', '  target: { service: web, port: 80 }\n  steps:\n    - { name: a, path: / }\n    - { name: a, path: /b }', ['5 smoke.steps[1].name: another step is already named "a"']],
    ['a Service name that is not one', '  target: { service: Web_App, port: 80 }\n  steps: [{ name: a, path: / }]', ['2 smoke.target.service: "Web_App" is not a Service name (lowercase letters, digits and -, at most 63)']],
    ['a capture used before it is made', '  target: { service: web, port: 80 }\n  steps:\n    - { name: a, path: "/{id}" }\n    - { name: b, path: /, capture: { id: json.id } }', ['4 smoke.steps[0].path: {id} is not captured by an earlier step']],
  ])('reports %s', (_, body, expected) => {
    const { spec, problems } = readSmoke(`smoke:\n${body}\n`);
    expect(problems).toEqual(expected);
    if (!expected.some((p) => p.includes('interval') || p.includes('already named') || p.includes('not captured'))) expect(spec).toBeUndefined();
  });
});
