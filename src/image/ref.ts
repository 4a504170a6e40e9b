// Image references parsed the way Docker and containerd do (github.com/distribution/reference: the grammar of
// regexp.go, the Docker Hub defaults of normalize.go, the limits of reference.go). Acceptance is decided by the
// same grammar; when it rejects, diagnose() finds the part that is wrong so the message can say which.
import { InputError } from '../errors.ts';

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

/** A reference that cannot name an image. An input error: the run exits 2 before anything is written. */
export class InvalidReferenceError extends InputError {
  override name = 'InvalidReferenceError';
  /** The reference as given ('' when unknown). */
  readonly reference: string;
  /** What is wrong, without the reference: `repository name must be lowercase: Team/api`. */
  readonly reason: string;
  constructor(reason: string, reference?: string) {
    super(reference === undefined ? reason : `invalid image reference "${reference}": ${reason}`);
    this.reference = reference ?? '';
    this.reason = reason;
  }
}

export const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** Counted on the path only, as distribution/reference has since v0.6 (the registry host is not included). */
export const MAX_PATH_LENGTH = 255;
export const MAX_TAG_LENGTH = 128;

// The grammar, term for term from distribution/reference regexp.go.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
// Brackets only, no zone (`%eth0`), no embedded IPv4: exactly what Docker accepts.
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6address})(?::[0-9]+)?`;
const tagPattern = `[\\w][\\w.-]{0,${MAX_TAG_LENGTH - 1}}`;
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';

const referenceRe = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const domainRe = new RegExp(`^${domainAndPort}$`);
const pathComponentRe = new RegExp(`^${pathComponent}$`);
const tagRe = new RegExp(`^${tagPattern}$`);
const digestAlgorithmRe = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const imageIdRe = /^[a-f0-9]{64}$/;

/**
 * The algorithms Docker can resolve (go-digest with crypto/sha256 and crypto/sha512 linked) and the exact
 * length of their lowercase hex encoding. Any other algorithm is well-formed but unsupported, as in Docker.
 */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** Parses a reference; throws InvalidReferenceError with a message naming what is wrong. */
export function parseImageRef(input: string): ImageRef {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(reason, input);
  };
  if (input === '') fail('the reference is empty');
  if (/\s/.test(input)) fail('it contains whitespace');
  if (imageIdRe.test(input)) fail('a 64-character hex string is an image ID, not a repository name');
  if (input.includes('://')) fail('write it without a URL scheme, e.g. "reg.example.com/team/app:v1"');

  const { registry, remainder, official } = splitRegistry(input);
  const remote = remainder.split(/[:@]/, 1)[0] ?? '';
  // Messages quote the name as written, without the library/ that normalisation added.
  const written = official ? remote.slice(OFFICIAL_PREFIX.length) : remote;
  if (remote.toLowerCase() !== remote) fail(`repository name must be lowercase: ${written}`);

  const match = referenceRe.exec(`${registry}/${remainder}`);
  if (!match) fail(written === '' ? 'the repository name is missing' : diagnose(input, registry, remainder));
  const [, name = '', tag, digest] = match!;
  const path = name.slice(registry.length + 1);
  if (path.length > MAX_PATH_LENGTH) {
    fail(`repository name must not be more than ${MAX_PATH_LENGTH} characters (it has ${path.length})`);
  }
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem) fail(problem);
  }
  return { registry, path, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/**
 * Parses a repository: a reference without tag or digest (`us-docker.pkg.dev/acme/apps/invoice`), as the
 * config's `repository:` fields are written.
 */
export function parseRepository(input: string): ImageRef {
  const ref = parseImageRef(input);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    const extra = ref.digest !== undefined ? `digest @${ref.digest}` : `tag :${ref.tag}`;
    throw new InvalidReferenceError(`a repository is named without a tag or digest; remove the ${extra}`, input);
  }
  return { registry: ref.registry, path: ref.path };
}

/** `registry/path[:tag][@digest]`, fully qualified (never abbreviated). */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.path}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Docker's short form, as `docker images` prints it: `nginx:1.27`, `acme/api`, `reg.local:5000/team/api:v1`. */
export function familiar(ref: ImageRef): string {
  let name = `${ref.registry}/${ref.path}`;
  if (ref.registry === DOCKER_HUB) {
    const official = ref.path.startsWith(OFFICIAL_PREFIX) ? ref.path.slice(OFFICIAL_PREFIX.length) : undefined;
    // library/ is dropped only for one-level names, as normalize.go does: `library/foo/bar` keeps it.
    name = official !== undefined && !official.includes('/') ? official : ref.path;
  }
  return `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `registry/path`, the key that says whether two references name the same repository. */
export function repositoryOf(ref: ImageRef): string {
  return `${ref.registry}/${ref.path}`;
}

/**
 * Whether two references name the same repository, tags and digests aside. Strings are parsed first, so
 * `nginx` and `docker.io/library/nginx:1.27` match. Host names compare without case (DNS ignores it).
 */
export function sameRepository(a: ImageRef | string, b: ImageRef | string): boolean {
  const x = typeof a === 'string' ? parseImageRef(a) : a;
  const y = typeof b === 'string' ? parseImageRef(b) : b;
  return x.registry.toLowerCase() === y.registry.toLowerCase() && x.path === y.path;
}

