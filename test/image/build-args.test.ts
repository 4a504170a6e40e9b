import { describe, expect, it } from 'vitest';
import {
  buildahBudArgs,
  buildahPushArgs,
  dockerBuildArgs,
  insecureRegistriesConf,
  pushedDigest,
  pushesFromBuildKit,
  type BuildahSettings,
  type DockerCapabilities,
} from '../../src/image/build-args.ts';
import type { BuildRequest } from '../../src/image/builder.ts';
import { InputError } from '../../src/errors.ts';

const base: BuildRequest = {
  name: 'web',
  context: '/src/app',
  dockerfile: '/src/app/Dockerfile',
  buildArgs: {},
  secrets: [],
  labels: {},
  platforms: ['linux/amd64'],
  tags: ['reg.example/acme/web:v1.2.3', 'reg.example/acme/web:1.2'],
  pull: false,
  noCache: false,
  attestations: false,
};
const request = (over: Partial<BuildRequest> = {}): BuildRequest => ({ ...base, ...over });

const classic: DockerCapabilities = { mode: 'buildkit' };
const buildx: DockerCapabilities = { mode: 'buildx', buildxVersion: '0.12.1' };
const oldBuildx: DockerCapabilities = { mode: 'buildx', buildxVersion: '0.9.1' };
const chroot: BuildahSettings = { isolation: 'chroot', format: 'docker' };

const full = request({
  target: 'runtime',
  buildArgs: { BASE_IMAGE: 'reg.example/base:1', PIP_INDEX: 'https://pypi.example/simple' },
  secrets: ['NPM_TOKEN'],
  labels: { 'org.opencontainers.image.version': 'v1.2.3' },
  pull: true,
  noCache: true,
  network: 'host',
  cacheRepository: 'reg.example/acme/web-cache',
});

describe('dockerBuildArgs', () => {
  it.each<[string, BuildRequest, DockerCapabilities, 'load' | 'cache' | 'push', string[]]>([
    ['classic BuildKit, the least', base, classic, 'load', [
      'build', '--progress=plain', '--file', '/src/app/Dockerfile', '--platform', 'linux/amd64',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '/src/app']],
    ['classic BuildKit, every option (no registry cache: it needs buildx)', full, classic, 'load', [
      'build', '--progress=plain', '--file', '/src/app/Dockerfile', '--target', 'runtime',
      '--build-arg', 'BASE_IMAGE=reg.example/base:1', '--build-arg', 'PIP_INDEX=https://pypi.example/simple',
      '--secret', 'id=NPM_TOKEN,env=NPM_TOKEN', '--label', 'org.opencontainers.image.version=v1.2.3',
      '--no-cache', '--network', 'host', '--platform', 'linux/amd64', '--pull',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '/src/app']],
    ['buildx, one platform: loaded into the engine, no attestations', base, buildx, 'load', [
      'buildx', 'build', '--progress=plain', '--file', '/src/app/Dockerfile', '--platform', 'linux/amd64',
      '--provenance=false', '--sbom=false',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '--load', '/src/app']],
    ['buildx before 0.10 has no attestation flags (and adds none)', base, oldBuildx, 'load', [
      'buildx', 'build', '--progress=plain', '--file', '/src/app/Dockerfile', '--platform', 'linux/amd64',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '--load', '/src/app']],
    ['buildx, every option, pushing: registry cache read and written', full, buildx, 'push', [
      'buildx', 'build', '--progress=plain', '--file', '/src/app/Dockerfile', '--target', 'runtime',
      '--build-arg', 'BASE_IMAGE=reg.example/base:1', '--build-arg', 'PIP_INDEX=https://pypi.example/simple',
      '--secret', 'id=NPM_TOKEN,env=NPM_TOKEN', '--label', 'org.opencontainers.image.version=v1.2.3',
      '--no-cache', '--network', 'host', '--platform', 'linux/amd64', '--pull',
      '--cache-from', 'type=registry,ref=reg.example/acme/web-cache:buildcache',
      '--cache-to', 'type=registry,ref=reg.example/acme/web-cache:buildcache,mode=max',
      '--provenance=false', '--sbom=false',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '--push', '/src/app']],
    ['buildx, two platforms, build phase: cache only, nothing tagged or written to the cache', request({ platforms: ['linux/amd64', 'linux/arm64'], cacheRepository: 'r/c' }), buildx, 'cache', [
      'buildx', 'build', '--progress=plain', '--file', '/src/app/Dockerfile', '--platform', 'linux/amd64,linux/arm64',
      '--cache-from', 'type=registry,ref=r/c:buildcache', '--provenance=false', '--sbom=false',
      '--output', 'type=cacheonly', '/src/app']],
    ['buildx with attestations asked for leaves buildx its defaults', request({ attestations: true }), buildx, 'push', [
      'buildx', 'build', '--progress=plain', '--file', '/src/app/Dockerfile', '--platform', 'linux/amd64',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '--push', '/src/app']],
  ])('%s', (_name, req, caps, output, expected) => {
    expect(dockerBuildArgs(req, caps, output)).toEqual(expected);
  });

  it('never puts a secret value on the command line', () => {
    const args = dockerBuildArgs(request({ secrets: ['API_KEY'] }), buildx);
    expect(args).toContain('id=API_KEY,env=API_KEY');
    expect(args.join(' ')).not.toMatch(/src=|API_KEY=/);
  });

  it('refuses several platforms without buildx, naming the field', () => {
    expect(() => dockerBuildArgs(request({ platforms: ['linux/amd64', 'linux/arm64'] }), classic)).toThrow(InputError);
    expect(() => dockerBuildArgs(request({ platforms: ['linux/amd64', 'linux/arm64'] }), classic)).toThrow(/images\.web\.platforms: .*need docker buildx/);
  });
});

