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

/** The build tag `rollgate rebuild` pushes: the version, `_`, the day, and `-N` for a second rebuild that day. */
const REBUILD_SUFFIX = /_\d{8}(?:-\d+)?$/;

/** A tag's version: `v4.1.0` is 4.1.0, and so is its nightly rebuild `v4.1.0_20261122`. */
export function versionOfTag(tag: string): SemVer | undefined {
  return parse(tag) ?? (REBUILD_SUFFIX.test(tag) ? parse(tag.replace(REBUILD_SUFFIX, '')) : null) ?? undefined;
}

/**
 * Every tag of the repository that is a semver version (or a rebuild of one), with its digest, newest first; of one
 * version, its newest rebuild first.
 */
export async function versionTagsOf(registry: Pick<Registry, 'listTags' | 'resolve'>, repository: string): Promise<VersionTag[]> {
  const versioned = (await registry.listTags(repository)).flatMap((tag) => {
    const version = versionOfTag(tag);
    return version ? [{ tag, version }] : [];
  });
  const found = await Promise.all(versioned.map(async (v) => ({ ...v, digest: (await registry.resolve(repository, v.tag))?.digest })));
  return found.filter((v): v is VersionTag => v.digest !== undefined).sort((a, b) => compare(b.version, a.version) || rebuildOrder(b.tag, a.tag));
}

/** `v1_20261122-2` after `v1_20261122` after `v1`: by day, then by count. */
function rebuildOrder(a: string, b: string): number {
  const key = (t: string) => {
    const m = /_(\d{8})(?:-(\d+))?$/.exec(t);
    return m ? Number(m[1]) * 1000 + Number(m[2] ?? 1) : 0;
  };
  return key(a) - key(b);
}

/** The newest version tag on `digest`, e.g. to name what a target tag points at. */
export function versionOn(tags: readonly VersionTag[], digest: string): VersionTag | undefined {
  return tags.find((t) => t.digest === digest);
}

/** Every version tag on `digest`, newest first. */
export function versionsOn(tags: readonly VersionTag[], digest: string): string[] {
  return tags.filter((t) => t.digest === digest).map((t) => t.tag);
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