/** True when `tag` is a valid Docker tag: [\w][\w.-]{0,127}. */
export function isValidTag(tag: string): boolean {
  return tagRe.test(tag);
}

/** True for a digest Docker can resolve: `sha256:` + 64 lowercase hex (or sha384/sha512 with theirs). */
export function isValidDigest(digest: string): boolean {
  return digestProblem(digest) === undefined;
}

/** What is wrong with a tag, in words; undefined when it is valid. */
export function tagProblem(tag: string): string | undefined {
  if (tag === '') return 'the tag is empty';
  if (isValidTag(tag)) return undefined;
  if (tag.length > MAX_TAG_LENGTH) return `tag must not be more than ${MAX_TAG_LENGTH} characters (it has ${tag.length})`;
  if (/^[.-]/.test(tag)) return `tag must not start with "." or "-": ${tag}`;
  const bad = [...new Set(tag.replace(/[\w.-]/g, ''))].map((c) => `"${c}"`).join(' ');
  return `tag may only contain letters, digits, "_", "." and "-" (found ${bad}): ${tag}`;
}

/** What is wrong with a digest, in words; undefined when it is valid. */
export function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, Math.max(colon, 0));
  const hex = digest.slice(colon + 1);
  if (colon < 0 || !digestAlgorithmRe.test(algorithm)) return `digest must look like sha256:<64 hex characters>: ${digest}`;
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) {
    return `unsupported digest algorithm "${algorithm}" (Docker resolves ${Object.keys(DIGEST_HEX_LENGTH).join(', ')})`;
  }
  if (!/^[0-9a-fA-F]*$/.test(hex)) return `${algorithm} digest must be hexadecimal: ${digest}`;
  if (hex.length !== length) return `${algorithm} digest must have exactly ${length} hex characters (it has ${hex.length})`;
  if (hex !== hex.toLowerCase()) return `${algorithm} digest must be lowercase hexadecimal: ${digest}`;
  return undefined;
}

/**
 * Docker's rule for the first path component (normalize.go splitDockerDomain): it is the registry only when it
 * contains "." or ":", is `localhost`, or has uppercase letters (which a repository name cannot). Otherwise the
 * reference is on Docker Hub, and one-level names live under `library/`.
 */
function splitRegistry(input: string): { registry: string; remainder: string; official: boolean } {
  const slash = input.indexOf('/');
  // A single element (`nginx:1.27`, even `localhost:5000`) is always a Docker Hub name, as in Docker.
  if (slash < 0) return { registry: DOCKER_HUB, remainder: OFFICIAL_PREFIX + input, official: true };
  const first = input.slice(0, slash);
  const rest = input.slice(slash + 1);
  let registry = DOCKER_HUB;
  let remainder = input;
  if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    registry = first === LEGACY_DOCKER_HUB ? DOCKER_HUB : first;
    remainder = rest;
  }
  const official = registry === DOCKER_HUB && !remainder.includes('/');
  return { registry, remainder: official ? OFFICIAL_PREFIX + remainder : remainder, official };
}

/** Why `registry/remainder` failed the grammar, naming the first part that is wrong. */
function diagnose(input: string, registry: string, remainder: string): string {
  if (!input.includes('/') && input.startsWith('[')) {
    return 'an IPv6 registry host needs a repository path after it, e.g. "[::1]:5000/team/app"';
  }
  if (!domainRe.test(registry)) return registryProblem(registry);

  const at = remainder.indexOf('@');
  const nameAndTag = at < 0 ? remainder : remainder.slice(0, at);
  const colon = nameAndTag.indexOf(':');
  const path = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon);

  const pathProblem = repositoryPathProblem(path);
  if (pathProblem) return pathProblem;
  if (colon >= 0) {
    const problem = tagProblem(nameAndTag.slice(colon + 1));
    if (problem) return problem;
  }
  if (at >= 0) {
    const problem = digestProblem(remainder.slice(at + 1));
    if (problem) return problem;
  }
  return 'it does not follow the reference grammar [registry[:port]/]path[:tag][@digest]';
}

function registryProblem(registry: string): string {
  if (registry.includes('%')) return `IPv6 zone identifiers are not allowed in a registry host: ${registry}`;
  if (registry.startsWith('[')) {
    return `registry host must be a bracketed IPv6 address with an optional numeric port, e.g. [::1]:5000: ${registry}`;
  }
  if ((registry.match(/:/g) ?? []).length > 1) return `IPv6 registry hosts must be in brackets, e.g. [fc00::1]:5000: ${registry}`;
  const [, port] = registry.split(':');
  if (port !== undefined && !/^[0-9]+$/.test(port)) return `registry port must be a number: ${registry}`;
  return `registry host must be a host name or IP address (letters, digits, "-" inside labels, "." between them): ${registry}`;
}

function repositoryPathProblem(path: string): string | undefined {
  for (const component of path.split('/')) {
    if (component === '') return `repository path has an empty component (a leading, trailing or doubled "/"): ${path}`;
    if (pathComponentRe.test(component)) continue;
    if (/[^a-z0-9._-]/.test(component)) {
      return `repository path components may only contain lowercase letters, digits, ".", "_" and "-": ${component}`;
    }
    if (/^[._-]|[._-]$/.test(component)) {
      return `repository path components must start and end with a letter or digit: ${component}`;
    }
    return `repository path separators are one ".", one or two "_", or any number of "-", never mixed: ${component}`;
  }
  return undefined;
}
