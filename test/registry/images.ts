// Test images of any size, pushed over the Distribution API: one random layer (so every image has its own
// digest), a config, an OCI manifest.
import { createHash, randomBytes } from 'node:crypto';
import { pushBlob } from '../sandbox/base-image.ts';

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface TestImage {
  digest: string;
  manifest: Buffer;
  layer: { digest: string; size: number };
}

export async function pushImage(host: string, repository: string, tag: string, layerBytes = 1024, headers: Record<string, string> = {}): Promise<TestImage> {
  const layer = randomBytes(layerBytes);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
  await pushBlob(host, repository, layer, headers);
  await pushBlob(host, repository, config, headers);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
    }),
  );
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (res.status !== 201) throw new Error(`manifest push: ${res.status} ${await res.text()}`);
  return { digest: sha256(manifest), manifest, layer: { digest: sha256(layer), size: layer.length } };
}

/** Where a tag points, asked of the registry directly (not through the client under test). */
export async function tagDigest(host: string, repository: string, tag: string, headers: Record<string, string> = {}): Promise<string | undefined> {
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { ...headers, accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  return res.status === 200 ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

/** A repository name no other test uses. */
export function uniqueRepository(prefix: string): string {
  return `test/${prefix}-${randomBytes(4).toString('hex')}`;
}
