// rollgate build --config F --version V: build every image and push its version tags. No target tag, no
// cluster: for pipelines that build in one job and deploy in another.
import type { Config, ImageConfig } from '../config/types.ts';
import { InputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { registryFor as defaultRegistryFor } from '../registry/factory.ts';
import { OciRegistry } from '../registry/oci-client.ts';
import { buildImages, type BuiltImage, type DigestResolver, type ImageToBuild } from '../image/build-images.ts';
import type { Builder } from '../image/builder.ts';
import { createBuilder } from '../image/builder-select.ts';
import { buildTime, ociLabels, sourceUrl } from '../image/labels.ts';
import { parseBuildVersion, renderVersionTags } from '../image/version-tags.ts';

/** Per-run build switches (CLI flags / action inputs), the same for every image. */
export interface BuildFlags {
  /** Always look for newer base images (the nightly rebuild wants this). */
  pull?: boolean;
  noCache?: boolean;
  /** Network for RUN steps: `host`, `none`, or the builder's default. */
  network?: string;
  /** Registry layer cache in `<repository>:buildcache` (buildx) or `<repository>` (buildah). */
  cacheRepository?: (image: ImageConfig) => string | undefined;
  /** Provenance/SBOM attestations (buildx): the pushed digest becomes an index. */
  attestations?: boolean;
}

export interface BuildInput {
  config: Config;
  /** `v4.2.0`: the version tags are rendered from it. */
  version: string;
  /** The full git commit sha being built. */
  sha: string;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** org.opencontainers.image.source; from the CI environment when not given. */
  source?: string;
  flags?: BuildFlags;
  /** Given in tests and by callers that already chose one; otherwise made from `config.builder`. */
  builder?: Builder;
  registryFor?: (repository: string) => Promise<DigestResolver> | DigestResolver;
  now?: () => Date;
}

const GIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The build requests for every image of the config: tags rendered, labels set, flags applied. */
export function planBuild(input: Omit<BuildInput, 'logger' | 'builder' | 'registryFor'>): ImageToBuild[] {
  const { config, flags = {} } = input;
  const env = input.env ?? {};
  if (!GIT_SHA.test(input.sha)) {
    throw new InputError({ field: 'sha', message: `"${input.sha}" is not a full git commit sha (40 hex characters)` });
  }
  const version = parseBuildVersion(input.version);
  const created = buildTime(env, input.now);
  const tags = renderVersionTags(config.tags, { version, sha: input.sha, date: created });
  const labels = ociLabels({ version: version.raw, revision: input.sha, source: input.source ?? sourceUrl(env), created });
  return config.images.map((image) => {
    const cacheRepository = flags.cacheRepository?.(image);
    return {
      name: image.name,
      repository: image.repository,
      context: image.context,
      dockerfile: image.dockerfile,
      ...(image.target ? { target: image.target } : {}),
      buildArgs: image.buildArgs,
      secrets: image.secrets,
      labels,
      platforms: image.platforms,
      tags: tags.map((t) => `${image.repository}:${t}`),
      pull: flags.pull ?? false,
      noCache: flags.noCache ?? false,
      ...((image.network ?? flags.network) ? { network: image.network ?? flags.network! } : {}),
      ...(cacheRepository ? { cacheRepository } : {}),
      attestations: flags.attestations ?? false,
    };
  });
}

export async function build(input: BuildInput): Promise<BuiltImage[]> {
  const env = input.env ?? process.env;
  const images = planBuild({ ...input, env });
  const builder =
    input.builder ??
    (await createBuilder(input.config.builder, { logger: input.logger, env: env as NodeJS.ProcessEnv, registries: input.config.registries }));
  let registryFor = input.registryFor;
  if (!registryFor) {
    const options = { logger: input.logger, env: env as NodeJS.ProcessEnv };
    // One client for every repository, so its tokens are reused.
    const oci = new OciRegistry({ ...options, registries: input.config.registries });
    registryFor = (repository: string) => defaultRegistryFor(repository, input.config, { ...options, oci });
  }
  return buildImages(images, { builder, registryFor, logger: input.logger, env, signal: input.signal });
}
