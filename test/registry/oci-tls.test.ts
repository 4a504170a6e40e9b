// TLS verification stays on unless the host is listed as insecure: the registry sits behind a TLS proxy with a
// self-signed certificate, reached through configured endpoints under two names.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy.ts';
import { selfSignedCertificate } from './certificate.ts';
import { pushImage, tagDigest, uniqueRepository } from './images.ts';

describe('OCI client over TLS', () => {
  const host = inject('registryHost');
  let proxy: FaultProxy;
  let registry: OciRegistry;
  const repo = uniqueRepository('tls');
  let digest: string;
  beforeAll(async () => {
    const dir = join(inject('sandboxDir'), 'registry-tls');
    mkdirSync(dir, { recursive: true });
    const { key, cert } = selfSignedCertificate(dir, 'registry-tls');
    proxy = await startFaultProxy(`http://${host}`, { tls: { key, cert } });
    digest = (await pushImage(host, repo, 'v1', 64 * 1024)).digest;
    registry = new OciRegistry({
      registries: {
        'lab.example': { insecure: true, endpoint: proxy.url },
        'secure.example': { insecure: false, endpoint: proxy.url },
      },
    });
  });
  afterAll(() => proxy.close());

  it('reaches a registry listed as insecure without verifying its certificate', async () => {
    await registry.moveTag(`lab.example/${repo}`, 'dev', digest);
    expect(await tagDigest(host, repo, 'dev')).toBe(digest);
    const blob = await registry.getBlob(`lab.example/${repo}`, (await pushImage(host, repo, 'v2', 1000)).layer.digest);
    let bytes = 0;
    for await (const chunk of blob.body) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(1000);
  });

  it('refuses a self-signed certificate anywhere else, and says how to allow it', async () => {
    proxy.reset();
    await expect(registry.resolve(`secure.example/${repo}`, 'v1')).rejects.toThrow(
      /^registry secure\.example: HEAD test\/tls-\w+\/manifests\/v1: connection failed \(.*\); if this registry is trusted without TLS verification, list it under registries\.secure\.example\.insecure$/,
    );
    expect(proxy.requests).toEqual([]); // the handshake failed: nothing reached the registry
  });
});
