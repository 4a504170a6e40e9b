import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf } from '../../src/errors.ts';
import { isValidTag } from '../../src/image/ref.ts';
import {
  type BuildVersion,
  parseBuildVersion,
  renderVersionTags,
  type TagContext,
  validateTagTemplate,
} from '../../src/image/version-tags.ts';

const SHA = '3f2a9c41e0b7d65a8c2e1f40b9d7e6a5c4b3a291';
const DATE = new Date('2025-03-07T23:59:59Z');

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('parseBuildVersion', () => {
  it.each<[string, BuildVersion]>([
    ['v4.2.0', { raw: 'v4.2.0', prefix: 'v', major: 4, minor: 2, patch: 0, prerelease: false }],
    ['4.2.0', { raw: '4.2.0', prefix: '', major: 4, minor: 2, patch: 0, prerelease: false }],
    ['v4.2.0-rc.1', { raw: 'v4.2.0-rc.1', prefix: 'v', major: 4, minor: 2, patch: 0, prerelease: true }],
    ['0.0.1-alpha', { raw: '0.0.1-alpha', prefix: '', major: 0, minor: 0, patch: 1, prerelease: true }],
    ['v4.2.0+build.7', { raw: 'v4.2.0+build.7', prefix: 'v', major: 4, minor: 2, patch: 0, prerelease: false }],
    ['1.0.0-beta+exp.sha.5114f85', { raw: '1.0.0-beta+exp.sha.5114f85', prefix: '', major: 1, minor: 0, patch: 0, prerelease: true }],
    ['10.20.30', { raw: '10.20.30', prefix: '', major: 10, minor: 20, patch: 30, prerelease: false }],
    // GitHub's GITHUB_REF on a tag push
    ['refs/tags/v4.2.0', { raw: 'v4.2.0', prefix: 'v', major: 4, minor: 2, patch: 0, prerelease: false }],
    ['refs/tags/4.2.0-rc.2', { raw: '4.2.0-rc.2', prefix: '', major: 4, minor: 2, patch: 0, prerelease: true }],
    ['  v4.2.0\n', { raw: 'v4.2.0', prefix: 'v', major: 4, minor: 2, patch: 0, prerelease: false }],
  ])('%j', (input, expected) => {
    expect(parseBuildVersion(input)).toEqual(expected);
  });

  it.each([
    ['4.2', 'it needs all three numbers'],
    ['v4', 'it needs all three numbers'],
    ['latest', ''],
    ['', 'it is empty'],
    ['refs/tags/', 'it is empty'],
    ['v4.2.0.1', 'it has more than three numbers'],
    ['V4.2.0', 'the prefix must be a lowercase "v"'],
    ['=4.2.0', ''],
    ['vv4.2.0', ''],
    ['04.2.0', ''],
    ['4.2.0-01', ''],
    ['4.2.0-', ''],
    ['4.2.0+', ''],
    ['4.2.0+build_7', ''],
    ['refs/heads/main', 'only a tag ref (refs/tags/…) names a version'],
    ['99999999999999999999.0.0', ''],
  ])('rejects %j, saying what a version looks like', (input, hint) => {
    const err = thrown(() => parseBuildVersion(input));
    expect(err.message).toContain(`version "${input}" is not valid: ${hint}`);
    expect(err.message).toContain('a version is MAJOR.MINOR.PATCH');
    expect(err.message).toContain('e.g. v4.2.0, 4.2.0, v4.2.0-rc.1');
    expect(exitCodeOf(err)).toBe(ExitCode.invalid);
  });
});

