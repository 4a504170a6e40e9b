// The Registry seam: everything rollgate asks of an image registry. The OCI client (any registry) and the GAR
// adapter (Artifact Registry API for tags) both implement it.

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

export type RevertResult =
  | { status: 'restored'; digest: string }
  /** The tag no longer points at what we set: someone else moved it. Left alone. */
  | { status: 'moved-by-someone-else'; current: string | undefined }
  | { status: 'deleted'; }; // the tag did not exist before the run and was removed

export interface Registry {
  /** HEAD a tag or digest; undefined when it does not exist. */
  resolve(repository: string, reference: string): Promise<ManifestDescriptor | undefined>;
  /** Points `tag` at `digest` (same repository). No layers move. */
  moveTag(repository: string, tag: string, digest: string): Promise<void>;
  /**
   * Compare-and-swap: only if `tag` still points at `expected`, point it back at `previous` (or remove it when
   * previous is undefined), then confirm with a HEAD.
   */
  revertTag(repository: string, tag: string, expected: string, previous: string | undefined): Promise<RevertResult>;
  listTags(repository: string): Promise<string[]>;
}
