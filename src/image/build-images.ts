// Several images in one run: build them all (concurrently where the builder allows), and only when every build
// has succeeded push their tags; then ask the registry what each tag points at. That digest, never an image ID
// or what the tool printed, is what the later stages pin.
import { InputError, type Problem } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Registry } from '../registry/types.ts';
import type { Builder, BuildRequest, PushedTag } from './builder.ts';
import { pushWithRetry } from './push-retry.ts';

export interface ImageToBuild extends BuildRequest {
  /** `registry/path` the tags are in. */
  repository: string;
}

export interface BuiltImage {
  name: string;
  repository: string;
  /** The manifest digest every tag resolves to in the registry. */
  digest: string;
  /** Tag names (not references), in the order pushed. */
  tags: string[];
}

export type DigestResolver = Pick<Registry, 'resolve'>;

export interface BuildImagesOptions {
  builder: Builder;
  /** The registry client for a repository (the GAR adapter or the OCI client). */
  registryFor: (repository: string) => Promise<DigestResolver> | DigestResolver;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

export class DigestMismatchError extends Error {
  override name = 'DigestMismatchError';
}

/** Secrets whose environment variable is unset: an input error, found before anything builds. */
export function missingSecrets(images: readonly BuildRequest[], env: Readonly<Record<string, string | undefined>>): Problem[] {
  return images.flatMap((image) =>
    image.secrets
      .filter((name) => env[name] === undefined)
      .map((name) => ({
        field: `images.${image.name}.secrets`,
        message: `build secret ${name} has no value: set the environment variable ${name}`,
      })),
  );
}

/**
 * Runs `work` over `items`, at most `limit` at once. The first failure aborts the signal the others got and is
 * the one thrown, after every started task has ended (no build is left running behind the error).
 */
export async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, signal: AbortSignal) => Promise<R>,
  outer?: AbortSignal,
): Promise<R[]> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const results: R[] = new Array(items.length);
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !controller.signal.aborted) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, controller.signal);
      } catch (error) {
        firstError ??= { error };
        controller.abort(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  if (firstError) throw firstError.error;
  if (outer?.aborted) throw outer.reason;
  return results;
}

function tagOf(reference: string, repository: string): string {
  return reference.slice(repository.length + 1);
}

/** Every tag must resolve, to one digest, and to the digest the tool reported when it reported one. */
export function confirmDigest(image: ImageToBuild, pushed: readonly PushedTag[], resolved: ReadonlyMap<string, string | undefined>): string {
  const missing = image.tags.filter((ref) => resolved.get(ref) === undefined);
  if (missing.length > 0) {
    throw new DigestMismatchError(`image ${image.name}: pushed, but the registry does not have ${missing.join(', ')}`);
  }
  const digests = new Set(image.tags.map((ref) => resolved.get(ref)!));
  if (digests.size > 1) {
    const listing = image.tags.map((ref) => `${tagOf(ref, image.repository)} -> ${resolved.get(ref)}`).join(', ');
    throw new DigestMismatchError(`image ${image.name}: its tags resolve to different digests (${listing}); did another push race this one?`);
  }
  const digest = [...digests][0]!;
  for (const p of pushed) {
    if (p.digest && p.digest !== digest) {
      throw new DigestMismatchError(`image ${image.name}: the push of ${p.reference} reported ${p.digest}, but the registry serves ${digest}`);
    }
  }
  return digest;
}

export async function buildImages(images: readonly ImageToBuild[], options: BuildImagesOptions): Promise<BuiltImage[]> {
  const { builder, logger } = options;
  const problems = missingSecrets(images, options.env);
  if (problems.length > 0) throw new InputError(problems);

  logger.info(`building ${images.map((i) => i.name).join(', ')} with ${builder.description}`);
  await runLimited(images, builder.concurrency, (image, signal) => builder.build(image, signal), options.signal);

  const pushed = await runLimited(images, builder.concurrency, (image, signal) => pushWithRetry(() => builder.push(image, signal), { image: image.name, logger, signal }), options.signal);

  return Promise.all(
    images.map(async (image, i) => {
      const registry = await options.registryFor(image.repository);
      const resolved = new Map<string, string | undefined>();
      for (const ref of image.tags) resolved.set(ref, (await registry.resolve(image.repository, tagOf(ref, image.repository)))?.digest);
      const digest = confirmDigest(image, pushed[i]!, resolved);
      const tags = image.tags.map((ref) => tagOf(ref, image.repository));
      logger.info(`${image.name}: ${image.repository}@${digest} (${tags.join(', ')})`);
      return { name: image.name, repository: image.repository, digest, tags };
    }),
  );
}

/** One line per image, for logs and the CLI. */
export function formatBuildSummary(built: readonly BuiltImage[]): string {
  const width = Math.max(...built.map((b) => b.name.length), 0);
  return built.map((b) => `${b.name.padEnd(width)}  ${b.repository}@${b.digest}  tags: ${b.tags.join(', ')}`).join('\n');
}
