import parse from 'semver/functions/parse.js';
import { describe, expect, it } from 'vitest';
import { previousVersion, versionTagsOf, type VersionTag } from '../../src/deploy/version-history.ts';

const d = (n: number) => `sha256:${String(n).repeat(64)}`;
const tag = (name: string, digest: string): VersionTag => ({ tag: name, version: parse(name)!, digest });

describe('previousVersion', () => {
  // Newest first, as versionTagsOf returns them.
  const history = [tag('v3.0.0-rc.1', d(4)), tag('v2.1.0', d(3)), tag('v2.0.1', d(2)), tag('v2.0.0', d(2)), tag('v1.0.0', d(1))];
  it.each([
    { case: 'the release below the current one', current: d(3), now: 'v2.1.0', previous: 'v2.0.1' },
    { case: 'a second version tag on the current digest is not "previous"', current: d(2), now: 'v2.0.1', previous: 'v1.0.0' },
    { case: 'a pre-release is never gone back to', current: d(4), now: 'v3.0.0-rc.1', previous: 'v2.1.0' },
    { case: 'nothing older', current: d(1), now: 'v1.0.0', previous: undefined },
    { case: 'a digest without a version tag has no "previous"', current: d(9), now: undefined, previous: undefined },
  ])('$case', ({ current, now, previous }) => {
    const found = previousVersion(history, current);
    expect(found.current?.tag).toBe(now);
    expect(found.previous?.tag).toBe(previous);
  });
});

describe('versionTagsOf', () => {
  it('keeps the semver tags that resolve, newest first, and ignores target and release-line tags', async () => {
    const digests: Record<string, string> = { 'v1.0.0': d(1), 'v10.0.0': d(3), 'v2.0.0': d(2), dev: d(3), 'v1.0': d(1), latest: d(3) };
    const registry = {
      listTags: async () => [...Object.keys(digests), 'v3.0.0'],
      resolve: async (_: string, ref: string) => (digests[ref] ? { digest: digests[ref]!, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 } : undefined),
    };
    const tags = await versionTagsOf(registry, 'r.example/app');
    expect(tags.map((t) => [t.tag, t.digest])).toEqual([['v10.0.0', d(3)], ['v2.0.0', d(2)], ['v1.0.0', d(1)]]);
  });
});

describe('nightly rebuild tags', () => {
  it('count as their version, newest rebuild first, so rollback from a rebuild goes to the version below', async () => {
    const digests: Record<string, string> = { 'v1.0.0': d(1), 'v2.0.0': d(2), 'v2.0.0_20261121': d(3), 'v2.0.0_20261122': d(4), 'v2.0.0_20261122-2': d(5), 'v2.0.0_2026': d(6) };
    const registry = {
      listTags: async () => Object.keys(digests),
      resolve: async (_: string, ref: string) => (digests[ref] ? { digest: digests[ref]!, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 } : undefined),
    };
    const tags = await versionTagsOf(registry, 'r.example/app');
    expect(tags.map((t) => t.tag)).toEqual(['v2.0.0_20261122-2', 'v2.0.0_20261122', 'v2.0.0_20261121', 'v2.0.0', 'v1.0.0']);

    const { current, previous } = previousVersion(tags, d(4));
    expect([current?.tag, previous?.tag]).toEqual(['v2.0.0_20261122', 'v1.0.0']);
  });
});
