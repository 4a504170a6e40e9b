// Issue 8, item 4: secrets never leak. Deploys that pass and that fail (a crash that is reverted, a smoke test that
// fails) run with every kind of credential rollgate handles set:
//   - a registry password: the registry is the real one behind Bearer tokens from a token server; docker and rollgate
//     find the password in DOCKER_CONFIG's auths (the kubelet pulls anonymously, as the token server allows);
//   - the kubeconfig's bearer token: the API emulator answers nothing without it (the action gets the kubeconfig
//     itself as its kubeconfig-contents input);
//   - Secret manifests, with stringData and with data, whose values change from one release to the next (so the
//     diff preview and the restore both handle them);
//   - smoke credentials: `${SMOKE_PASSWORD}` in a form field and a query, `${SMOKE_API_KEY}` in headers.
// Everything a person or a later job can see is scanned for each value, raw and in the encodings it could be
// printed in (base64, URL and form encoding): stdout, stderr (--verbose, so debug lines too), the result JSON,
// dotenv, JUnit and summary files, and for the action (`node src/index.ts`, run as the runner runs it) its
// workflow commands (annotations, groups), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_STATE.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { ACTION_INPUTS } from '../../src/config/inputs.ts';
import { basicAuthorization } from '../../src/registry/auth.ts';
import { selfSignedCertificate } from '../registry/certificate.ts';
import { startTokenServer, type TokenServer } from '../registry/token-server.ts';
import { startRegistry, type RunningRegistry } from '../sandbox/registry.ts';
import { READ_STEP, SECRET_VALUE, SHA, useDeploySandbox, type Project } from '../e2e/deploy-sandbox.ts';

const t = useDeploySandbox();
const ROOT = resolve(import.meta.dirname, '../..');
const USER = 'ci';
const unique = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

/** Every secret of the runs, by what it is. The kubeconfig token is the sandbox's own, known once it runs. */
const SECRETS: Record<string, string> = {
  'registry password': unique('reg-pass'),
  'Secret stringData, v1': unique('db-pass-v1'),
  'Secret stringData, v2': unique('db-pass-v2'),
  'Secret data, v1': unique('api-key-v1'),
  'Secret data, v2': unique('api-key-v2'),
  'the e2e Secret': SECRET_VALUE,
  // Characters that URL, form and JSON encodings change: the redaction must catch each form.
  'smoke password': `${unique('sm0ke pass')}/&x=1+ü`,
  'smoke API key': unique('smoke-key'),
};

/** The forms a value can take in what rollgate prints or writes. */
function forms(value: string): Record<string, string> {
  return {
    raw: value,
    base64: Buffer.from(value).toString('base64'),
    'URL-encoded': encodeURIComponent(value),
    'form-encoded': new URLSearchParams({ v: value }).toString().slice(2),
  };
}

/** `<where>: <secret> (<form>)` for each secret form found in each text. */
function leaks(texts: Record<string, string>): string[] {
  const secrets = { ...SECRETS, 'registry auth (user:password)': `${USER}:${SECRETS['registry password']}` };
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, value] of Object.entries(secrets)) {
      for (const [form, encoded] of Object.entries(forms(value))) if (text.includes(encoded)) found.push(`${where}: ${name} (${form})`);
    }
  }
  return [...new Set(found)];
}

let tokens: TokenServer;
let registry: RunningRegistry;
let dockerConfig: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(inject('sandboxDir'), 'secrets-'));
  const signer = selfSignedCertificate(dir, 'token-signer');
  tokens = await startTokenServer({ signer, service: 'secrets-registry', issuer: 'secrets-issuer', users: { [USER]: SECRETS['registry password']! } });
  registry = await startRegistry({ dir, token: { realm: tokens.realm, service: 'secrets-registry', issuer: 'secrets-issuer', rootCertBundle: signer.certFile } });
  dockerConfig = join(dir, 'docker-config');
  mkdirSync(dockerConfig);
  const auth = Buffer.from(`${USER}:${SECRETS['registry password']}`).toString('base64');
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }), { mode: 0o600 });
  SECRETS['kubeconfig token'] = t.sandbox.api.token;
});
afterAll(async () => {
  await registry?.stop();
  await tokens?.close();
});

const environment = () => ({ ...t.env(), DOCKER_CONFIG: dockerConfig, SMOKE_PASSWORD: SECRETS['smoke password']!, SMOKE_API_KEY: SECRETS['smoke API key']! });

