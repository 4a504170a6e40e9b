import { describe, expect, inject, it } from 'vitest';

describe('sandbox base image', () => {
  it('is in the registry as a one-layer OCI image', async () => {
    const host = inject('registryHost');
    const res = await fetch(`http://${host}/v2/sandbox/busybox/manifests/1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { layers: unknown[] };
    expect(manifest.layers).toHaveLength(1);
    expect(inject('baseImage')).toBe(`${host}/sandbox/busybox:1`);
  });
});
