// STUB — the ref helper replaces the bodies. The exported names and shapes are relied on by other modules.

/** A parsed image reference, normalised the way Docker/containerd do (docker.io, library/). */
export interface ImageRef {
  /** Registry host, with port if any: `docker.io`, `reg.local:5000`, `us-docker.pkg.dev`. */
  registry: string;
  /** Repository path inside the registry: `library/nginx`, `acme/apps/invoice`. */
  path: string;
  tag?: string;
  /** `sha256:<64 hex>` */
  digest?: string;
}

export class InvalidReferenceError extends Error {
  override name = 'InvalidReferenceError';
}

/** Parses a reference; throws InvalidReferenceError with a message naming what is wrong. */
export function parseImageRef(input: string): ImageRef {
  throw new InvalidReferenceError(`not implemented: ${input}`);
}

/** `registry/path[:tag][@digest]`, fully qualified (never abbreviated). */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.path}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `registry/path`, the key that says whether two references name the same repository. */
export function repositoryOf(ref: ImageRef): string {
  return `${ref.registry}/${ref.path}`;
}

/** True when `tag` is a valid Docker tag: [\w][\w.-]{0,127}. */
export function isValidTag(tag: string): boolean {
  return /^[\w][\w.-]{0,127}$/.test(tag);
}