const LOG_IN = {
  name: 'log in',
  method: 'POST',
  path: '/login',
  headers: { 'X-Api-Key': '${SMOKE_API_KEY}' },
  form: { user: 'smoke', password: '${SMOKE_PASSWORD}' },
  // busybox httpd runs no CGI: it answers a POST 501. A release whose login "works" expects that.
  expect: { status: [501] },
};
const READ_WITH_TOKEN = {
  name: 'read with a token',
  method: 'GET',
  path: '/index.html',
  query: { token: '${SMOKE_PASSWORD}' },
  headers: { 'X-Auth-Token': 'Bearer ${SMOKE_API_KEY}' },
  expect: { status: [200], body: 'hello' },
};

type Release = 'v1' | 'v2';

/** The project's rollgate.yml and its Secrets (stringData and data) for a release. */
function writeRelease(p: Project, release: Release, options: { mode: 'good' | 'crash'; smokePasses: boolean }): void {
  // A failing read prints its request: the query with the password, the header with the key.
  const read = options.smokePasses ? READ_WITH_TOKEN : { ...READ_WITH_TOKEN, expect: { status: [201] } };
  p.write({ mode: options.mode, greeting: `hello ${release}`, smoke: { duration: '1s', interval: '1s', steps: [READ_STEP, LOG_IN, read] } });
  const secrets = [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-credentials' }, stringData: { DB_PASSWORD: SECRETS[`Secret stringData, ${release}`] } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-keys' }, type: 'Opaque', data: { API_KEY: Buffer.from(SECRETS[`Secret data, ${release}`]!).toString('base64') } },
  ];
  writeFileSync(join(p.dir, 'k8s', 'secrets.yaml'), secrets.map((s) => stringify(s)).join('---\n'));
}

interface Outputs {
  code: number | null;
  /** Everything the run printed or wrote that anyone can read, by where it is. */
  texts: Record<string, string>;
  /** The action's `::add-mask::` commands: values handed to the runner to hide, never shown themselves. */
  masked?: string;
}

function spawnNode(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const reportFiles = (p: Project, version: string) => Object.fromEntries(['json', 'summary', 'dotenv', 'junit'].map((kind) => [kind, join(p.dir, `${version}.${kind}`)]));

function readAll(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([, f]) => existsSync(f)).map(([kind, f]) => [kind, readFileSync(f, 'utf8')]));
}

/** `rollgate deploy` as a shell runs it, with every report file and debug logging. */
async function cliDeploy(p: Project, version: string): Promise<Outputs> {
  const files = reportFiles(p, version);
  const argv = ['deploy', '-c', p.configPath, '--env', 'dev', '--version', version, '--kubeconfig', t.sandbox.kubeconfigPath, '--verbose', ...Object.entries(files).flatMap(([kind, f]) => [`--${kind}`, f])];
  const run = await spawnNode([join(ROOT, 'src/cli.ts'), ...argv], environment(), p.dir);
  return { code: run.code, texts: { stdout: run.stdout, stderr: run.stderr, ...readAll(files) } };
}

/** The action's main step as the runner runs it: inputs as INPUT_* (defaults from action.yml), files for outputs. */
async function actionDeploy(p: Project, version: string): Promise<Outputs> {
  const dir = mkdtempSync(join(p.dir, 'runner-'));
  const runnerFiles = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_STATE: join(dir, 'state') };
  for (const f of Object.values(runnerFiles)) writeFileSync(f, '');
  const inputs: Record<string, string> = {
    command: 'deploy',
    config: 'rollgate.yml',
    env: 'dev',
    version,
    'kubeconfig-contents': readFileSync(t.sandbox.kubeconfigPath, 'utf8'),
    verbose: 'true',
    json: `${version}.json`,
    dotenv: `${version}.dotenv`,
    junit: `${version}.junit`,
  };
  const env: Record<string, string> = { ...environment(), ...runnerFiles, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: p.dir, GITHUB_SHA: SHA, RUNNER_TEMP: t.runnerTemp };
  for (const [name, input] of Object.entries(ACTION_INPUTS)) env[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] = inputs[name] ?? input.default;
  const run = await spawnNode([join(ROOT, 'src/index.ts')], env, p.dir);
  // `::add-mask::` hands a value to the runner to hide; the runner never shows the command itself.
  const lines = run.stdout.split('\n');
  const stdout = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
  const { summary: _, ...files } = reportFiles(p, version);
  return {
    code: run.code,
    masked: lines.filter((l) => l.startsWith('::add-mask::')).join('\n'),
    texts: {
      'stdout (log lines, annotations)': stdout,
      stderr: run.stderr,
      ...Object.fromEntries(Object.entries(runnerFiles).map(([name, f]) => [name, readFileSync(f, 'utf8')])),
      ...readAll(files),
    },
  };
}

