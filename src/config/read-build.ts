// The build side of rollgate.yml, shared by every environment: images, version tag templates, registries.
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidReferenceError, parseImageRef, repositoryOf } from '../image/ref.ts';
import { validateTagTemplate } from '../image/version-tags.ts';
import { dockerfileStages, pathProblem } from './paths.ts';
import type { ImageConfig, RegistrySettings } from './types.ts';
import type { ConfigReader, Field } from './yaml-reader.ts';

const IMAGE_KEYS = ['repository', 'context', 'dockerfile', 'target', 'buildArgs', 'secrets', 'platforms', 'network'] as const;
// `default` is the builder's own (a bridge for docker, the host for buildah's chroot isolation).
export const BUILD_NETWORKS = ['default', 'host', 'none'] as const;
const REGISTRY_KEYS = ['insecure', 'endpoint', 'apiEndpoint'] as const;
export const DEFAULT_TAGS = ['{version}'];
export const DEFAULT_PLATFORMS = ['linux/amd64'];

const IMAGE_NAME = /^[A-Za-z0-9][\w.-]*$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
const HOST = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:\d{1,5})?$/;

/** Paths in the file are relative to its folder. */
export function resolvePath(baseDir: string, written: string): string {
  return isAbsolute(written) ? written : resolve(baseDir, written);
}

/** `buildOnly` reads the settings only a build uses (build arguments); see LoadOptions.builds. */
export function readImages(r: ConfigReader, field: Field, baseDir: string, buildOnly: ConfigReader = r): ImageConfig[] {
  const entries = r.entries(field);
  if (entries.length === 0) {
    if (r.isAbsent(field)) r.report(field, 'missing; rollgate.yml needs at least one image under images:');
    else r.report(field, 'no images; add at least one (name: { repository, context, ... })');
    return [];
  }
  const images: ImageConfig[] = [];
  const repositories = new Map<string, string>();
  for (const [name, imageField] of entries) {
    if (!IMAGE_NAME.test(name)) r.report(imageField, `"${name}" cannot name an image (letters, digits, _, . and -)`, 'key');
    const image = readImage(r, name, imageField, baseDir, buildOnly);
    if (!image) continue;
    const other = repositories.get(image.repository);
    if (other !== undefined) {
      r.report({ ...imageField, path: `${imageField.path}.repository` }, `images ${other} and ${name} push to the same repository ${image.repository}; their tags would overwrite each other`);
    }
    repositories.set(image.repository, name);
    images.push(image);
  }
  return images;
}

function readImage(r: ConfigReader, name: string, field: Field, baseDir: string, buildOnly: ConfigReader): ImageConfig | undefined {
  const f = r.fields(field, IMAGE_KEYS);
  if (!f) return undefined;
  const repository = readRepository(r, f.repository);

  const contextWritten = r.string(f.context) ?? '.';
  const context = resolvePath(baseDir, contextWritten);
  const contextProblem = pathProblem(contextWritten, context, 'directory');
  if (contextProblem) r.report(f.context, `build context ${contextProblem}`);

  const dockerfileWritten = r.string(f.dockerfile);
  const dockerfile = dockerfileWritten === undefined ? join(context, 'Dockerfile') : resolvePath(baseDir, dockerfileWritten);
  const dockerfileProblem = contextProblem && dockerfileWritten === undefined ? undefined : pathProblem(dockerfileWritten ?? join(contextWritten, 'Dockerfile'), dockerfile, 'file');
  if (dockerfileProblem) r.report(f.dockerfile, `Dockerfile ${dockerfileProblem}`);

  const target = r.string(f.target);
  if (target !== undefined && !dockerfileProblem) {
    const stages = dockerfileStages(dockerfile);
    if (!stages.includes(target.toLowerCase())) {
      r.report(f.target, `the Dockerfile has no stage "${target}"${stages.length ? ` (its stages: ${stages.join(', ')})` : ' (it names no stages with FROM ... AS name)'}`);
    }
  }

  const buildArgs = buildOnly.stringMap(f.buildArgs);
  for (const [arg, child] of r.entries(f.buildArgs)) {
    if (!VARIABLE_NAME.test(arg)) r.report(child, `"${arg}" cannot be a build argument name (letters, digits and _)`, 'key');
  }

  const secrets = r.stringList(f.secrets) ?? [];
  r.items(f.secrets).forEach((item, i) => {
    const s = secrets[i];
    if (s !== undefined && !VARIABLE_NAME.test(s)) {
      r.report(item, `"${s}" is not an environment variable name; a build secret's value comes from the variable of that name`);
    }
  });

  const platforms = r.stringList(f.platforms) ?? DEFAULT_PLATFORMS;
  r.items(f.platforms).forEach((item, i) => {
    const p = platforms[i];
    if (p !== undefined && !PLATFORM.test(p)) r.report(item, `"${p}" is not a platform (os/arch[/variant], e.g. linux/amd64)`);
  });
  if (!r.isAbsent(f.platforms) && platforms.length === 0) r.report(f.platforms, 'the list is empty; leave it out to build for linux/amd64');

  const network = r.oneOf(f.network, BUILD_NETWORKS);

  if (repository === undefined) return undefined;
  return {
    name,
    repository,
    context,
    dockerfile,
    ...(target !== undefined ? { target } : {}),
    buildArgs,
    secrets: [...new Set(secrets)],
    platforms,
    ...(network !== undefined && network !== 'default' ? { network } : {}),
  };
}

