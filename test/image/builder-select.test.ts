import { describe, expect, it } from 'vitest';
import { chooseBuilder, NoBuilderError, type Detected } from '../../src/image/builder-select.ts';
import { chooseDockerClient, type DockerProbe } from '../../src/image/docker-builder.ts';

// What this machine has: a new client without buildx first on PATH, Debian's older client behind it.
const newClientNoBuildx: DockerProbe = { path: '/usr/local/bin/docker', engine: '20.10.24', classicBuildKit: false };
const debianClient: DockerProbe = { path: '/usr/bin/docker', engine: '20.10.24', classicBuildKit: true };
const withBuildx: DockerProbe = { path: '/opt/docker/bin/docker', engine: '24.0.7', buildx: '0.12.1', classicBuildKit: true };
const noEngine = (p: DockerProbe): DockerProbe => ({ path: p.path, classicBuildKit: p.classicBuildKit, ...(p.buildx ? { buildx: p.buildx } : {}) });

describe('chooseDockerClient', () => {
  it('passes over a client that refuses DOCKER_BUILDKIT=1 without buildx', () => {
    expect(chooseDockerClient([newClientNoBuildx, debianClient]).client).toEqual({ path: '/usr/bin/docker', engine: '20.10.24', mode: 'buildkit' });
  });

  it('prefers a client with buildx wherever it is on PATH', () => {
    expect(chooseDockerClient([debianClient, withBuildx]).client).toEqual({
      path: '/opt/docker/bin/docker',
      engine: '24.0.7',
      mode: 'buildx',
      buildxVersion: '0.12.1',
    });
  });

  it.each<[string, DockerProbe[], RegExp]>([
    ['no client at all', [], /no docker client on PATH/],
    ['no engine', [noEngine(debianClient), noEngine(withBuildx)], /no Docker engine reachable \(tried \/usr\/bin\/docker, \/opt\/docker\/bin\/docker; is DOCKER_HOST right\?\)/],
    ['only a client that cannot drive BuildKit', [newClientNoBuildx], /\/usr\/local\/bin\/docker has no buildx and refuses DOCKER_BUILDKIT=1/],
  ])('says why there is none: %s', (_name, probes, why) => {
    const chosen = chooseDockerClient(probes);
    expect(chosen.client).toBeUndefined();
    expect(chosen.why).toMatch(why);
  });
});

describe('chooseBuilder', () => {
  const docker: Detected['docker'] = { client: { path: '/usr/bin/docker', engine: '20.10.24', mode: 'buildkit' }, why: '' };
  const noDocker: Detected['docker'] = { why: 'no Docker engine reachable' };

  it.each<[string, 'auto' | 'docker' | 'buildah', Detected, string]>([
    ['auto takes docker when it can build', 'auto', { docker, buildah: '1.28.2' }, 'docker'],
    ['auto falls back to buildah without an engine', 'auto', { docker: noDocker, buildah: '1.28.2' }, 'buildah'],
    ['buildah when asked, even with docker around', 'buildah', { docker, buildah: '1.28.2' }, 'buildah'],
    ['docker when asked', 'docker', { docker }, 'docker'],
  ])('%s', (_name, kind, found, expected) => expect(chooseBuilder(kind, found)).toBe(expected));

  it.each<[string, 'auto' | 'docker' | 'buildah', Detected, RegExp]>([
    ['docker asked for, none usable', 'docker', { docker: noDocker, buildah: '1.28.2' }, /builder docker: no Docker engine reachable/],
    ['buildah asked for, not installed', 'buildah', { docker }, /builder buildah: buildah is not installed/],
    ['auto with neither', 'auto', { docker: noDocker }, /builder auto: no way to build images here: docker: no Docker engine reachable; buildah: not installed/],
  ])('refuses: %s', (_name, kind, found, message) => {
    expect(() => chooseBuilder(kind, found)).toThrow(NoBuilderError);
    expect(() => chooseBuilder(kind, found)).toThrow(message);
  });
});
