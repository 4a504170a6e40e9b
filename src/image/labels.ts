// The OCI labels every image carries (image-spec annotations.md, "Pre-Defined Annotation Keys"). They describe
// the artifact, never where it runs: the same image goes to dev, stg and prd.

export interface ImageOrigin {
  /** The version being built, as given (`v4.2.0`). */
  version: string;
  /** The full git commit sha. */
  revision: string;
  /** URL of the source repository, when known. */
  source?: string;
  /** When the image was built. */
  created: Date;
}

export const OCI_VERSION_LABEL = 'org.opencontainers.image.version';
export const OCI_REVISION_LABEL = 'org.opencontainers.image.revision';

export function ociLabels(origin: ImageOrigin): Record<string, string> {
  return {
    [OCI_VERSION_LABEL]: origin.version,
    [OCI_REVISION_LABEL]: origin.revision,
    ...(origin.source ? { 'org.opencontainers.image.source': origin.source } : {}),
    // RFC 3339 in UTC, second precision: the spec's format, and stable whatever the machine's zone.
    'org.opencontainers.image.created': origin.created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * The build time, the OCI meaning of `created`. It is the build's and not the commit's because the nightly
 * rebuild makes a new image of the same commit with newer packages. SOURCE_DATE_EPOCH (the reproducible-builds
 * convention) pins it when a pipeline wants identical labels across rebuilds.
 */
export function buildTime(env: Readonly<Record<string, string | undefined>>, now: () => Date = () => new Date()): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${epoch}"`);
    return new Date(Number(epoch) * 1000);
  }
  return now();
}

/**
 * The source repository's web URL from what the CI system says (GitHub Actions, GitLab CI), or from the git
 * remote URL (`git@host:owner/repo.git` becomes `https://host/owner/repo`). Credentials in a remote URL are
 * dropped: a label is public.
 */
export function sourceUrl(env: Readonly<Record<string, string | undefined>>, gitRemote?: string): string | undefined {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) return `${env.GITHUB_SERVER_URL.replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`;
  if (env.CI_PROJECT_URL) return env.CI_PROJECT_URL;
  if (!gitRemote) return undefined;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(gitRemote);
  if (scp && !gitRemote.includes('://')) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(gitRemote);
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) return undefined;
    const path = url.pathname.replace(/\.git\/?$/, '').replace(/\/+$/, '');
    // An ssh or git port is not the web server's.
    return url.protocol === 'http:' || url.protocol === 'https:' ? `${url.protocol}//${url.host}${path}` : `https://${url.hostname}${path}`;
  } catch {
    return undefined;
  }
}
