// `builder: auto|docker|buildah` to a working Builder. auto takes docker when a client can reach an engine and
// build with BuildKit, else buildah (GitLab runners without Docker-in-Docker have no engine).
import type { BuilderKind, RegistrySettings } from '../config/types.ts';
import type { Logger } from '../log.ts';
import type { BuildahSettings } from './build-args.ts';
import { BuildahBuilder, detectBuildah } from './buildah-builder.ts';
import type { Builder, BuilderName } from './builder.ts';
import { DockerBuilder, detectDocker, type DockerClient } from './docker-builder.ts';

export interface Detected {
  docker: { client?: DockerClient; why: string };
  /** buildah's version, when it runs. */
  buildah?: string;
}

export class NoBuilderError extends Error {
  override name = 'NoBuilderError';
}

export function chooseBuilder(kind: BuilderKind, found: Detected): BuilderName {
  const dockerOk = found.docker.client !== undefined;
  const buildahOk = found.buildah !== undefined;
  if (kind === 'docker' && !dockerOk) throw new NoBuilderError(`builder docker: ${found.docker.why}`);
  if (kind === 'buildah' && !buildahOk) throw new NoBuilderError('builder buildah: buildah is not installed (or does not run)');
  if (kind !== 'auto') return kind;
  if (dockerOk) return 'docker';
  if (buildahOk) return 'buildah';
  throw new NoBuilderError(`builder auto: no way to build images here: docker: ${found.docker.why}; buildah: not installed`);
}

export interface BuilderOptions {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  registries: Record<string, RegistrySettings>;
  buildah?: Partial<BuildahSettings>;
  dockerConcurrency?: number;
}

export async function createBuilder(kind: BuilderKind, options: BuilderOptions): Promise<Builder> {
  const docker = kind === 'buildah' ? { why: 'not asked for' } : await detectDocker(options.env);
  const wantBuildah = kind === 'buildah' || (kind === 'auto' && !docker.client);
  const found: Detected = { docker, buildah: wantBuildah ? await detectBuildah(options.env) : undefined };
  const name = chooseBuilder(kind, found);
  const builder =
    name === 'docker'
      ? new DockerBuilder({ client: found.docker.client!, logger: options.logger, env: options.env, concurrency: options.dockerConcurrency })
      : new BuildahBuilder({ version: found.buildah!, logger: options.logger, env: options.env, registries: options.registries, settings: options.buildah });
  options.logger.info(`building with ${builder.description}`);
  return builder;
}
