// The packages inside a pushed image, read through the registry alone (no engine, no pull): follow the manifest
// to the layers, stream each one through the tar reader, merge them with whiteouts, and parse what is left.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from '../registry/types.ts';
import { applyLayer, type RootfsFiles } from './inventory-rootfs.ts';
import { isInventoryPath, packagesFromFiles, type Package } from './inventory-packages.ts';
import { decompressLayer, readTar } from './inventory-tar.ts';

export type ImageSource = Pick<Registry, 'getManifest' | 'getBlob'>;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export interface ImageInventory {
  /** `registry/path`. */
  repository: string;
  /** The digest the reference resolved to (an index's digest when it is multi-platform). */
  digest: string;
  /** The single-platform manifest the layers came from. */
  manifestDigest: string;
  platform: string;
  packages: Package[];
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

interface ManifestDocument {
  mediaType?: string;
  manifests?: Descriptor[];
  layers?: Descriptor[];
  config?: Descriptor;
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined) throw new Error(`platform must be os/arch[/variant], got "${text}"`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * The manifest of an index for `platform`. Attestation manifests (BuildKit's `unknown/unknown` entries) never
 * match; a missing variant matches any, as containerd's default matcher does for amd64.
 */
export function pickPlatform(manifests: readonly Descriptor[], platform: Platform): Descriptor | undefined {
  const candidates = manifests.filter(
    (m) =>
      m.platform?.os === platform.os &&
      m.platform.architecture === platform.architecture &&
      m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
  );
  return candidates.find((m) => (m.platform?.variant ?? '') === (platform.variant ?? '')) ?? candidates[0];
}

/** Layers whose content is not in the registry (Windows foreign layers) or not a filesystem are skipped. */
function isFilesystemLayer(layer: Descriptor): boolean {
  const type = layer.mediaType ?? '';
  if (type.includes('foreign') || type.includes('nondistributable')) return false;
  return type === '' || type.includes('.tar') || type.includes('layer');
}

/** The single-platform manifest behind a reference (the index's entry for `platform`, when it is an index). */
export async function platformManifest(
  registry: Pick<ImageSource, 'getManifest'>,
  repository: string,
  reference: string,
  platform: Platform = DEFAULT_PLATFORM,
): Promise<{ digest: string; manifestDigest: string; doc: ManifestDocument }> {
  const top = await registry.getManifest(repository, reference);
  let manifestDigest = top.digest;
  let doc = JSON.parse(top.bytes.toString('utf8')) as ManifestDocument;
  if (INDEX_TYPES.has(top.mediaType) || doc.manifests) {
    const chosen = pickPlatform(doc.manifests ?? [], platform);
    if (!chosen) {
      const offered = (doc.manifests ?? []).map((m) => (m.platform ? formatPlatform(m.platform as Platform) : '?')).join(', ');
      throw new Error(`${repository}@${top.digest} has no ${formatPlatform(platform)} image (it has: ${offered || 'none'})`);
    }
    const manifest = await registry.getManifest(repository, chosen.digest);
    manifestDigest = manifest.digest;
    doc = JSON.parse(manifest.bytes.toString('utf8')) as ManifestDocument;
  }
  return { digest: top.digest, manifestDigest, doc };
}

/** The image configuration's labels (`config.Labels`): what the build stamped on it (see labels.ts). */
export async function readImageLabels(registry: ImageSource, repository: string, reference: string, platform: Platform = DEFAULT_PLATFORM): Promise<Record<string, string>> {
  const { manifestDigest, doc } = await platformManifest(registry, repository, reference, platform);
  if (!doc.config) throw new Error(`${repository}@${manifestDigest} is not an image manifest (no config)`);
  const blob = await registry.getBlob(repository, doc.config.digest);
  const chunks: Buffer[] = [];
  for await (const chunk of blob.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { config?: { Labels?: Record<string, string> | null } };
  return config.config?.Labels ?? {};
}

export async function readInventory(
  registry: ImageSource,
  repository: string,
  reference: string,
  platform: Platform = DEFAULT_PLATFORM,
): Promise<ImageInventory> {
  const { digest, manifestDigest, doc } = await platformManifest(registry, repository, reference, platform);
  if (!doc.layers) throw new Error(`${repository}@${manifestDigest} is not an image manifest (no layers)`);

  let files: RootfsFiles = new Map();
  for (const layer of doc.layers.filter(isFilesystemLayer)) {
    const blob = await registry.getBlob(repository, layer.digest);
    try {
      files = await applyLayer(files, readTar(decompressLayer(blob.body), (e) => isInventoryPath(e.path)));
    } catch (err) {
      blob.body.destroy();
      throw new Error(`reading layer ${layer.digest} of ${repository}@${manifestDigest}: ${(err as Error).message}`, { cause: err });
    }
  }
  return { repository, digest, manifestDigest, platform: formatPlatform(platform), packages: packagesFromFiles(files) };
}

/**
 * The packages of an image saved as a docker-archive (`docker save`, `buildah push docker-archive:`), unpacked in
 * `dir`: its manifest.json lists the layer files, lowest first. The nightly rebuild compares a fresh build this way
 * before it pushes anything.
 */
export async function readArchiveInventory(dir: string): Promise<Package[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Array<{ Layers?: string[] }>;
  const layers = manifest[0]?.Layers;
  if (!layers) throw new Error(`${dir}/manifest.json lists no layers: not a docker-archive`);
  let files: RootfsFiles = new Map();
  for (const layer of layers) {
    files = await applyLayer(files, readTar(decompressLayer(createReadStream(join(dir, layer))), (e) => isInventoryPath(e.path)));
  }
  return packagesFromFiles(files);
}
