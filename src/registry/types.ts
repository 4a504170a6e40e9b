// The Registry seam: everything rollgate asks of an image registry. The OCI client (any registry) and the GAR
// adapter (Artifact Registry API for tags) both implement it.
import type { Readable } from 'node:stream';

/** The four manifest media types. GAR answers 404 when Accept omits the one the manifest has: always send all. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

export interface ManifestDescriptor {
  digest: string;
  mediaType: string;
  size: number;
}

/** A manifest exactly as the registry stores it: its bytes are what the digest is of. */
export interface Manifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export interface BlobContent {
  /** From Content-Length; undefined when the registry did not say. */
  size: number | undefined;
  /** The blob's bytes; the stream errors at its end if they do not match the digest asked for. */
  body: Readable;
}

export type RevertResult =
  | { status: 'restored'; digest: string }
  /** The tag no longer points at what we set: someone else moved it. Left alone. */
  | { status: 'moved-by-someone-else'; current: string | undefined }
  /** The tag did not exist before the run and was removed (only where a tag can be removed on its own). */
  | { status: 'deleted' }
  /**
   * The tag did not exist before the run and is still on `current`: the registry cannot remove a tag without
   * deleting the manifest, and with it every other tag on that digest. `reason` says so for the person acting.
   */
  | { status: 'not-removed'; current: string; reason: string };

export interface Registry {
  /** HEAD a tag or digest; undefined when it does not exist. */
  resolve(repository: string, reference: string): Promise<ManifestDescriptor | undefined>;
  /** Points `tag` at `digest` (same repository). No layers move. */
  moveTag(repository: string, tag: string, digest: string): Promise<void>;
  /**
   * Compare-and-swap: only if `tag` still points at `expected`, point it back at `previous` (or remove it when
   * previous is undefined and the registry can remove a tag alone; otherwise `not-removed`), then confirm with a
   * HEAD.
   */
  revertTag(repository: string, tag: string, expected: string, previous: string | undefined): Promise<RevertResult>;
  listTags(repository: string): Promise<string[]>;
  /** The manifest under a tag or digest, raw; throws when it does not exist. By digest, the bytes are verified. */
  getManifest(repository: string, reference: string): Promise<Manifest>;
  /**
   * Hands the client a manifest read earlier (by this or another process), so a revert to it needs no GET: a
   * revert from a post step or a later job then costs the same three requests as one in the run itself.
   */
  rememberManifest?(repository: string, manifest: Manifest): void;
  /** A blob (a layer, a config) by digest, streamed; throws when it does not exist. */
  getBlob(repository: string, digest: string): Promise<BlobContent>;
}
