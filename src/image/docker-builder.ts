// Docker as a Builder: `docker buildx build` where buildx works, else the engine's own BuildKit through
// `DOCKER_BUILDKIT=1 docker build`. Which client can do which is probed, not assumed: a machine may carry a new
// client without buildx (which refuses DOCKER_BUILDKIT=1) next to an older one that still drives BuildKit.
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Logger } from '../log.ts';
import { dockerBuildArgs, dockerPushArgs, pushedDigest, pushesFromBuildKit, type DockerCapabilities } from './build-args.ts';
import { PushFailedError, type Builder, type BuildRequest, type PushedTag } from './builder.ts';
import { probe, runBuild, runTool } from './builder-process.ts';

export interface DockerProbe {
  /** Absolute path of the client binary. */
  path: string;
  /** The engine's version when this client reaches it. */
  engine?: string;
  /** buildx's version when `docker buildx version` works. */
  buildx?: string;
  /** `DOCKER_BUILDKIT=1 docker build --help` works: the client drives the engine's BuildKit without buildx. */
  classicBuildKit: boolean;
}

export interface DockerClient extends DockerCapabilities {
  path: string;
  engine: string;
}

/** Every `docker` on PATH, in PATH order, the same binary once. */
export function dockerCandidates(pathEnv: string | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of (pathEnv ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, 'docker');
    try {
      accessSync(file, constants.X_OK);
      const real = realpathSync(file);
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(file);
    } catch {
      /* not here */
    }
  }
  return out;
}

export async function probeDocker(path: string, env: NodeJS.ProcessEnv): Promise<DockerProbe> {
  const [engine, buildx, help] = await Promise.all([
    probe(path, ['version', '--format', '{{.Server.Version}}'], env),
    probe(path, ['buildx', 'version'], env),
    probe(path, ['build', '--help'], { ...env, DOCKER_BUILDKIT: '1' }),
  ]);
  return {
    path,
    ...(engine ? { engine } : {}),
    ...(buildx ? { buildx: /v?(\d+\.\d+\.\d+\S*)/.exec(buildx)?.[1] ?? buildx } : {}),
    classicBuildKit: help !== undefined,
  };
}

/**
 * The client to build with: one with buildx wins (registry cache, several platforms, attestation control),
 * else one that drives the engine's BuildKit; either must reach the engine. `why` says what was found when
 * none qualifies.
 */
export function chooseDockerClient(probes: readonly DockerProbe[]): { client?: DockerClient; why: string } {
  const reaching = probes.filter((p) => p.engine);
  const buildx = reaching.find((p) => p.buildx);
  if (buildx) return { client: { path: buildx.path, engine: buildx.engine!, mode: 'buildx', buildxVersion: buildx.buildx }, why: 'buildx' };
  const classic = reaching.find((p) => p.classicBuildKit);
  if (classic) return { client: { path: classic.path, engine: classic.engine!, mode: 'buildkit' }, why: 'BuildKit without buildx' };
  if (probes.length === 0) return { why: 'no docker client on PATH' };
  if (reaching.length === 0) return { why: `no Docker engine reachable (tried ${probes.map((p) => p.path).join(', ')}; is DOCKER_HOST right?)` };
  return {
    why: `no docker client can build with BuildKit: ${reaching.map((p) => `${p.path} has no buildx and refuses DOCKER_BUILDKIT=1`).join('; ')}`,
  };
}

export async function detectDocker(env: NodeJS.ProcessEnv): Promise<{ client?: DockerClient; why: string }> {
  const probes = await Promise.all(dockerCandidates(env.PATH).map((path) => probeDocker(path, env)));
  return chooseDockerClient(probes);
}

export interface DockerBuilderOptions {
  client: DockerClient;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Images built at once; the engine schedules the steps. */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;

export class DockerBuilder implements Builder {
  readonly name = 'docker' as const;
  readonly description: string;
  readonly concurrency: number;
  readonly #client: DockerClient;
  readonly #log: Logger;
  readonly #env: NodeJS.ProcessEnv;
  #warnedCache = false;

  constructor(options: DockerBuilderOptions) {
    this.#client = options.client;
    this.#log = options.logger;
    this.#env = options.client.mode === 'buildkit' ? { ...options.env, DOCKER_BUILDKIT: '1' } : options.env;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    const how = options.client.mode === 'buildx' ? `buildx ${options.client.buildxVersion ?? ''}`.trim() : 'BuildKit';
    this.description = `docker ${options.client.engine} (${how}, ${options.client.path})`;
  }

  async build(request: BuildRequest, signal?: AbortSignal): Promise<void> {
    if (request.cacheRepository && this.#client.mode === 'buildkit' && !this.#warnedCache) {
      this.#warnedCache = true;
      this.#log.warn(`registry cache needs docker buildx; building ${request.name} without it`);
    }
    const output = pushesFromBuildKit(request, this.#client) ? 'cache' : 'load';
    await this.#run(request, dockerBuildArgs(request, this.#client, output), signal);
  }

  async push(request: BuildRequest, signal?: AbortSignal): Promise<PushedTag[]> {
    if (pushesFromBuildKit(request, this.#client)) {
      // Everything is in the build cache from build(): this run only exports and pushes.
      await this.#run(request, dockerBuildArgs(request, this.#client, 'push'), signal);
      return request.tags.map((reference) => ({ reference }));
    }
    const pushed: PushedTag[] = [];
    for (const reference of request.tags) {
      const result = await runTool({
        file: this.#client.path,
        args: dockerPushArgs(reference),
        env: this.#env,
        signal,
        onLine: (line) => this.#log.info(`[${request.name}] ${line}`),
      });
      if (result.exitCode !== 0) throw new PushFailedError(request.name, reference, result.tail, result.exitCode ?? undefined);
      pushed.push({ reference, digest: pushedDigest(result.tail) });
    }
    return pushed;
  }

  async saveArchive(request: BuildRequest, file: string, signal?: AbortSignal): Promise<void> {
    if (pushesFromBuildKit(request, this.#client)) throw new Error(`image ${request.name}: a multi-platform buildx build stays in the build cache; it cannot be saved before the push`);
    const reference = request.tags[0]!;
    const result = await runTool({ file: this.#client.path, args: ['save', '-o', file, reference], env: this.#env, ...(signal ? { signal } : {}) });
    if (result.exitCode !== 0) throw new Error(`image ${request.name}: docker save ${reference} failed: ${result.tail.join(' ')}`);
  }

  async #run(request: BuildRequest, args: string[], signal?: AbortSignal): Promise<void> {
    await runBuild(request, { file: this.#client.path, args, env: this.#env, cwd: request.context, signal }, this.#log);
  }
}
