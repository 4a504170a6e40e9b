// buildah as a Builder, for runners without a Docker engine (GitLab without Docker-in-Docker): `buildah bud`,
// then `buildah push` per tag. One image at a time: each bud is its own process over one storage, so parallel
// builds contend for the storage lock on every pull and layer commit, and a CI runner's two cores gain nothing
// from interleaving them (the docker engine, by contrast, schedules concurrent builds itself).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistrySettings } from '../config/types.ts';
import type { Logger } from '../log.ts';
import { endpointFor } from '../registry/endpoint.ts';
import { buildahBudArgs, buildahGlobalArgs, buildahPushArgs, insecureRegistriesConf, type BuildahSettings } from './build-args.ts';
import { baseImageHosts } from './builder-base-images.ts';
import { PushFailedError, type Builder, type BuildRequest, type PushedTag } from './builder.ts';
import { probe, runBuild, runTool } from './builder-process.ts';
import { parseImageRef } from './ref.ts';

export const DEFAULT_BUILDAH_SETTINGS: BuildahSettings = { isolation: 'chroot', format: 'docker' };
const SYSTEM_REGISTRIES_CONF = '/etc/containers/registries.conf';

/** `buildah version 1.28.2 (image-spec ...)` -> `1.28.2`; undefined when buildah does not run. */
export async function detectBuildah(env: NodeJS.ProcessEnv, file = 'buildah'): Promise<string | undefined> {
  const out = await probe(file, ['--version'], env);
  return out === undefined ? undefined : (/version (\S+)/.exec(out)?.[1] ?? out);
}

export interface BuildahBuilderOptions {
  version: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Config.registries: which hosts are insecure. Loopback hosts always are. */
  registries: Record<string, RegistrySettings>;
  settings?: Partial<BuildahSettings>;
  file?: string;
}

export class BuildahBuilder implements Builder {
  readonly name = 'buildah' as const;
  readonly description: string;
  readonly concurrency = 1;
  readonly #log: Logger;
  readonly #env: NodeJS.ProcessEnv;
  readonly #registries: Record<string, RegistrySettings>;
  readonly #settings: BuildahSettings;
  readonly #file: string;

  constructor(options: BuildahBuilderOptions) {
    this.#log = options.logger;
    this.#env = options.env;
    this.#registries = options.registries;
    this.#settings = { ...DEFAULT_BUILDAH_SETTINGS, ...options.settings };
    this.#file = options.file ?? 'buildah';
    this.description = `buildah ${options.version} (${this.#settings.isolation} isolation)`;
  }

  #insecure(host: string): boolean {
    return !endpointFor(host, this.#registries).verifyTls;
  }

  async build(request: BuildRequest, signal?: AbortSignal): Promise<void> {
    const args = buildahBudArgs(request, this.#settings);
    const hosts = baseImageHosts(readFileSync(request.dockerfile, 'utf8'), request.buildArgs).filter((h) => this.#insecure(h));
    const scratch = mkdtempSync(join(tmpdir(), 'rollgate-buildah-'));
    try {
      let env = this.#env;
      if (hosts.length > 0) {
        const system = this.#env.CONTAINERS_REGISTRIES_CONF ?? SYSTEM_REGISTRIES_CONF;
        const conf = join(scratch, 'registries.conf');
        writeFileSync(conf, insecureRegistriesConf(existsSync(system) ? readFileSync(system, 'utf8') : '', hosts));
        env = { ...env, CONTAINERS_REGISTRIES_CONF: conf };
      }
      await runBuild(request, { file: this.#file, args, env, cwd: request.context, signal }, this.#log);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  async saveArchive(request: BuildRequest, file: string, signal?: AbortSignal): Promise<void> {
    const reference = request.tags[0]!;
    const result = await runTool({ file: this.#file, args: [...buildahGlobalArgs(this.#settings), 'push', reference, `docker-archive:${file}:${reference}`], env: this.#env, ...(signal ? { signal } : {}) });
    if (result.exitCode !== 0) throw new Error(`image ${request.name}: buildah push ${reference} docker-archive: failed: ${result.tail.join(' ')}`);
  }

  async push(request: BuildRequest, signal?: AbortSignal): Promise<PushedTag[]> {
    const scratch = mkdtempSync(join(tmpdir(), 'rollgate-buildah-'));
    try {
      const pushed: PushedTag[] = [];
      for (const reference of request.tags) {
        const digestFile = join(scratch, 'digest');
        const insecure = this.#insecure(parseImageRef(reference).registry);
        const result = await runTool({
          file: this.#file,
          args: buildahPushArgs(reference, this.#settings, { digestFile, insecure }),
          env: this.#env,
          signal,
          onLine: (line) => this.#log.info(`[${request.name}] ${line}`),
        });
        if (result.exitCode !== 0) throw new PushFailedError(request.name, reference, result.tail, result.exitCode ?? undefined);
        const digest = existsSync(digestFile) ? readFileSync(digestFile, 'utf8').trim() : undefined;
        rmSync(digestFile, { force: true });
        pushed.push({ reference, ...(digest ? { digest } : {}) });
      }
      return pushed;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
