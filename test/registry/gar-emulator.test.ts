// The GAR emulator against a client nobody here wrote: @google-cloud/artifact-registry in REST mode. If the
// library can move and read tags through it, the emulator speaks the paths and JSON the real API does.
import { randomUUID } from 'node:crypto';
import { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import gax from 'google-gax';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pushTinyImage, startGarEmulator, type GarEmulator } from '../sandbox/gar-emulator.ts';

const TOKEN = 'emulator-token';
const REPO = 'projects/acme/locations/us/repositories/apps';
const LOCKED = 'projects/acme/locations/us/repositories/locked';
const MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

let emulator: GarEmulator;
let client: ArtifactRegistryClient;
const registryHost = inject('registryHost');

function clientWith(token: string): ArtifactRegistryClient {
  const authClient = new gax.googleAuthLibrary.OAuth2Client();
  authClient.setCredentials({ access_token: token });
  const { hostname, port } = new URL(emulator.url);
  return new ArtifactRegistryClient({ fallback: true, apiEndpoint: hostname, port: Number(port), protocol: 'http', authClient });
}

/** An image with tags `a` and `b` on two different digests, in the local registry behind the emulator. */
async function seed(image: string, repository = 'apps') {
  const path = `acme/${repository}/${image}`;
  const a = await pushTinyImage(registryHost, path, 'a', `${image}-a`);
  const b = await pushTinyImage(registryHost, path, 'b', `${image}-b`);
  const pkg = `projects/acme/locations/us/repositories/${repository}/packages/${encodeURIComponent(image)}`;
  return { path, a, b, pkg, version: (d: string) => `${pkg}/versions/${d}` };
}

async function registryDigest(path: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${registryHost}/v2/${path}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MEDIA_TYPES.join(', ') } });
  return res.status === 200 ? res.headers.get('docker-content-digest') : null;
}

