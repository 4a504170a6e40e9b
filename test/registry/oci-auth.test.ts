// Authentication against real registries: Basic (htpasswd) with credentials from every place the docker CLI
// keeps them, and Bearer tokens from our token server that the registry itself verifies.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { basicAuthorization } from '../../src/registry/auth.ts';
import { OciRegistry, type OciRegistryOptions } from '../../src/registry/oci-client.ts';
import { startRegistry, type RunningRegistry } from '../sandbox/registry.ts';
import { selfSignedCertificate } from './certificate.ts';
import { pushImage, tagDigest, uniqueRepository } from './images.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';

const USER = 'ci';
const PASSWORD = 's3cret-pass';

function dockerConfig(dir: string, config: object): string {
  const folder = mkdtempSync(join(dir, 'docker-config-'));
  writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
  return folder;
}

/** A `docker-credential-<name>` on PATH that answers `get` for `host` only, like the real helpers. */
function credentialHelper(dir: string, name: string, host: string, answer: { Username: string; Secret: string }): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(dir, 'bin-'));
  const script = join(bin, `docker-credential-${name}`);
  writeFileSync(
    script,
    `#!/bin/sh
[ "$1" = get ] || exit 2
read server
if [ "$server" != "${host}" ]; then echo "credentials not found in native keychain"; exit 1; fi
echo '${JSON.stringify({ ServerURL: host, ...answer })}'
`,
  );
  chmodSync(script, 0o755);
  return { ...process.env, PATH: `${bin}:${process.env.PATH}` };
}

describe('Basic auth (htpasswd registry)', () => {
  const dir = join(inject('sandboxDir'), 'registry-basic');
  let registry: RunningRegistry;
  let repo: string;
  let digest: string;
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    registry = await startRegistry({ dir, users: { [USER]: PASSWORD } });
    repo = uniqueRepository('basic');
    digest = (await pushImage(registry.host, repo, 'v1', 1024, { authorization: basicAuthorization(USER, PASSWORD) })).digest;
  });
  afterAll(() => registry.stop());

  const client = (options: OciRegistryOptions) => new OciRegistry({ dockerConfigDir: dockerConfig(dir, {}), ...options });

  it.each([
    ['auths with base64 auth', () => ({ dockerConfigDir: dockerConfig(dir, { auths: { [registry.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } }) })],
    ['auths with username and password, keyed by URL', () => ({ dockerConfigDir: dockerConfig(dir, { auths: { [`http://${registry.host}/v2/`]: { username: USER, password: PASSWORD } } }) })],
    ['a credHelper on PATH', () => ({
      dockerConfigDir: dockerConfig(dir, { credHelpers: { [registry.host]: 'fake' } }),
      env: credentialHelper(dir, 'fake', registry.host, { Username: USER, Secret: PASSWORD }),
    })],
    ['the credsStore', () => ({
      dockerConfigDir: dockerConfig(dir, { credsStore: 'store' }),
      env: credentialHelper(dir, 'store', registry.host, { Username: USER, Secret: PASSWORD }),
    })],
    ['given credentials over a wrong password in the Docker config', () => ({
      dockerConfigDir: dockerConfig(dir, { auths: { [registry.host]: { username: USER, password: 'wrong' } } }),
      credentials: { [registry.host]: { kind: 'basic' as const, username: USER, password: PASSWORD } },
    })],
  ])('moves a tag with credentials from %s', async (_, options) => {
    const oci = client(options());
    await oci.moveTag(`${registry.host}/${repo}`, 'dev', digest);
    expect(await tagDigest(registry.host, repo, 'dev', { authorization: basicAuthorization(USER, PASSWORD) })).toBe(digest);
  });

  it('answers the first 401 once, then sends Basic credentials up front', async () => {
    const oci = client({ credentials: { [registry.host]: { kind: 'basic', username: USER, password: PASSWORD } } });
    await oci.resolve(`${registry.host}/${repo}`, 'v1');
    expect(oci.requestCount).toBe(2); // 401, then the same HEAD with credentials
    await oci.moveTag(`${registry.host}/${repo}`, 'stg', digest);
    expect(oci.requestCount).toBe(4); // GET + PUT, no more 401s
  });

  it('says no credentials were found, without guessing', async () => {
    await expect(client({}).resolve(`${registry.host}/${repo}`, 'v1')).rejects.toThrow(
      `registry ${registry.host}: HEAD ${repo}/manifests/v1: 401 Unauthorized; no credentials found for this host`,
    );
  });

  it('treats a helper that holds nothing for the host as no credentials', async () => {
    const oci = client({
      dockerConfigDir: dockerConfig(dir, { credHelpers: { [registry.host]: 'other' } }),
      env: credentialHelper(dir, 'other', 'elsewhere.example', { Username: USER, Secret: PASSWORD }),
    });
    await expect(oci.resolve(`${registry.host}/${repo}`, 'v1')).rejects.toThrow('no credentials found for this host');
  });

  it('names where refused credentials came from, never the password', async () => {
    const configDir = dockerConfig(dir, { auths: { [registry.host]: { username: USER, password: 'wrong-password' } } });
    const error = await client({ dockerConfigDir: configDir }).resolve(`${registry.host}/${repo}`, 'v1').catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `registry ${registry.host}: HEAD ${repo}/manifests/v1: 401 Unauthorized; credentials from ${configDir}/config.json auths were refused`,
    );
    expect((error as Error).message).not.toContain('wrong-password');
  });

  it('names a credential helper that is not installed', async () => {
    const oci = client({ dockerConfigDir: dockerConfig(dir, { credHelpers: { [registry.host]: 'missing' } }) });
    await expect(oci.resolve(`${registry.host}/${repo}`, 'v1')).rejects.toThrow('credential helper docker-credential-missing is not on PATH');
  });
});