describe('pushesFromBuildKit', () => {
  it.each<[string, Partial<BuildRequest>, DockerCapabilities, boolean]>([
    ['one platform with buildx: load, then docker push', {}, buildx, false],
    ['several platforms with buildx: BuildKit pushes the index', { platforms: ['linux/amd64', 'linux/arm64'] }, buildx, true],
    ['attestations live only in a registry', { attestations: true }, buildx, true],
    ['classic BuildKit always loads', { attestations: true }, classic, false],
  ])('%s', (_name, over, caps, expected) => expect(pushesFromBuildKit(request(over), caps)).toBe(expected));
});

describe('pushedDigest', () => {
  it('reads the digest docker push ends with', () => {
    const output = ['The push refers to repository [127.0.0.1:5000/exp/app]', 'bd836aa20da9: Pushed',
      `1.0: digest: sha256:${'f9'.repeat(32)} size: 734`];
    expect(pushedDigest(output)).toBe(`sha256:${'f9'.repeat(32)}`);
    expect(pushedDigest(['denied: requested access to the resource is denied'])).toBeUndefined();
  });
});

describe('buildahBudArgs', () => {
  it.each<[string, BuildRequest, BuildahSettings, string[]]>([
    ['the least: chroot, layers, docker format, docker-like pull', base, chroot, [
      'bud', '--isolation', 'chroot', '--layers', '--force-rm', '--format', 'docker', '--file', '/src/app/Dockerfile',
      '--platform', 'linux/amd64', '--pull=missing',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '/src/app']],
    ['every option, own storage', full, { ...chroot, format: 'oci', root: '/tmp/s', runroot: '/tmp/r', storageDriver: 'vfs' }, [
      '--root', '/tmp/s', '--runroot', '/tmp/r', '--storage-driver', 'vfs',
      'bud', '--isolation', 'chroot', '--layers', '--force-rm', '--format', 'oci', '--file', '/src/app/Dockerfile', '--target', 'runtime',
      '--build-arg', 'BASE_IMAGE=reg.example/base:1', '--build-arg', 'PIP_INDEX=https://pypi.example/simple',
      '--secret', 'id=NPM_TOKEN,env=NPM_TOKEN', '--label', 'org.opencontainers.image.version=v1.2.3',
      '--no-cache', '--network', 'host', '--platform', 'linux/amd64', '--pull=always',
      '--cache-from', 'reg.example/acme/web-cache', '--cache-to', 'reg.example/acme/web-cache',
      '--tag', 'reg.example/acme/web:v1.2.3', '--tag', 'reg.example/acme/web:1.2', '/src/app']],
  ])('%s', (_name, req, settings, expected) => {
    expect(buildahBudArgs(req, settings)).toEqual(expected);
  });

  it.each<[string, Partial<BuildRequest>, BuildahSettings, RegExp]>([
    ['a private network under chroot isolation', { network: 'none' }, chroot, /images\.web\.network: buildah's chroot isolation runs steps in the host network only/],
    ['several platforms', { platforms: ['linux/amd64', 'linux/arm64'] }, chroot, /images\.web\.platforms: .*buildx only/],
  ])('refuses %s', (_name, over, settings, message) => {
    expect(() => buildahBudArgs(request(over), settings)).toThrow(message);
  });

  it('lets oci isolation use another network', () => {
    expect(buildahBudArgs(request({ network: 'none' }), { ...chroot, isolation: 'oci' })).toContain('none');
  });
});

describe('buildahPushArgs', () => {
  it.each<[string, boolean, BuildahSettings, string[]]>([
    ['a TLS registry, docker format', false, chroot, ['push', '--digestfile', '/tmp/d', '--format', 'v2s2', 'reg.example/acme/web:1.2', 'docker://reg.example/acme/web:1.2']],
    ['an insecure registry, OCI format', true, { ...chroot, format: 'oci' }, ['push', '--digestfile', '/tmp/d', '--tls-verify=false', '--format', 'oci', 'reg.example/acme/web:1.2', 'docker://reg.example/acme/web:1.2']],
  ])('%s', (_name, insecure, settings, expected) => {
    expect(buildahPushArgs('reg.example/acme/web:1.2', settings, { digestFile: '/tmp/d', insecure })).toEqual(expected);
  });
});

describe('insecureRegistriesConf', () => {
  it('adds one insecure registry entry per host after the system configuration', () => {
    const conf = insecureRegistriesConf('unqualified-search-registries = ["docker.io"]\n', ['127.0.0.1:5000', 'registry.lan']);
    expect(conf).toBe(
      'unqualified-search-registries = ["docker.io"]\n\n# added by rollgate for this build\n\n' +
        '[[registry]]\nlocation = "127.0.0.1:5000"\ninsecure = true\n\n' +
        '[[registry]]\nlocation = "registry.lan"\ninsecure = true\n',
    );
  });
});
