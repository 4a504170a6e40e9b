// Test images of any size, pushed over the Distribution API: one random layer (so every image has its own
// digest), a config, an OCI manifest.
import { createHash, randomBytes } from 'node:crypto';
import { pushOneLayerImage } from '../sandbox/base-image.ts';

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface TestImage {
  digest: string;
  manifest: Buffer;
  layer: { digest: string; size: number };
}

export async function pushImage(host: string, repository: string, tag: string, layerBytes = 1024, headers: Record<string, string> = {}): Promise<TestImage> {
  const layer = randomBytes(layerBytes);
  const { digest, manifest } = await pushOneLayerImage(host, repository, tag, {
    layer,
    diffId: sha256(layer),
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    headers,
  });
  return { digest, manifest, layer: { digest: sha256(layer), size: layer.length } };
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