/** The repository, fully qualified (`invoice` -> `docker.io/library/invoice`); no tag, no digest. */
function readRepository(r: ConfigReader, field: Field): string | undefined {
  const written = r.string(field, { required: 'every image needs a repository, e.g. us-docker.pkg.dev/acme/apps/invoice' });
  if (written === undefined) return undefined;
  try {
    const ref = parseImageRef(written);
    if (ref.tag !== undefined || ref.digest !== undefined) {
      const extra = ref.digest !== undefined ? `digest @${ref.digest}` : `tag :${ref.tag}`;
      r.report(field, `"${written}" carries a ${extra}; write the repository alone: tags come from tags: and each environment's targetTag`);
      return undefined;
    }
    return repositoryOf(ref);
  } catch (err) {
    if (!(err instanceof InvalidReferenceError)) throw err;
    r.report(field, `"${written}" is not a valid repository: ${err.reason}`);
    return undefined;
  }
}

export function readTags(r: ConfigReader, field: Field): string[] {
  if (r.isAbsent(field)) return [...DEFAULT_TAGS];
  const tags = r.stringList(field);
  if (tags === undefined) return [...DEFAULT_TAGS];
  if (tags.length === 0) r.report(field, 'the list is empty; every deploy needs at least one version tag, e.g. "{version}"');
  const seen = new Set<string>();
  r.items(field).forEach((item, i) => {
    const template = tags[i];
    if (template === undefined) return;
    const problem = validateTagTemplate(template);
    if (problem) r.report(item, `"${template}" can never be a valid tag: ${problem}`);
    if (seen.has(template)) r.report(item, `"${template}" is listed twice`);
    seen.add(template);
  });
  return tags;
}

export function readRegistries(r: ConfigReader, field: Field): Record<string, RegistrySettings> {
  const out: Record<string, RegistrySettings> = {};
  for (const [host, registryField] of r.entries(field)) {
    if (!HOST.test(host)) r.report(registryField, `"${host}" is not a registry host (host or host:port, as written in image references)`, 'key');
    const f = r.fields(registryField, REGISTRY_KEYS);
    if (!f) continue;
    const settings: RegistrySettings = { insecure: r.boolean(f.insecure) ?? false };
    const endpoint = readUrl(r, f.endpoint, 'the URL of the registry API, e.g. https://mirror.internal:5000');
    if (endpoint !== undefined) settings.endpoint = endpoint;
    const apiEndpoint = readUrl(r, f.apiEndpoint, 'the Artifact Registry API base URL, e.g. https://artifactregistry.googleapis.com');
    if (apiEndpoint !== undefined) settings.apiEndpoint = apiEndpoint;
    out[host] = settings;
  }
  return out;
}

/** An http(s) URL without a trailing slash. */
export function readUrl(r: ConfigReader, field: Field, what: string): string | undefined {
  const url = r.string(field);
  if (url === undefined) return undefined;
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
    r.report(field, `"${url}" is not an http(s) URL; expected ${what}`);
    return undefined;
  }
  return url.replace(/\/+$/, '');
}
