// The command lines of the build tools, as pure functions of a BuildRequest. Nothing here runs a tool; the
// builders pass these to the process runner. Secret values never appear: only `id=NAME,env=NAME`.
import { InputError } from '../errors.ts';
import type { BuildRequest } from './builder.ts';

export type DockerMode = 'buildx' | 'buildkit';

/** What the docker tool knows how to do, from probing it (see docker-tool.ts). */
export interface DockerCapabilities {
  mode: DockerMode;
  /** buildx version (`0.12.1`); attestation flags exist from 0.10. */
  buildxVersion?: string;
}

/**
 * How a buildx build leaves its result: loaded into the engine then pushed tag by tag (`load`), or kept in
 * the build cache only (`cache`) and pushed straight from BuildKit by a second, cached run (`push`).
 */
export type BuildxOutput = 'load' | 'cache' | 'push';

/** The image store of a plain engine holds one platform, and attestations live only in a registry. */
export function pushesFromBuildKit(request: BuildRequest, caps: DockerCapabilities): boolean {
  return caps.mode === 'buildx' && (request.platforms.length > 1 || request.attestations);
}

function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

function commonFlags(request: BuildRequest): string[] {
  const args = ['--file', request.dockerfile];
  if (request.target) args.push('--target', request.target);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const id of request.secrets) args.push('--secret', `id=${id},env=${id}`);
  for (const [key, value] of Object.entries(request.labels)) args.push('--label', `${key}=${value}`);
  if (request.noCache) args.push('--no-cache');
  if (request.network) args.push('--network', request.network);
  return args;
}

export function dockerBuildArgs(request: BuildRequest, caps: DockerCapabilities, output: BuildxOutput = 'load'): string[] {
  if (caps.mode === 'buildkit') {
    if (request.platforms.length > 1) {
      throw new InputError({
        field: `images.${request.name}.platforms`,
        message: `several platforms (${request.platforms.join(', ')}) need docker buildx, and this docker has none; build one platform or use buildah`,
      });
    }
    return [
      'build',
      '--progress=plain',
      ...commonFlags(request),
      ...(request.platforms.length ? ['--platform', request.platforms[0]!] : []),
      ...(request.pull ? ['--pull'] : []),
      ...request.tags.flatMap((t) => ['--tag', t]),
      request.context,
    ];
  }
  const args = ['buildx', 'build', '--progress=plain', ...commonFlags(request)];
  if (request.platforms.length) args.push('--platform', request.platforms.join(','));
  if (request.pull) args.push('--pull');
  if (request.cacheRepository) {
    const ref = `${request.cacheRepository}:buildcache`;
    args.push('--cache-from', `type=registry,ref=${ref}`);
    if (output !== 'cache') args.push('--cache-to', `type=registry,ref=${ref},mode=max`);
  }
  // buildx 0.10+ attaches provenance by default when it pushes, making an index even for one platform.
  if (!request.attestations && versionAtLeast(caps.buildxVersion, 0, 10)) args.push('--provenance=false', '--sbom=false');
  if (output === 'cache') args.push('--output', 'type=cacheonly');
  else {
    args.push(...request.tags.flatMap((t) => ['--tag', t]));
    args.push(output === 'push' ? '--push' : '--load');
  }
  args.push(request.context);
  return args;
}

export function dockerPushArgs(reference: string): string[] {
  return ['push', reference];
}

/** `1.0: digest: sha256:... size: 734`, the line `docker push` ends with. */
export function pushedDigest(output: readonly string[]): string | undefined {
  for (const line of [...output].reverse()) {
    const m = /digest: (sha256:[a-f0-9]{64})/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

export interface BuildahSettings {
  /** `chroot` works unprivileged-ish and in containers without nested namespaces; `oci` needs runc. */
  isolation: 'chroot' | 'oci' | 'rootless';
  /** Image format: `docker` keeps HEALTHCHECK, SHELL and ONBUILD, which the OCI format drops. */
  format: 'docker' | 'oci';
  /** Storage folders and driver; the system's when unset. */
  root?: string;
  runroot?: string;
  storageDriver?: string;
}

export function buildahGlobalArgs(settings: BuildahSettings): string[] {
  return [
    ...(settings.root ? ['--root', settings.root] : []),
    ...(settings.runroot ? ['--runroot', settings.runroot] : []),
    ...(settings.storageDriver ? ['--storage-driver', settings.storageDriver] : []),
  ];
}

export function buildahBudArgs(request: BuildRequest, settings: BuildahSettings): string[] {
  if (request.platforms.length > 1) {
    throw new InputError({
      field: `images.${request.name}.platforms`,
      message: `several platforms (${request.platforms.join(', ')}) are built with docker buildx only; with buildah, build one platform per image`,
    });
  }
  if (settings.isolation === 'chroot' && request.network && request.network !== 'host') {
    throw new InputError({
      field: `images.${request.name}.network`,
      message: `buildah's chroot isolation runs steps in the host network only; "${request.network}" needs isolation oci`,
    });
  }
  const args = [
    ...buildahGlobalArgs(settings),
    'bud',
    '--isolation', settings.isolation,
    '--layers',
    // Without it a failed build leaves its working containers (and their mounts) behind.
    '--force-rm',
    '--format', settings.format,
    ...commonFlags(request),
  ];
  if (request.platforms.length) args.push('--platform', request.platforms[0]!);
  // buildah's own default ("true") re-pulls whenever the registry has a newer base; docker's default uses the
  // local copy. Match docker's.
  args.push(`--pull=${request.pull ? 'always' : 'missing'}`);
  if (request.cacheRepository) args.push('--cache-from', request.cacheRepository, '--cache-to', request.cacheRepository);
  args.push(...request.tags.flatMap((t) => ['--tag', t]), request.context);
  return args;
}

export function buildahPushArgs(reference: string, settings: BuildahSettings, opts: { digestFile: string; insecure: boolean }): string[] {
  return [
    ...buildahGlobalArgs(settings),
    'push',
    '--digestfile', opts.digestFile,
    ...(opts.insecure ? ['--tls-verify=false'] : []),
    '--format', settings.format === 'docker' ? 'v2s2' : 'oci',
    reference,
    `docker://${reference}`,
  ];
}

/**
 * A registries.conf that marks `hosts` insecure (plain HTTP or unverified TLS) for buildah's pulls of base
 * images, on top of the system's file. `--tls-verify=false` on `bud` would instead drop verification for every
 * registry a Dockerfile pulls from.
 */
export function insecureRegistriesConf(systemConf: string, hosts: readonly string[]): string {
  const blocks = hosts.map((h) => `[[registry]]\nlocation = ${JSON.stringify(h)}\ninsecure = true`);
  return `${[systemConf.trimEnd(), '# added by rollgate for this build', ...blocks].filter((s) => s !== '').join('\n\n')}\n`;
}
