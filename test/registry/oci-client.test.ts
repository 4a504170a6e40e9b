import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy.ts';
import { pushImage, tagDigest, uniqueRepository } from './images.ts';

const MB = 1024 * 1024;

describe('OCI client against the real registry', () => {
  const host = inject('registryHost');
  // Every request goes through the proxy, which counts what reaches the registry.
  let proxy: FaultProxy;
  let registry: OciRegistry;
  beforeAll(async () => {
    proxy = await startFaultProxy(`http://${host}`);
    registry = new OciRegistry();
  });
  afterAll(() => proxy.close());

  describe('resolve', () => {
    const repo = uniqueRepository('resolve');
    let pushed: Awaited<ReturnType<typeof pushImage>>;
    beforeAll(async () => {
      pushed = await pushImage(host, repo, 'v1');
    });

    it('answers a tag with the digest, media type and size of its manifest', async () => {
      expect(await registry.resolve(`${host}/${repo}`, 'v1')).toEqual({
        digest: pushed.digest,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: pushed.manifest.length,
      });
    });

    it('answers a digest with itself', async () => {
      expect((await registry.resolve(`${host}/${repo}`, pushed.digest))?.digest).toBe(pushed.digest);
    });

    it.each([
      ['a missing tag', repo, 'nope'],
      ['a missing digest', repo, `sha256:${'0'.repeat(64)}`],
      ['a missing repository', 'test/never-pushed', 'v1'],
    ])('answers undefined for %s', async (_, repository, reference) => {
      expect(await registry.resolve(`${host}/${repository}`, reference)).toBeUndefined();
    });

    it('falls back to GET and hashes the bytes when a registry leaves Docker-Content-Digest out', async () => {
      const methods: string[] = [];
      const terse = new OciRegistry({
        fetch: async (url, init) => {
          methods.push(init.method ?? 'GET');
          const res = await fetch(url, init);
          const headers = new Headers(res.headers);
          headers.delete('docker-content-digest');
          return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
        },
      });
      expect((await terse.resolve(`${host}/${repo}`, 'v1'))?.digest).toBe(pushed.digest);
      expect(methods).toEqual(['HEAD', 'GET']);
    });

    it('sends one HEAD with every manifest media type', async () => {
      const seen: string[] = [];
      const spy = new OciRegistry({ fetch: (url, init) => (seen.push(new Headers(init.headers).get('accept') ?? ''), fetch(url, init)) });
      await spy.resolve(`${host}/${repo}`, 'v1');
      expect(seen).toHaveLength(1);
      expect(seen[0]!.split(', ').sort()).toEqual([
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json',
      ]);
    });
  });

  describe('moveTag', () => {
    it.each([
      ['10 MB', 10 * MB],
      ['40 MB', 40 * MB],
    ])('moves a tag on a %s image with one manifest GET and one PUT, no layer moving', async (_, size) => {
      const repo = uniqueRepository('move');
      const image = await pushImage(host, repo, 'v1', size);
      proxy.reset();
      await registry.moveTag(`${proxy.host}/${repo}`, 'dev', image.digest);
      expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /v2/${repo}/manifests/${image.digest}`,
        `PUT /v2/${repo}/manifests/dev`,
      ]);
      expect(proxy.requests.length).toBeLessThanOrEqual(3);
      expect(await tagDigest(host, repo, 'dev')).toBe(image.digest);
    });

    it('moves a tag that already points elsewhere', async () => {
      const repo = uniqueRepository('move');
      const [a, b] = [await pushImage(host, repo, 'v1'), await pushImage(host, repo, 'v2')];
      await registry.moveTag(`${host}/${repo}`, 'dev', a.digest);
      await registry.moveTag(`${host}/${repo}`, 'dev', b.digest);
      expect(await tagDigest(host, repo, 'dev')).toBe(b.digest);
      expect(await tagDigest(host, repo, 'v1')).toBe(a.digest);
    });

    it('refuses a digest the registry does not have, naming host, request and status', async () => {
      const repo = uniqueRepository('move');
      await pushImage(host, repo, 'v1');
      const missing = `sha256:${'1'.repeat(64)}`;
      await expect(registry.moveTag(`${host}/${repo}`, 'dev', missing)).rejects.toThrow(
        `registry ${host}: GET ${repo}/manifests/${missing}: 404 Not Found (MANIFEST_UNKNOWN)`,
      );
      expect(await tagDigest(host, repo, 'dev')).toBeUndefined();
    });

    it('refuses manifest bytes that do not match the digest asked for', async () => {
      const repo = uniqueRepository('move');
      const [a, b] = [await pushImage(host, repo, 'v1'), await pushImage(host, repo, 'v2')];
      // A registry (or something in between) that answers with another manifest than the one asked for.
      const lying = new OciRegistry({ fetch: (url, init) => fetch(url.replace(a.digest, b.digest), init) });
      await expect(lying.moveTag(`${host}/${repo}`, 'dev', a.digest)).rejects.toThrow(/content has digest sha256:\w+, not the digest asked for/);
      expect(await tagDigest(host, repo, 'dev')).toBeUndefined();
    });

    it.each([
      ['an invalid tag', 'dev!', `sha256:${'1'.repeat(64)}`, 'not a valid tag: "dev!"'],
      ['a tag instead of a digest', 'dev', 'v1', 'not a digest: "v1"'],
    ])('rejects %s before any request', async (_, tag, digest, message) => {
      proxy.reset();
      await expect(registry.moveTag(`${proxy.host}/test/x`, tag, digest)).rejects.toThrow(message);
      expect(proxy.requests).toEqual([]);
    });
  });

  describe('revertTag (compare-and-swap)', () => {
    async function deployed() {
      const repo = uniqueRepository('revert');
      const [previous, ours] = [await pushImage(host, repo, 'v1'), await pushImage(host, repo, 'v2')];
      await registry.moveTag(`${host}/${repo}`, 'dev', previous.digest);
      await registry.moveTag(`${host}/${repo}`, 'dev', ours.digest);
      return { repo, previous: previous.digest, ours: ours.digest };
    }

    it('puts the previous digest back when the tag still points at ours, and confirms it', async () => {
      const { repo, previous, ours } = await deployed();
      const fresh = new OciRegistry(); // as in a post step: nothing cached
      proxy.reset();
      expect(await fresh.revertTag(`${proxy.host}/${repo}`, 'dev', ours, previous)).toEqual({ status: 'restored', digest: previous });
      expect(await tagDigest(host, repo, 'dev')).toBe(previous);
      expect(proxy.requests.map((r) => `${r.method} ${r.path.replace(`/v2/${repo}/`, '')}`)).toEqual([
        'HEAD manifests/dev',
        `GET manifests/${previous}`,
        'PUT manifests/dev',
        'HEAD manifests/dev',
      ]);
    });

    it('takes three requests when the previous manifest was read before in this process', async () => {
      const { repo, previous, ours } = await deployed();
      await registry.getManifest(`${proxy.host}/${repo}`, previous);
      proxy.reset();
      expect(await registry.revertTag(`${proxy.host}/${repo}`, 'dev', ours, previous)).toEqual({ status: 'restored', digest: previous });
      expect(proxy.requests.map((r) => `${r.method} ${r.path.replace(`/v2/${repo}/`, '')}`)).toEqual([
        'HEAD manifests/dev',
        'PUT manifests/dev',
        'HEAD manifests/dev',
      ]);
    });

    it('leaves the tag alone when someone else moved it since', async () => {
      const { repo, previous, ours } = await deployed();
      const theirs = await pushImage(host, repo, 'hotfix');
      await registry.moveTag(`${host}/${repo}`, 'dev', theirs.digest);
      proxy.reset();
      expect(await registry.revertTag(`${proxy.host}/${repo}`, 'dev', ours, previous)).toEqual({
        status: 'moved-by-someone-else',
        current: theirs.digest,
      });
      expect(proxy.writes()).toEqual([]);
      expect(await tagDigest(host, repo, 'dev')).toBe(theirs.digest);
    });

    it('reports a tag deleted since as moved by someone else', async () => {
      const repo = uniqueRepository('revert');
      const ours = await pushImage(host, repo, 'v1');
      expect(await registry.revertTag(`${host}/${repo}`, 'dev', ours.digest, undefined)).toEqual({
        status: 'moved-by-someone-else',
        current: undefined,
      });
    });

    it('does not delete the manifest when there was no previous digest: every tag on it would go too', async () => {
      const repo = uniqueRepository('revert');
      const ours = await pushImage(host, repo, 'v1');
      await registry.moveTag(`${host}/${repo}`, 'dev', ours.digest);
      proxy.reset();
      const result = await registry.revertTag(`${proxy.host}/${repo}`, 'dev', ours.digest, undefined);
      expect(result).toMatchObject({ status: 'not-removed', current: ours.digest });
      expect(result.status === 'not-removed' && result.reason).toMatch(/deletes manifests by digest only.*every other tag/);
      expect(proxy.writes()).toEqual([]);
      expect(await tagDigest(host, repo, 'dev')).toBe(ours.digest);
      expect(await tagDigest(host, repo, 'v1')).toBe(ours.digest);
    });
  });

  describe('listTags', () => {
    it('lists every tag of a repository', async () => {
      const repo = uniqueRepository('tags');
      const image = await pushImage(host, repo, 'a');
      for (const tag of ['b', 'c']) await registry.moveTag(`${host}/${repo}`, tag, image.digest);
      expect((await registry.listTags(`${host}/${repo}`)).sort()).toEqual(['a', 'b', 'c']);
    });

    it('answers an empty list for a repository that does not exist', async () => {
      expect(await registry.listTags(`${host}/test/never-pushed`)).toEqual([]);
    });
  });

  describe('getManifest and getBlob', () => {
    it('reads a manifest raw and streams its layer, checked against the digest', async () => {
      const repo = uniqueRepository('read');
      const image = await pushImage(host, repo, 'v1', 256 * 1024);
      const manifest = await registry.getManifest(`${host}/${repo}`, 'v1');
      expect(manifest).toEqual({ digest: image.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: image.manifest });
      const layer = (JSON.parse(manifest.bytes.toString()) as { layers: Array<{ digest: string }> }).layers[0]!.digest;
      const blob = await registry.getBlob(`${host}/${repo}`, layer);
      expect(blob.size).toBe(256 * 1024);
      const hash = createHash('sha256');
      for await (const chunk of blob.body) hash.update(chunk as Buffer);
      expect(`sha256:${hash.digest('hex')}`).toBe(layer);
    });

    it('fails the blob stream when the bytes do not match the digest', async () => {
      const repo = uniqueRepository('read');
      const [a, b] = [await pushImage(host, repo, 'v1'), await pushImage(host, repo, 'v2')];
      const lying = new OciRegistry({ fetch: (url, init) => fetch(url.replace(a.layer.digest, b.layer.digest), init) });
      const blob = await lying.getBlob(`${host}/${repo}`, a.layer.digest);
      await expect(async () => {
        for await (const _ of blob.body) { /* drain */ }
      }).rejects.toThrow(`blob ${a.layer.digest}: content has digest ${b.layer.digest}, expected ${a.layer.digest}`);
    });

    it('throws for a manifest that does not exist', async () => {
      await expect(registry.getManifest(`${host}/test/never-pushed`, 'v1')).rejects.toThrow(
        `registry ${host}: GET test/never-pushed/manifests/v1: 404 Not Found (MANIFEST_UNKNOWN)`,
      );
    });
  });
});
