import { describe, expect, it } from 'vitest';
import { isArtifactRegistryHost, registryFor } from '../../src/registry/factory.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import type { Registry } from '../../src/registry/types.ts';

describe('registryFor', () => {
  it.each([
    ['us-docker.pkg.dev', true],
    ['europe-west1-docker.pkg.dev', true],
    ['docker.pkg.dev', false],
    ['us-docker.pkg.dev.evil.example', false],
    ['gcr.io', false],
    ['127.0.0.1:5000', false],
  ])('%s is Artifact Registry: %s', (host, expected) => {
    expect(isArtifactRegistryHost(host)).toBe(expected);
  });

  it('gives any other registry the OCI client', async () => {
    expect(await registryFor('127.0.0.1:5000/acme/web', { registries: {} })).toBeInstanceOf(OciRegistry);
  });

  it('gives Artifact Registry the GAR adapter, reading manifests through the OCI client it was handed', async () => {
    const asked: string[] = [];
    const oci = { resolve: async (repository: string, reference: string) => (asked.push(`${repository}:${reference}`), undefined) } as unknown as Registry;
    const gar = await registryFor('us-docker.pkg.dev/acme/apps/invoice', { registries: {} }, { oci });
    expect(gar).not.toBe(oci);
    expect(await gar.resolve('us-docker.pkg.dev/acme/apps/invoice', 'dev')).toBeUndefined();
    expect(asked).toEqual(['us-docker.pkg.dev/acme/apps/invoice:dev']);
  });
});