async function codeOf(pending: Promise<unknown>): Promise<number | undefined> {
  try {
    await pending;
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
}

beforeAll(async () => {
  emulator = await startGarEmulator({
    registryHost,
    accessToken: TOKEN,
    repositories: [
      { project: 'acme', location: 'us', repository: 'apps' },
      { project: 'acme', location: 'us', repository: 'locked', immutableTags: true },
    ],
  });
  client = clientWith(TOKEN);
});

afterAll(async () => {
  await client?.close();
  await emulator?.stop();
});

describe('GAR emulator, driven by @google-cloud/artifact-registry (REST)', () => {
  it('describes repositories as Docker repositories with their immutable-tags setting', async () => {
    const [apps] = await client.getRepository({ name: REPO });
    const [locked] = await client.getRepository({ name: LOCKED });
    expect(apps).toMatchObject({ name: REPO, format: 'DOCKER', mode: 'STANDARD_REPOSITORY' });
    expect(apps.dockerConfig?.immutableTags).toBe(false);
    expect(locked.dockerConfig?.immutableTags).toBe(true);
    const [all] = await client.listRepositories({ parent: 'projects/acme/locations/us' });
    expect(all.map((r) => r.name)).toEqual([REPO, LOCKED]);
    expect(await codeOf(client.getRepository({ name: 'projects/acme/locations/us/repositories/nope' }))).toBe(5);
  });

  it('creates, moves and deletes a tag, and the registry behind it follows', async () => {
    const img = await seed(`web-${randomUUID().slice(0, 8)}`);
    const [created] = await client.createTag({ parent: img.pkg, tagId: 'dev', tag: { name: `${img.pkg}/tags/dev`, version: img.version(img.a) } });
    expect(created).toMatchObject({ name: `${img.pkg}/tags/dev`, version: img.version(img.a) });
    expect(await registryDigest(img.path, 'dev')).toBe(img.a);

    await client.updateTag({ tag: { name: `${img.pkg}/tags/dev`, version: img.version(img.b) }, updateMask: { paths: ['version'] } });
    expect(await registryDigest(img.path, 'dev')).toBe(img.b);
    const [tag] = await client.getTag({ name: `${img.pkg}/tags/dev` });
    expect(tag.version).toBe(img.version(img.b));

    await client.deleteTag({ name: `${img.pkg}/tags/dev` });
    expect(await codeOf(client.getTag({ name: `${img.pkg}/tags/dev` }))).toBe(5);
    const [tags] = await client.listTags({ parent: img.pkg });
    expect(tags.map((t) => t.name)).toEqual([`${img.pkg}/tags/a`, `${img.pkg}/tags/b`]);
  });

  it('answers with the error codes of the real API', async () => {
    const img = await seed(`err-${randomUUID().slice(0, 8)}`);
    const locked = await seed(`img-${randomUUID().slice(0, 8)}`, 'locked');
    const tag = (pkg: string, t: string, v: string) => ({ name: `${pkg}/tags/${t}`, version: v });
    expect(await codeOf(client.getTag({ name: `${img.pkg}/tags/missing` }))).toBe(5); // NOT_FOUND
    expect(await codeOf(client.createTag({ parent: img.pkg, tagId: 'a', tag: tag(img.pkg, 'a', img.version(img.b)) }))).toBe(6); // ALREADY_EXISTS
    expect(await codeOf(client.createTag({ parent: img.pkg, tagId: 'x', tag: tag(img.pkg, 'x', img.version(`sha256:${'0'.repeat(64)}`)) }))).toBe(5);
    const update = client.updateTag({ tag: tag(locked.pkg, 'a', locked.version(locked.b)), updateMask: { paths: ['version'] } });
    expect(await codeOf(update)).toBe(9); // FAILED_PRECONDITION
    expect(await codeOf(client.deleteTag({ name: `${locked.pkg}/tags/a` }))).toBe(9);
    expect(await registryDigest(locked.path, 'a')).toBe(locked.a);
    // A new tag in an immutable repository is allowed: nothing is modified.
    await client.createTag({ parent: locked.pkg, tagId: 'c', tag: tag(locked.pkg, 'c', locked.version(locked.b)) });
    expect(await registryDigest(locked.path, 'c')).toBe(locked.b);

    const stranger = clientWith('wrong-token');
    try {
      expect(await codeOf(stranger.getTag({ name: `${img.pkg}/tags/a` }))).toBe(16); // UNAUTHENTICATED
    } finally {
      await stranger.close();
    }
  });

  it('escapes the slashes of a nested image path the way the client sends them', async () => {
    const img = await seed(`team-${randomUUID().slice(0, 8)}/web`);
    expect(img.pkg).toMatch(/packages\/team-[0-9a-f]+%2Fweb$/);
    const before = emulator.requests.length;
    const [tag] = await client.getTag({ name: `${img.pkg}/tags/a` });
    expect(tag.version).toBe(img.version(img.a));
    // On the wire the escaped package ID is percent-encoded once more.
    expect(emulator.requests[before]?.url).toMatch(/\/packages\/team-[0-9a-f]+%252Fweb\/tags\/a\?/);
    const [packages] = await client.listPackages({ parent: REPO });
    expect(packages.map((p) => p.name)).toContain(img.pkg);
  });

  it('pages through tag lists with the client doing the paging', async () => {
    const img = await seed(`many-${randomUUID().slice(0, 8)}`);
    for (const t of ['c', 'd', 'e']) {
      await client.createTag({ parent: img.pkg, tagId: t, tag: { name: `${img.pkg}/tags/${t}`, version: img.version(img.a) } });
    }
    const names: string[] = [];
    for await (const t of client.listTagsAsync({ parent: img.pkg, pageSize: 2 })) names.push(t.name ?? '');
    expect(names.map((n) => n.split('/').pop())).toEqual(['a', 'b', 'c', 'd', 'e']);
    const pages = emulator.requests.filter((r) => r.url.includes(`/packages/${img.path.split('/')[2]}/tags?pageSize=2`));
    expect(pages).toHaveLength(3);
    const [byVersion] = await client.listTags({ parent: img.pkg, filter: `version="${img.version(img.b)}"` });
    expect(byVersion.map((t) => t.name)).toEqual([`${img.pkg}/tags/b`]);
  });

  it('serves versions with their related tags', async () => {
    const img = await seed(`ver-${randomUUID().slice(0, 8)}`);
    const [version] = await client.getVersion({ name: img.version(img.a), view: 'FULL' });
    expect(version.name).toBe(img.version(img.a));
    expect(version.relatedTags?.map((t) => t.name)).toEqual([`${img.pkg}/tags/a`]);
    const [versions] = await client.listVersions({ parent: img.pkg });
    expect(versions.map((v) => v.name).sort()).toEqual([img.version(img.a), img.version(img.b)].sort());
  });
});

describe('GAR emulator, Docker registry face', () => {
  it('answers 404 to a manifest request whose Accept lacks the manifest media type, like GAR', async () => {
    const img = await seed(`accept-${randomUUID().slice(0, 8)}`);
    const head = (accept: string) => fetch(`${emulator.url}/v2/${img.path}/manifests/a`, { method: 'HEAD', headers: { accept } });
    expect((await head('application/vnd.docker.distribution.manifest.v2+json')).status).toBe(404);
    const ok = await head(MEDIA_TYPES.join(', '));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('docker-content-digest')).toBe(img.a);
  });

  it('hides a tag deleted through the API until it is pushed again', async () => {
    const img = await seed(`gone-${randomUUID().slice(0, 8)}`);
    await client.deleteTag({ name: `${img.pkg}/tags/b` });
    const head = () => fetch(`${emulator.url}/v2/${img.path}/manifests/b`, { method: 'HEAD', headers: { accept: MEDIA_TYPES.join(', ') } });
    expect((await head()).status).toBe(404);
    const list = (await (await fetch(`${emulator.url}/v2/${img.path}/tags/list`)).json()) as { tags: string[] };
    expect(list.tags).toEqual(['a']);
    const manifest = await fetch(`${emulator.url}/v2/${img.path}/manifests/${img.b}`, { headers: { accept: MEDIA_TYPES.join(', ') } });
    const put = await fetch(`${emulator.url}/v2/${img.path}/manifests/b`, {
      method: 'PUT',
      headers: { 'content-type': manifest.headers.get('content-type')! },
      body: Buffer.from(await manifest.arrayBuffer()),
    });
    expect(put.status).toBe(201);
    expect((await head()).status).toBe(200);
  });

  it('knows only the configured repositories', async () => {
    const res = await fetch(`${emulator.url}/v2/acme/unknown/web/tags/list`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('NAME_UNKNOWN');
  });
});
