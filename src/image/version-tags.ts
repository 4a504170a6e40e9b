// STUB — the ref helper replaces the bodies. Exported names and shapes are relied on by src/config.

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

/** Parses `v4.2.0`-style input with semver; throws InputError-friendly Error on invalid input. */
export function parseBuildVersion(input: string): BuildVersion {
  throw new Error(`not implemented: ${input}`);
}

/** Renders the version tag templates; prereleases get only their full version tag. */
export function renderVersionTags(templates: readonly string[], ctx: TagContext): string[] {
  throw new Error(`not implemented: ${templates.join(',')} ${ctx.version.raw}`);
}
