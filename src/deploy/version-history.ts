// The versions a repository holds, read from its version tags (`v4.1.0`, `4.1.0`): what rollback goes back to when
// no version is named. The image's `org.opencontainers.image.version` label is not enough for that: it says what
// one digest is, not which digests came before it.
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';
import type SemVer from 'semver/classes/semver.js';
import type { Registry } from '../registry/types.ts';

export interface VersionTag {
  tag: string;
  version: SemVer;
  digest: string;
}

/** Every tag of the repository that is a semver version, with its digest, newest first. */
export async function versionTagsOf(registry: Pick<Registry, 'listTags' | 'resolve'>, repository: string): Promise<VersionTag[]> {
  const versioned = (await registry.listTags(repository)).flatMap((tag) => {
    const version = parse(tag);
    return version ? [{ tag, version }] : [];
  });
  const found = await Promise.all(versioned.map(async (v) => ({ ...v, digest: (await registry.resolve(repository, v.tag))?.digest })));
  return found.filter((v): v is VersionTag => v.digest !== undefined).sort((a, b) => compare(b.version, a.version));
}

/** The newest version tag on `digest`, e.g. to name what a target tag points at. */
export function versionOn(tags: readonly VersionTag[], digest: string): VersionTag | undefined {
  return tags.find((t) => t.digest === digest);
}

/**
 * "The previous version" of a target tag now on `current`: the version the current digest carries is the current
 * version (its newest version tag); the previous one is the newest release (no pre-release) below it whose digest
 * differs from the current one. A rebuild under the same version, or a second version tag on the same digest, is
 * therefore never "previous". Undefined when the current digest carries no version tag (nothing to be older than)
 * or nothing older exists: the caller asks for --to.
 */
export function previousVersion(tags: readonly VersionTag[], current: string): { current?: VersionTag; previous?: VersionTag } {
  const now = versionOn(tags, current);
  if (!now) return {};
  const previous = tags.find((t) => t.digest !== current && t.version.prerelease.length === 0 && compare(t.version, now.version) < 0);
  return { current: now, ...(previous ? { previous } : {}) };
}
