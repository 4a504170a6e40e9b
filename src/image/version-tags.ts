// The version tags of a build: the version parsed once (semver), the configured templates rendered from it.
import parse from 'semver/functions/parse.js';
import { InputError } from '../errors.ts';
import { isValidTag, MAX_TAG_LENGTH, tagProblem } from './ref.ts';

export interface BuildVersion {
  /** As given, e.g. `v4.2.0` or `4.2.0-rc.1`. */
  raw: string;
  /** Whether the input carried a leading `v`; rendered tags keep it as written. */
  prefix: '' | 'v';
  major: number;
  minor: number;
  patch: number;
  prerelease: boolean;
}

export interface TagContext {
  version: BuildVersion;
  /** Git commit sha (full); `{sha}` renders its first 7 characters. */
  sha?: string;
  /** The moment of the build; `{date}` renders YYYYMMDD in UTC. */
  date?: Date;
}

export const TAG_PLACEHOLDERS = ['version', 'major', 'minor', 'patch', 'sha', 'date'] as const;
export type TagPlaceholder = (typeof TAG_PLACEHOLDERS)[number];

const VERSION_SHAPE =
  'a version is MAJOR.MINOR.PATCH with an optional leading "v", an optional pre-release after "-" and ' +
  'optional build metadata after "+", e.g. v4.2.0, 4.2.0, v4.2.0-rc.1, v4.2.0+build.7';
const SHORT_SHA_LENGTH = 7;
const placeholderRe = /\{([^{}]*)\}/g;
/** The shortest value each placeholder can render, to tell templates that can never fit in a tag. */
const SHORTEST: Record<TagPlaceholder, string> = {
  version: '0.0.0',
  major: '0',
  minor: '0',
  patch: '0',
  sha: '0'.repeat(SHORT_SHA_LENGTH),
  date: '00000000',
};

/**
 * Parses `v4.2.0`-style input with semver (strict: three numbers, lowercase `v` only). A git ref such as
 * GitHub's GITHUB_REF `refs/tags/v4.2.0` is accepted and its prefix dropped. Throws an InputError that says
 * what a valid version looks like.
 */
export function parseBuildVersion(input: string): BuildVersion {
  const raw = input.trim().replace(/^refs\/tags\//, '');
  const parsed = raw === '' ? null : parse(raw);
  if (!parsed) throw new InputError(`version "${input}" is not valid: ${versionHint(raw)}${VERSION_SHAPE}`);
  return {
    raw,
    prefix: raw.startsWith('v') ? 'v' : '',
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease.length > 0,
  };
}

function versionHint(raw: string): string {
  if (raw === '') return 'it is empty; ';
  if (raw.startsWith('refs/')) return 'only a tag ref (refs/tags/…) names a version; ';
  if (/^[vV]?\d+(\.\d+)?$/.test(raw)) return 'it needs all three numbers (add ".0"); ';
  if (/^[vV]?\d+\.\d+\.\d+\.\d/.test(raw)) return 'it has more than three numbers; ';
  if (raw.startsWith('V')) return 'the prefix must be a lowercase "v"; ';
  return '';
}

/**
 * What is wrong with a tag template, or undefined when it can render a valid tag: an unknown placeholder, a
 * stray brace, a character no tag may contain, a leading "." or "-", or more than 128 characters even with the
 * shortest values. Used by the config validator; renderVersionTags applies it too.
 */
export function validateTagTemplate(template: string): string | undefined {
  if (template === '') return 'the tag template is empty';
  for (const [, name = ''] of template.matchAll(placeholderRe)) {
    if (!isPlaceholder(name)) {
      return `unknown placeholder {${name}}; use ${TAG_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
    }
  }
  const literal = template.replace(placeholderRe, '');
  if (/[{}]/.test(literal)) return `unbalanced "{" or "}" in tag template "${template}"`;
  const bad = [...new Set(literal.replace(/[\w.-]/g, ''))];
  if (bad.length > 0) {
    return `${bad.map((c) => `"${c}"`).join(' ')} can never be part of a tag (tags allow letters, digits, "_", "." and "-")`;
  }
  if (/^[.-]/.test(template)) return 'a tag cannot start with "." or "-"';
  const shortest = template.replace(placeholderRe, (_, name: TagPlaceholder) => SHORTEST[name]);
  if (shortest.length > MAX_TAG_LENGTH) {
    return `renders at least ${shortest.length} characters; a tag has at most ${MAX_TAG_LENGTH}`;
  }
  return undefined;
}

/**
 * Renders the version tag templates, in order and without duplicates.
 *
 * `{version}` is the version as written, `v` included. Of `{major}`, `{minor}` and `{patch}`, the first one in a
 * template carries the input's `v` and the others are bare numbers, so `{major}.{minor}` renders `v4.2` for
 * v4.2.0 (the release line reads like the versions in it) and never `v4.v2`.
 *
 * Build metadata: `+` is not allowed in a tag, so it renders as `-` (`v4.2.0+build.7` -> `v4.2.0-build.7`),
 * which is what docker/metadata-action does (it replaces every run of invalid characters with `-`), so tags
 * match those of workflows moving from it.
 *
 * A prerelease renders only the templates that contain `{version}`: `{major}.{minor}`, a fixed `latest`, a
 * `{date}` or `sha-{sha}` tag all name something people follow, and an rc must not move them.
 */
export function renderVersionTags(templates: readonly string[], ctx: TagContext): string[] {
  for (const template of templates) {
    const problem = validateTagTemplate(template);
    if (problem) throw new InputError(`tag template "${template}": ${problem}`);
  }
  const tags: string[] = [];
  for (const template of templates) {
    if (ctx.version.prerelease && !template.includes('{version}')) continue;
    const tag = renderTemplate(template, ctx);
    if (!isValidTag(tag)) {
      throw new InputError(`tag template "${template}" renders "${tag}", which is not a valid tag: ${tagProblem(tag)}`);
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

function renderTemplate(template: string, ctx: TagContext): string {
  const { version } = ctx;
  let prefix: string = version.prefix;
  const numbered = (n: number): string => {
    const text = `${prefix}${n}`;
    prefix = '';
    return text;
  };
  return template.replace(placeholderRe, (_, name: TagPlaceholder) => {
    switch (name) {
      case 'version':
        return version.raw.replaceAll('+', '-');
      case 'major':
        return numbered(version.major);
      case 'minor':
        return numbered(version.minor);
      case 'patch':
        return numbered(version.patch);
      case 'sha':
        return shortSha(template, ctx.sha);
      case 'date':
        return utcDate(template, ctx.date);
    }
  });
}

function shortSha(template: string, sha: string | undefined): string {
  if (sha === undefined || sha === '') {
    throw new InputError(`tag template "${template}" uses {sha}, but no commit sha was given`);
  }
  if (!/^[0-9a-fA-F]{7,64}$/.test(sha)) {
    throw new InputError(`tag template "${template}" uses {sha}, but "${sha}" is not a git commit sha (7 to 64 hex characters)`);
  }
  return sha.slice(0, SHORT_SHA_LENGTH).toLowerCase();
}

function utcDate(template: string, date: Date | undefined): string {
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new InputError(`tag template "${template}" uses {date}, but no valid build date was given`);
  }
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
}

function isPlaceholder(name: string): name is TagPlaceholder {
  return (TAG_PLACEHOLDERS as readonly string[]).includes(name);
}
