import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { pushImage, tagDigest, uniqueRepository } from '../registry/images.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

describe('fault proxy in front of the registry', () => {
  const host = inject('registryHost');
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(`http://${host}`);
  });
  afterAll(() => proxy.close());
  beforeEach(() => proxy.reset());

  it('streams a blob upload through, following upload locations rewritten to itself', async () => {
    const repo = uniqueRepository('proxy');
    const image = await pushImage(proxy.host, repo, 'v1', 8 * 1024 * 1024);
    expect(await tagDigest(host, repo, 'v1')).toBe(image.digest);
    expect(proxy.writes().map((r) => `${r.method} ${r.path.replace(/\?.*/, '').replace(/uploads\/[\w-]+/, 'uploads/<id>')} ${r.outcome}`)).toEqual([
      `POST /v2/${repo}/blobs/uploads/ 202`,
      `PUT /v2/${repo}/blobs/uploads/<id> 201`,
      `POST /v2/${repo}/blobs/uploads/ 202`,
      `PUT /v2/${repo}/blobs/uploads/<id> 201`,
      `PUT /v2/${repo}/manifests/v1 201`,
    ]);
  });

  it('answers a status for the next K matching requests only, with the headers asked for', async () => {
    proxy.failNext(2, 429, { method: 'GET', path: /\/tags\/list$/, headers: { 'retry-after': '7' } });
    const tags = `http://${proxy.host}/v2/sandbox/busybox/tags/list`;
    const head = await fetch(`http://${proxy.host}/v2/sandbox/busybox/manifests/1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const first = await fetch(tags);
    const second = await fetch(tags);
    const third = await fetch(tags);
    expect([head.status, first.status, second.status, third.status]).toEqual([200, 429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(proxy.count({ path: /tags\/list/ })).toBe(3);
    expect(proxy.count({ method: 'HEAD' })).toBe(1);
  });

  it('drops the connection of the next K requests', async () => {
    proxy.dropNext(1);
    const error = await fetch(`http://${proxy.host}/v2/`).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((await fetch(`http://${proxy.host}/v2/`)).status).toBe(200);
    expect(proxy.requests.map((r) => r.outcome)).toEqual(['dropped', 200]);
  });

  it('refuses a fault count that is not a positive integer', () => {
    expect(() => proxy.dropNext(0)).toThrow('fault proxy: times must be a positive integer, got 0');
  });
});
