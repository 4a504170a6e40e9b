// readInventory through the real registry client against the sandbox registry, on synthetic images: an index
// with two platforms and an attestation, layers in gzip, zstd and plain tar, whiteouts across them.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { pickPlatform, readInventory } from '../../src/image/inventory.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import { verifyingStream } from '../../src/registry/digest.ts';
import { pushBlob } from '../sandbox/base-image.ts';
import { chunked, compress, makeTar, type LayerSpec } from './layer-fixture.ts';

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const status = (...pkgs: [string, string][]) =>
  pkgs.map(([name, version]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`).join('\n');

/** PUT under `tag`, or by its own digest when no tag is given. */
async function putManifest(host: string, repository: string, tag: string | undefined, mediaType: string, body: object): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, ...body }));
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag ?? sha256(bytes)}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  if (res.status !== 201) throw new Error(`PUT manifest: ${res.status} ${await res.text()}`);
  return { digest: sha256(bytes), size: bytes.length };
}

async function pushImage(host: string, repository: string, layers: { spec: LayerSpec; compression: 'gzip' | 'zstd' | 'none' }[]) {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  await pushBlob(host, repository, config);
  const descriptors = [];
  for (const { spec, compression } of layers) {
    const blob = compress(makeTar(spec), compression);
    await pushBlob(host, repository, blob);
    const suffix = compression === 'gzip' ? '+gzip' : compression === 'zstd' ? '+zstd' : '';
    descriptors.push({ mediaType: `application/vnd.oci.image.layer.v1.tar${suffix}`, digest: sha256(blob), size: blob.length });
  }
  return putManifest(host, repository, undefined, OCI_MANIFEST, {
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: descriptors,
  });
}

describe('readInventory through the registry', () => {
  const host = inject('registryHost');
  const repository = 'rollgate-test/inventory-index';

  it('picks linux/amd64 from an index and merges its gzip, zstd and plain layers with their whiteouts', async () => {
    const amd64 = await pushImage(host, repository, [
      { compression: 'gzip', spec: { files: {
        'var/lib/dpkg/status': status(['libssl3', '3.0.11-1~deb12u1'], ['bash', '5.2.15-2+b2']),
        'usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n',
        'usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n',
        'lib/apk/db/installed': 'P:musl\nV:1.2.4-r2\n',
      } } },
      { compression: 'zstd', spec: { files: {
        'var/lib/dpkg/status': status(['libssl3', '3.0.11-1~deb12u2'], ['bash', '5.2.15-2+b2']),
        'usr/lib/python3.11/site-packages/.wh.requests-2.31.0.dist-info': '',
        'lib/apk/db/.wh..wh..opq': '',
      } } },
      { compression: 'none', spec: { files: { 'var/lib/dpkg/status.d/netbase': 'Package: netbase\nVersion: 6.4\nArchitecture: all\n' } } },
    ]);
    const arm64 = await pushImage(host, repository, [{ compression: 'gzip', spec: { files: { 'var/lib/dpkg/status': status(['arm-only', '1']) } } }]);
    const attestation = await pushImage(host, repository, [{ compression: 'gzip', spec: { files: { 'var/lib/dpkg/status': status(['attestation', '1']) } } }]);
    const index = await putManifest(host, repository, 'multi', OCI_INDEX, {
      manifests: [
        { mediaType: OCI_MANIFEST, ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: OCI_MANIFEST, ...attestation, platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64.digest } },
        { mediaType: OCI_MANIFEST, ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
      ],
    });

    const inv = await readInventory(new OciRegistry(), `${host}/${repository}`, 'multi');
    expect(inv).toMatchObject({ digest: index.digest, manifestDigest: amd64.digest, platform: 'linux/amd64' });
    expect(inv.packages).toEqual([
      { type: 'deb', name: 'bash', version: '5.2.15-2+b2', arch: 'amd64' },
      { type: 'deb', name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' },
      { type: 'deb', name: 'netbase', version: '6.4', arch: 'all' },
      { type: 'python', name: 'six', version: '1.16.0' },
    ]);

    const arm = await readInventory(new OciRegistry(), `${host}/${repository}`, 'multi', { os: 'linux', architecture: 'arm64' });
    expect(arm.packages.map((p) => p.name)).toEqual(['arm-only']);
    await expect(readInventory(new OciRegistry(), `${host}/${repository}`, 'multi', { os: 'linux', architecture: 's390x' })).rejects.toThrow(
      /has no linux\/s390x image \(it has: linux\/arm64\/v8, unknown\/unknown, linux\/amd64\)/,
    );
  });
});

describe('readInventory of a corrupt layer', () => {
  it('reads each layer to its end, so a blob that does not match its digest is an error', async () => {
    // Tar readers ignore what follows the end-of-archive blocks; incompressible bytes there keep the digest check
    // (at the blob's last byte) out of reach of a reader that stops at the end marker.
    const tar = Buffer.concat([makeTar({ files: { 'var/lib/dpkg/status': status(['bash', '5.2']) } }), randomBytes(4 << 20)]);
    const layer = compress(tar, 'gzip');
    const claimed = sha256(Buffer.from('some other content'));
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: claimed, size: layer.length }] }));
    const source = {
      getManifest: async () => ({ digest: sha256(manifest), mediaType: OCI_MANIFEST, bytes: manifest }),
      // What the registry client hands out: the body through a stream that checks the digest at its end.
      getBlob: async () => ({ size: layer.length, body: Readable.from(chunked(layer, 512)).pipe(verifyingStream(claimed, `blob ${claimed}`)) }),
    };
    await expect(readInventory(source, 'reg.example/x', 'v1')).rejects.toThrow(/reading layer sha256:\w+ .*content has digest/);
  });
});

describe('pickPlatform', () => {
  const d = (digest: string, os: string, architecture: string, variant?: string) => ({ digest, platform: { os, architecture, ...(variant ? { variant } : {}) } });
  it.each([
    ['the exact variant over another one', [d('a', 'linux', 'arm', 'v6'), d('b', 'linux', 'arm', 'v7')], { os: 'linux', architecture: 'arm', variant: 'v7' }, 'b'],
    ['any variant when none is asked for', [d('a', 'linux', 'arm64', 'v8')], { os: 'linux', architecture: 'arm64' }, 'a'],
    ['nothing for another OS', [d('a', 'windows', 'amd64')], { os: 'linux', architecture: 'amd64' }, undefined],
  ])('%s', (_name, manifests, platform, expected) => expect(pickPlatform(manifests, platform)?.digest).toBe(expected));
});