describe('renderVersionTags', () => {
  const at = (version: string, extra: Partial<TagContext> = {}): TagContext => ({
    version: parseBuildVersion(version),
    sha: SHA,
    date: DATE,
    ...extra,
  });

  it.each<[string, string[], string[]]>([
    // the v is kept as written, and the first of {major}/{minor}/{patch} carries it
    ['v4.2.0', ['{version}', '{major}.{minor}', '{major}'], ['v4.2.0', 'v4.2', 'v4']],
    ['4.2.0', ['{version}', '{major}.{minor}', '{major}'], ['4.2.0', '4.2', '4']],
    ['v4.2.0', ['{major}.{minor}.{patch}'], ['v4.2.0']],
    ['v4.2.0', ['{minor}'], ['v2']],
    ['v4.2.0', ['release-{major}.{minor}'], ['release-v4.2']],
    // sha and date
    ['v4.2.0', ['{version}-{sha}'], ['v4.2.0-3f2a9c4']],
    ['v4.2.0', ['{version}-{date}'], ['v4.2.0-20250307']],
    ['v4.2.0', ['sha-{sha}', 'nightly-{date}'], ['sha-3f2a9c4', 'nightly-20250307']],
    ['v4.2.0', ['latest', 'stable'], ['latest', 'stable']],
    // build metadata: + becomes -, as docker/metadata-action does
    ['v4.2.0+build.7', ['{version}', '{major}.{minor}'], ['v4.2.0-build.7', 'v4.2']],
    // prereleases get their full version tag only
    ['v4.2.0-rc.1', ['{version}', '{major}.{minor}', '{major}', 'latest', 'sha-{sha}', '{date}'], ['v4.2.0-rc.1']],
    ['v4.2.0-rc.1', ['{version}-{sha}'], ['v4.2.0-rc.1-3f2a9c4']],
    ['1.0.0-beta+exp.sha.5114f85', ['{version}', '{major}'], ['1.0.0-beta-exp.sha.5114f85']],
    ['v4.2.0-rc.1', ['{major}.{minor}'], []],
    // duplicates are dropped, first one kept
    ['v4.2.0', ['{version}', '{major}.{minor}.{patch}', '{major}.{minor}', '{major}.{minor}'], ['v4.2.0', 'v4.2']],
    ['v1.0.0', [], []],
  ])('%s with %j renders %j', (version, templates, expected) => {
    const tags = renderVersionTags(templates, at(version));
    expect(tags).toEqual(expected);
    for (const tag of tags) expect(isValidTag(tag)).toBe(true);
  });

  it('renders {date} in UTC whatever the local time zone', () => {
    // 23:30 on the 31st in New York is already the 1st in UTC
    const tags = renderVersionTags(['{date}'], at('v1.0.0', { date: new Date('2024-12-31T23:30:00-05:00') }));
    expect(tags).toEqual(['20250101']);
  });

  it('lowercases the sha it shortens', () => {
    expect(renderVersionTags(['{sha}'], at('v1.0.0', { sha: 'ABCDEF0123' }))).toEqual(['abcdef0']);
  });

  it.each<[string, string[], Partial<TagContext>, string]>([
    ['v1.0.0', ['{version}-{sha}'], { sha: undefined }, 'tag template "{version}-{sha}" uses {sha}, but no commit sha was given'],
    ['v1.0.0', ['{sha}'], { sha: 'main' }, '"main" is not a git commit sha'],
    ['v1.0.0', ['{sha}'], { sha: 'abc12' }, '"abc12" is not a git commit sha'],
    ['v1.0.0', ['{date}'], { date: undefined }, 'tag template "{date}" uses {date}, but no valid build date was given'],
    ['v1.0.0', ['{date}'], { date: new Date('not a date') }, 'no valid build date'],
    ['v1.0.0', ['{version}', '{build}'], {}, 'tag template "{build}": unknown placeholder {build}'],
    ['v1.0.0', ['v{version}+1'], {}, 'tag template "v{version}+1": "+" can never be part of a tag'],
    [`v1.0.0-${'r'.repeat(130)}`, ['{version}'], {},
      `tag template "{version}" renders "v1.0.0-${'r'.repeat(130)}", which is not a valid tag: tag must not be more than 128 characters (it has 137)`],
  ])('%s with %j fails with a message naming the template', (version, templates, extra, message) => {
    const err = thrown(() => renderVersionTags(templates, at(version, extra)));
    expect(err.message).toContain(message);
    expect(exitCodeOf(err)).toBe(ExitCode.invalid);
  });

  it('needs no sha when the only template using it is skipped for a prerelease', () => {
    expect(renderVersionTags(['{version}', 'sha-{sha}'], at('v2.0.0-rc.1', { sha: undefined }))).toEqual(['v2.0.0-rc.1']);
  });

  it('refuses a bad template even when a prerelease would skip it', () => {
    expect(() => renderVersionTags(['{version}', '{major}.{mnior}'], at('v2.0.0-rc.1'))).toThrow('unknown placeholder {mnior}');
  });
});

describe('validateTagTemplate', () => {
  it.each(['{version}', '{major}.{minor}', '{major}', 'v{major}', 'sha-{sha}', '{date}', 'latest', '_{version}', `${'x'.repeat(123)}{version}`])(
    '%j can render a valid tag',
    (template) => {
      expect(validateTagTemplate(template)).toBeUndefined();
    },
  );

  it.each([
    ['', 'the tag template is empty'],
    ['{Version}', 'unknown placeholder {Version}; use {version}, {major}, {minor}, {patch}, {sha}, {date}'],
    ['{}', 'unknown placeholder {}'],
    ['{ version }', 'unknown placeholder { version }'],
    ['{version', 'unbalanced "{" or "}"'],
    ['version}', 'unbalanced "{" or "}"'],
    ['{{version}}', 'unbalanced "{" or "}"'],
    ['{version}+{sha}', '"+" can never be part of a tag'],
    ['release/{version}', '"/" can never be part of a tag'],
    ['v {version}', '" " can never be part of a tag'],
    ['{version}:{sha}@', '":" "@" can never be part of a tag'],
    ['-{version}', 'a tag cannot start with "." or "-"'],
    ['.{major}', 'a tag cannot start with "." or "-"'],
    [`${'x'.repeat(124)}{version}`, 'renders at least 129 characters; a tag has at most 128'],
    [`{sha}${'-'.repeat(122)}`, 'renders at least 129 characters'],
  ])('%j: %s', (template, problem) => {
    expect(validateTagTemplate(template)).toContain(problem);
  });
});
