import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import { freePort } from '../sandbox/ports.ts';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy.ts';
import { pushImage, tagDigest, uniqueRepository } from './images.ts';

describe('OCI client retries through the fault proxy', () => {
  const host = inject('registryHost');
  let proxy: FaultProxy;
  let repo: string;
  let image: Awaited<ReturnType<typeof pushImage>>;
  // The waits the client asked for, in order; they pass at once so the suite stays fast.
  let waits: number[];
  let registry: OciRegistry;

  beforeAll(async () => {
    proxy = await startFaultProxy(`http://${host}`);
    repo = uniqueRepository('retry');
    image = await pushImage(host, repo, 'v1');
  });
  afterAll(() => proxy.close());
  beforeEach(() => {
    proxy.reset();
    waits = [];
    registry = new OciRegistry({
      retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 5_000, sleep: async (ms) => void waits.push(ms) },
    });
  });

  const through = () => `${proxy.host}/${repo}`;

  it('rides out 503 twice, then succeeds on the third attempt', async () => {
    proxy.failNext(2, 503, { method: 'HEAD' });
    expect((await registry.resolve(through(), 'v1'))?.digest).toBe(image.digest);
    expect(proxy.requests.map((r) => r.outcome)).toEqual([503, 503, 200]);
    expect(waits).toHaveLength(2);
    // Exponential: the second wait's ceiling is twice the first's.
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('waits as long as a 429 Retry-After says', async () => {
    proxy.failNext(1, 429, { headers: { 'retry-after': '2' } });
    expect((await registry.resolve(through(), 'v1'))?.digest).toBe(image.digest);
    expect(waits).toEqual([2000]);
  });

  it('retries a dropped connection', async () => {
    proxy.dropNext(1, { method: 'HEAD' });
    expect((await registry.resolve(through(), 'v1'))?.digest).toBe(image.digest);
    expect(proxy.requests.map((r) => r.outcome)).toEqual(['dropped', 200]);
  });

  it('repeats a manifest PUT whose connection dropped (PUT is idempotent) and the tag lands once', async () => {
    proxy.dropNext(1, { method: 'PUT' });
    await registry.moveTag(through(), 'dev', image.digest);
    expect(proxy.writes().map((r) => r.outcome)).toEqual(['dropped', 201]);
    expect(await tagDigest(host, repo, 'dev')).toBe(image.digest);
  });

  it('gives up after the last attempt with one readable line', async () => {
    proxy.failNext(4, 503, { method: 'PUT' });
    await expect(registry.moveTag(through(), 'dev', image.digest)).rejects.toMatchObject({
      message: `registry ${proxy.host}: PUT ${repo}/manifests/dev: 503 Service Unavailable (UNAVAILABLE) after 4 attempts`,
      status: 503,
    });
    expect(proxy.count({ method: 'PUT' })).toBe(4);
  });

  it.each([
    [400, 'Bad Request'],
    [403, 'Forbidden'],
    [404, 'Not Found'],
  ])('never repeats a %i', async (status, text) => {
    proxy.failNext(1, status, { method: 'GET' });
    await expect(registry.getManifest(through(), 'v1')).rejects.toThrow(`${status} ${text}`);
    expect(proxy.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('retries a refused connection, then names the cause', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    await expect(registry.resolve(`${closed}/${repo}`, 'v1')).rejects.toThrow(
      `registry ${closed}: HEAD ${repo}/manifests/v1: connection failed (ECONNREFUSED) after 4 attempts`,
    );
    expect(waits).toHaveLength(3);
  });
});
