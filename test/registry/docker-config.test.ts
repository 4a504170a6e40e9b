import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authKeyHost, credentialsOfEntry, credentialsOfHelperOutput, DockerCredentialStore } from '../../src/registry/docker-config.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('authKeyHost', () => {
  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['http://reg.local:5000/v2/', 'reg.local:5000'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['US-Docker.pkg.dev', 'us-docker.pkg.dev'],
  ])('%s -> %s', (key, host) => {
    expect(authKeyHost(key)).toBe(host);
  });
});

describe('credentialsOfEntry', () => {
  it.each([
    ['base64 auth', { auth: b64('ci:pa:ss') }, { kind: 'basic', username: 'ci', password: 'pa:ss' }],
    ['username and password', { username: 'ci', password: 'pw' }, { kind: 'basic', username: 'ci', password: 'pw' }],
    ['an identity token', { auth: b64('<token>:'), identitytoken: 'refresh' }, { kind: 'identity-token', token: 'refresh' }],
    ['a credsStore marker', {}, undefined],
  ])('%s', (_, entry, expected) => {
    expect(credentialsOfEntry(entry, 'config.json')).toEqual(expected);
  });

  it('names the entry whose auth is not user:password', () => {
    expect(() => credentialsOfEntry({ auth: b64('nocolon') }, 'config.json: auths["x"]')).toThrow(
      'config.json: auths["x"]: "auth" is not base64 of "username:password"',
    );
  });
});

describe('credentialsOfHelperOutput', () => {
  it.each([
    ['gcloud', '{"Username":"oauth2accesstoken","Secret":"ya29.x"}', { kind: 'basic', username: 'oauth2accesstoken', password: 'ya29.x' }],
    ['an identity token', '{"ServerURL":"r","Username":"<token>","Secret":"refresh"}', { kind: 'identity-token', token: 'refresh' }],
  ])('%s', (_, stdout, expected) => {
    expect(credentialsOfHelperOutput(stdout, 'x')).toEqual(expected);
  });

  it.each([
    ['not JSON', 'oops', 'docker-credential-x printed something that is not JSON'],
    ['no secret', '{"Username":"u"}', 'docker-credential-x returned no Secret'],
  ])('refuses %s', (_, stdout, message) => {
    expect(() => credentialsOfHelperOutput(stdout, 'x')).toThrow(message);
  });
});

describe('DockerCredentialStore', () => {
  function store(config: object | string, helpers: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'rollgate-docker-config-'));
    writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
    for (const [name, body] of Object.entries(helpers)) {
      writeFileSync(join(dir, `docker-credential-${name}`), `#!/bin/sh\nread server\n${body}\n`);
      chmodSync(join(dir, `docker-credential-${name}`), 0o755);
    }
    return { dir, store: new DockerCredentialStore({ configDir: dir, env: { PATH: `${dir}:/usr/bin:/bin` } }) };
  }

  it('prefers a host credHelper over its auths entry', async () => {
    const { store: s } = store(
      { auths: { 'reg.example': { auth: b64('file:pw') } }, credHelpers: { 'reg.example': 'h' } },
      { h: `echo '{"Username":"helper","Secret":"from-'$server'"}'` },
    );
    expect(await s.lookup('reg.example')).toEqual({
      credentials: { kind: 'basic', username: 'helper', password: 'from-reg.example' },
      source: 'docker-credential-h',
    });
  });

  it('reads auths before the credsStore, and asks the store for the rest', async () => {
    const { store: s, dir } = store(
      { auths: { 'a.example': { auth: b64('file:pw') }, 'b.example': {} }, credsStore: 'desk' },
      { desk: `echo '{"Username":"store","Secret":"s"}'` },
    );
    expect(await s.lookup('a.example')).toEqual({ credentials: { kind: 'basic', username: 'file', password: 'pw' }, source: `${dir}/config.json auths` });
    expect((await s.lookup('b.example'))?.source).toBe('docker-credential-desk');
  });

  it('hands Docker Hub helpers the v1 index URL', async () => {
    const { store: s } = store({ credsStore: 'desk' }, { desk: `[ "$server" = https://index.docker.io/v1/ ] && echo '{"Username":"hub","Secret":"s"}'` });
    expect((await s.lookup('docker.io'))?.credentials).toEqual({ kind: 'basic', username: 'hub', password: 's' });
  });

  it('finds nothing, quietly, without a config file', async () => {
    const s = new DockerCredentialStore({ configDir: mkdtempSync(join(tmpdir(), 'rollgate-empty-')) });
    expect(await s.lookup('reg.example')).toBeUndefined();
  });

  it('names the file that is not JSON', async () => {
    const { store: s, dir } = store('{ nope');
    await expect(s.lookup('reg.example')).rejects.toThrow(`${dir}/config.json: not valid JSON`);
  });

  it('reports a failing helper by its first line of stderr, with the exit code', async () => {
    const { store: s } = store({ credHelpers: { 'reg.example': 'bad' } }, { bad: 'echo "token expired, run gcloud auth login" >&2; exit 3' });
    await expect(s.lookup('reg.example')).rejects.toThrow('docker-credential-bad get for reg.example failed (exit 3): token expired, run gcloud auth login');
  });

  it('asks a helper once per host', async () => {
    const { store: s, dir } = store({ credHelpers: { 'reg.example': 'count' } }, { count: `echo x >> "${'$0'}.calls"; echo '{"Username":"u","Secret":"s"}'` });
    await Promise.all([s.lookup('reg.example'), s.lookup('reg.example')]);
    await s.lookup('reg.example');
    expect(readFileSync(join(dir, 'docker-credential-count.calls'), 'utf8')).toBe('x\n');
  });
});
