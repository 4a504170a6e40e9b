// The environment's target tag on each image: where it pointed before the run (recorded before anything moves),
// when it moves (before or after verification), and the compare-and-swap that puts it back.
import type { TagPolicy } from '../config/types.ts';
import { RegistryError } from '../registry/registry-error.ts';
import type { Manifest, Registry, RevertResult } from '../registry/types.ts';

/** One image's target tag during a run. */
export interface TargetTag {
  image: string;
  repository: string;
  tag: string;
  /** What this run deploys. */
  digest: string;
  /** Where the tag pointed before the run; absent: the tag did not exist (a first deploy). */
  previousDigest?: string;
  /**
   * The previous manifest as the registry stored it (media type, base64 bytes), kept with the restore state so a
   * revert from another process needs no extra GET.
   */
  previousManifest?: { mediaType: string; bytes: string };
  /** This run pointed the tag at `digest` (a tag already there did not move). */
  moved: boolean;
}

export type TagRevert = TargetTag & { result: RevertResult | { status: 'failed'; message: string } };

export type RegistryLookup = (repository: string) => Promise<Registry>;

/**
 * The tag's manifest now, or undefined when it does not exist. A GET rather than a HEAD: with the manifest's bytes
 * in hand, a revert to it later costs a HEAD, a PUT and a HEAD and nothing more.
 */
export async function currentManifest(registry: Registry, repository: string, tag: string): Promise<Manifest | undefined> {
  try {
    return await registry.getManifest(repository, tag);
  } catch (err) {
    if (err instanceof RegistryError && err.status === 404) return undefined;
    throw err;
  }
}

/** What a TargetTag keeps of the previous manifest. */
export function previousOf(manifest: Manifest | undefined): Pick<TargetTag, 'previousDigest' | 'previousManifest'> {
  if (!manifest) return {};
  return { previousDigest: manifest.digest, previousManifest: { mediaType: manifest.mediaType, bytes: manifest.bytes.toString('base64') } };
}

/**
 * Whether the tag moves before the rollout is verified. A first deploy never does: with nothing to put back, a
 * failed first deploy must leave no tag behind.
 */
export function movesBeforeVerify(policy: TagPolicy, tag: Pick<TargetTag, 'previousDigest'>): boolean {
  return policy === 'before-verify' && tag.previousDigest !== undefined;
}

/** A target tag someone else pointed elsewhere during the run: the run does not write over it. */
export class TagMovedError extends Error {
  override name = 'TagMovedError';
  readonly current: string | undefined;
  constructor(tag: Pick<TargetTag, 'repository' | 'tag'>, current: string | undefined) {
    super(`${tag.repository}:${tag.tag} was moved by someone else to ${current ?? 'nothing (deleted)'} during the run; it is left to them`);
    this.current = current;
  }
}

/**
 * Points the tag at the run's digest, only if it is still where the run found it (compare-and-swap: a HEAD before
 * the PUT, as the revert does); a tag already there is left as it is (and has nothing to revert). With the tag
 * moved after verification, the run can last minutes between recording and moving: another pipeline or a person
 * may have moved it meanwhile, and theirs wins (TagMovedError).
 */
export async function moveTargetTag(registry: Registry, tag: TargetTag): Promise<void> {
  if (tag.previousDigest === tag.digest) return;
  const current = (await registry.resolve(tag.repository, tag.tag))?.digest;
  if (current !== tag.previousDigest) throw new TagMovedError(tag, current);
  await registry.moveTag(tag.repository, tag.tag, tag.digest);
  tag.moved = true;
}

/**
 * Before a run declares success: every tag it moved still points at its digest. One moved by someone else since is
 * theirs (TagMovedError); the run then ends reverted instead of reporting a deploy the registry no longer names.
 */
export async function confirmTargetTags(tags: readonly TargetTag[], registryFor: RegistryLookup): Promise<void> {
  for (const t of tags.filter((t) => t.moved)) {
    const current = (await (await registryFor(t.repository)).resolve(t.repository, t.tag))?.digest;
    if (current !== t.digest) throw new TagMovedError(t, current);
  }
}

/** Compare-and-swap of every tag this run moved, all at once; a failure is reported per tag, never thrown. */
export async function revertTargetTags(tags: readonly TargetTag[], registryFor: RegistryLookup): Promise<TagRevert[]> {
  return Promise.all(
    tags
      .filter((t) => t.moved)
      .map(async (t): Promise<TagRevert> => {
        try {
          const registry = await registryFor(t.repository);
          if (t.previousDigest && t.previousManifest) {
            registry.rememberManifest?.(t.repository, { digest: t.previousDigest, mediaType: t.previousManifest.mediaType, bytes: Buffer.from(t.previousManifest.bytes, 'base64') });
          }
          return { ...t, result: await registry.revertTag(t.repository, t.tag, t.digest, t.previousDigest) };
        } catch (err) {
          return { ...t, result: { status: 'failed', message: err instanceof Error ? err.message : String(err) } };
        }
      }),
  );
}

/** The tag is back where it was (or, for a tag that did not exist, gone). */
export function isRestored(r: TagRevert): boolean {
  return r.result.status === 'restored' || r.result.status === 'deleted';
}

export function describeTagRevert(r: TagRevert): string {
  const ref = `${r.repository}:${r.tag}`;
  switch (r.result.status) {
    case 'restored':
      return `${ref} is back on ${r.result.digest}`;
    case 'deleted':
      return `${ref} removed (it did not exist before the run)`;
    case 'moved-by-someone-else':
      return `${ref} was moved by someone else to ${r.result.current ?? 'nothing (deleted)'} since this run set it; left alone`;
    case 'not-removed':
      return `${ref} is still on ${r.result.current}: ${r.result.reason}`;
    case 'failed':
      return `${ref} could not be reverted to ${r.previousDigest ?? 'nothing'}: ${r.result.message}`;
  }
}