describe('Bearer tokens (registry with token auth)', () => {
  const dir = join(inject('sandboxDir'), 'registry-token');
  const service = 'rollgate-test-registry';
  const issuer = 'rollgate-test-issuer';
  let tokens: TokenServer;
  let registry: RunningRegistry;
  let repo: string;
  let images: Array<{ digest: string }>;

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    const signer = selfSignedCertificate(dir, 'token-signer');
    tokens = await startTokenServer({ signer, service, issuer, users: { [USER]: PASSWORD }, refreshTokens: { 'refresh-abc': USER } });
    registry = await startRegistry({ dir, token: { realm: tokens.realm, service, issuer, rootCertBundle: signer.certFile } });
    // Pushed through the client's own token flow, since the registry takes nothing else.
    repo = uniqueRepository('bearer');
    const pusher = await pushWithToken(tokens.realm, service, registry.host, repo);
    images = [await pusher('v1'), await pusher('v2')];
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
  });

  const withCredentials = () => new OciRegistry({
    dockerConfigDir: dockerConfig(dir, {}),
    credentials: { [registry.host]: { kind: 'basic', username: USER, password: PASSWORD } },
  });

  it('gets a pull,push token with Basic credentials, which the registry accepts for a tag move', async () => {
    const oci = withCredentials();
    tokens.requests.length = 0;
    await oci.moveTag(`${registry.host}/${repo}`, 'dev', images[0]!.digest);
    expect(tokens.requests).toEqual([{ method: 'GET', scope: `repository:${repo}:pull,push`, who: USER, granted: [`${repo}:pull`, `${repo}:push`] }]);
    // 401, token, GET again, PUT: establishing auth costs two requests once.
    expect(oci.requestCount).toBe(4);
    expect((await oci.resolve(`${registry.host}/${repo}`, 'dev'))?.digest).toBe(images[0]!.digest);
  });

  it('moves a tag in two requests once the token is cached', async () => {
    const oci = withCredentials();
    await oci.resolve(`${registry.host}/${repo}`, 'v1');
    const before = oci.requestCount;
    tokens.requests.length = 0;
    await oci.moveTag(`${registry.host}/${repo}`, 'stg', images[1]!.digest);
    expect(oci.requestCount - before).toBe(2);
    expect(tokens.requests).toEqual([]);
  });

  it('asks for a token for a second repository up front, without another 401', async () => {
    const oci = withCredentials();
    await oci.resolve(`${registry.host}/${repo}`, 'v1');
    const before = oci.requestCount;
    expect(await oci.resolve(`${registry.host}/test/bearer-none`, 'v1')).toBeUndefined();
    expect(oci.requestCount - before).toBe(2); // token, HEAD
  });

  it('trades an identity token (OAuth2 refresh token) for an access token', async () => {
    const oci = new OciRegistry({ dockerConfigDir: dockerConfig(dir, { auths: { [registry.host]: { identitytoken: 'refresh-abc' } } }) });
    tokens.requests.length = 0;
    await oci.moveTag(`${registry.host}/${repo}`, 'idt', images[1]!.digest);
    expect(tokens.requests).toEqual([{ method: 'POST', scope: `repository:${repo}:pull,push`, who: USER, granted: [`${repo}:pull`, `${repo}:push`] }]);
  });

  it('pulls anonymously, and a push then fails with the registry status', async () => {
    const oci = new OciRegistry({ dockerConfigDir: dockerConfig(dir, {}) });
    expect((await oci.resolve(`${registry.host}/${repo}`, 'v1'))?.digest).toBe(images[0]!.digest);
    await expect(oci.moveTag(`${registry.host}/${repo}`, 'anon', images[0]!.digest)).rejects.toThrow(
      `registry ${registry.host}: PUT ${repo}/manifests/anon: 401 Unauthorized (UNAUTHORIZED); no credentials found for this host`,
    );
  });

  it('names the token server and the credential source when it refuses', async () => {
    const oci = new OciRegistry({ dockerConfigDir: dockerConfig(dir, {}), credentials: { [registry.host]: { kind: 'basic', username: USER, password: 'nope' } } });
    await expect(oci.resolve(`${registry.host}/${repo}`, 'v1')).rejects.toThrow(
      `registry ${registry.host}: token from ${new URL(tokens.realm).host} with given credentials: 401 Unauthorized`,
    );
  });
});

/** Pushes images to the token registry with a token got by hand: the test's own path, not the client's. */
async function pushWithToken(realm: string, service: string, host: string, repo: string) {
  const url = new URL(realm);
  url.searchParams.set('service', service);
  url.searchParams.set('scope', `repository:${repo}:pull,push`);
  const res = await fetch(url, { headers: { authorization: basicAuthorization(USER, PASSWORD) } });
  const { token } = (await res.json()) as { token: string };
  return (tag: string) => pushImage(host, repo, tag, 1024, { authorization: `Bearer ${token}` });
}