/** What a failed expectation shows: the run's log and its one-line message. */
const why = (out: Outputs) => `${out.texts.stderr}\n${out.texts['stdout (log lines, annotations)'] ?? ''}\n${(result(out) as { message?: string }).message}`;

const result = (out: Outputs) => JSON.parse(out.texts.json ?? '{}') as { outcome?: string; failedStage?: string; smoke?: { message?: string } };

describe('secrets never leak', () => {
  let p: Project;

  it('a first deploy that passes: through the registry behind auth, the API server behind a token', async () => {
    p = t.project('leak', { registry: registry.host });
    writeRelease(p, 'v1', { mode: 'good', smokePasses: true });
    tokens.requests.length = 0;
    const out = await cliDeploy(p, 'v1.0.0');

    expect(out.code, why(out)).toBe(0);
    expect(result(out).outcome).toBe('deployed');
    // The password was used: docker's push and rollgate's client got push tokens as the user.
    expect(tokens.requests.filter((r) => r.who === USER && r.granted.some((g) => g.endsWith(':push'))).length).toBeGreaterThan(0);
    expect(Object.keys(out.texts).sort()).toEqual(['dotenv', 'json', 'junit', 'stderr', 'stdout', 'summary']);
    expect(leaks(out.texts)).toEqual([]);
  });

  it('a release that crashes and is reverted, its Secrets changed and put back', async () => {
    writeRelease(p, 'v2', { mode: 'crash', smokePasses: true });
    const out = await cliDeploy(p, 'v2.0.0');

    expect(out.code, why(out)).toBe(1);
    expect(result(out)).toMatchObject({ outcome: 'reverted', failedStage: 'rollout' });
    // The diff preview named the changed keys, and no value (stringData compared as the data the server makes of
    // it); the restore wrote both Secrets back.
    expect(out.texts.stderr).toContain(`~ Secret ${p.namespace}/app-keys\n      ~ key API_KEY (value hidden)`);
    expect(out.texts.stderr).toContain(`~ Secret ${p.namespace}/app-credentials\n      ~ key DB_PASSWORD (value hidden)`);
    expect(out.texts.stderr).toContain(`restore: Secret ${p.namespace}/app-credentials put back`);
    expect(leaks(out.texts)).toEqual([]);
  });

  it('a release whose smoke test fails on the request carrying the credentials, and is reverted', async () => {
    writeRelease(p, 'v2', { mode: 'good', smokePasses: false });
    const out = await cliDeploy(p, 'v2.0.1');

    expect(out.code, why(out)).toBe(1);
    expect(result(out)).toMatchObject({ outcome: 'reverted', failedStage: 'smoke' });
    expect(result(out).smoke?.message).toContain('step "read with a token"');
    // The failing request is printed, the credentials in it hidden: where a leak would be, the mask is.
    for (const where of ['stderr', 'junit'] as const) {
      expect(out.texts[where]).toContain('GET /index.html?token=***');
      expect(out.texts[where]).toContain('x-auth-token: ***');
    }
    expect(leaks(out.texts)).toEqual([]);
  });

  it('the action: a deploy that passes, with the kubeconfig given as an input', async () => {
    writeRelease(p, 'v2', { mode: 'good', smokePasses: true });
    const out = await actionDeploy(p, 'v2.0.2');

    expect(out.code, why(out)).toBe(0);
    expect(result(out).outcome).toBe('deployed');
    expect(out.texts.GITHUB_OUTPUT).toContain('outcome');
    expect(out.texts.GITHUB_STEP_SUMMARY).not.toBe('');
    expect(leaks(out.texts)).toEqual([]);
    // The one place the token is handed over, the mask command, is where the scan finds it.
    expect(leaks({ '::add-mask::': out.masked! })).toContain('::add-mask::: kubeconfig token (raw)');
  });

  it('the action: a release that crashes and is reverted, with its error annotations', async () => {
    writeRelease(p, 'v1', { mode: 'crash', smokePasses: true });
    const out = await actionDeploy(p, 'v3.0.0');

    expect(out.code, why(out)).toBe(1);
    expect(result(out)).toMatchObject({ outcome: 'reverted', failedStage: 'rollout' });
    expect(out.texts['stdout (log lines, annotations)']).toMatch(/^::error/m);
    expect(leaks(out.texts)).toEqual([]);
  });
});
