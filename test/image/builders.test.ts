// Real builds: the two-stage fixture built with docker (the engine the sandbox runs) and with buildah, pushed to
// the sandbox registry, and checked from the registry's side.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { build, type BuildFlags } from '../../src/commands/build.ts';
import type { BuilderKind, Config, ImageConfig } from '../../src/config/types.ts';
import { BuildFailedError, type Builder } from '../../src/image/builder.ts';
import { createBuilder } from '../../src/image/builder-select.ts';
import { readInventory } from '../../src/image/inventory.ts';
import type { Logger } from '../../src/log.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import { headManifest, imageLabels } from './registry-probe.ts';

const run = promisify(execFile);
const FIXTURES = resolve(import.meta.dirname, '../fixtures/images');
const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const SECRET = 's3cr3t-build-token';
const SOURCE_DATE_EPOCH = '1700000000';

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string) => lines.push(m);
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

function image(name: string, repository: string, fixture: string, target: string): ImageConfig {
  return {
    name,
    repository,
    context: join(FIXTURES, fixture),
    dockerfile: join(FIXTURES, fixture, 'Dockerfile'),
    target,
    buildArgs: { BASE_IMAGE: inject('baseImage'), GREETING: 'hi' },
    secrets: fixture === 'two-stage' ? ['BUILD_TOKEN'] : [],
    platforms: ['linux/amd64'],
  };
}

function config(builder: BuilderKind, images: ImageConfig[]): Config {
  return {
    file: join(FIXTURES, 'rollgate.yml'),
    images,
    tags: ['{version}', '{major}.{minor}'],
    environments: {},
    rollout: { timeoutMs: 300_000, allowRestarts: 0, unschedulableWindowMs: 15_000, pullErrorBudget: 3, lockTimeoutMs: 600_000 },
    builder,
    tagPolicy: 'after-verify',
    registries: {},
  };
}

const env = () => ({ ...process.env, DOCKER_HOST: inject('dockerHost'), BUILD_TOKEN: SECRET, SOURCE_DATE_EPOCH });

interface Case {
  kind: 'docker' | 'buildah';
  /** The sandbox engine has no bridge network: docker builds run their steps with none. */
  flags: BuildFlags;
  builder: (logger: Logger) => Promise<Builder | undefined>;
}

const cases: Case[] = [
  // No builder given: build() probes the docker clients on PATH itself, as a real run does.
  // The engine keeps its build cache between runs; no-cache makes the steps (and their output) run every time.
  { kind: 'docker', flags: { network: 'none', noCache: true, pull: true }, builder: async () => undefined },
  {
    kind: 'buildah',
    flags: { pull: true },
    builder: (logger) =>
      createBuilder('buildah', {
        logger,
        env: env(),
        registries: {},
        // Own storage, so the test neither sees nor leaves images in the machine's; vfs makes no mounts, so the
        // sandbox folder can simply be removed afterwards.
        buildah: {
          root: join(inject('sandboxDir'), 'buildah/root'),
          runroot: join(inject('sandboxDir'), 'buildah/run'),
          storageDriver: 'vfs',
        },
      }),
  },
];

describe.each(cases)('building with $kind', ({ kind, flags, builder }) => {
  const host = inject('registryHost');
  const repo = (name: string) => `rollgate-test/${kind}-${name}`;
  // The engine outlives the test run (and the registry's port changes every run): leave no tags behind in it.
  const inEngine: string[] = [];
  afterAll(async () => {
    if (inEngine.length) await run('docker', ['image', 'rm', '--force', ...inEngine], { env: env() }).catch(() => undefined);
  });

  it('pushes the version tags of two images of one Dockerfile, each tag on the digest rollgate reports', async () => {
    const logger = capturingLogger();
    const images = [image('app', `${host}/${repo('app')}`, 'two-stage', 'runtime'), image('stage', `${host}/${repo('stage')}`, 'two-stage', 'build')];
    const built = await build({
      config: config(kind, images),
      version: 'v1.4.2',
      sha: SHA,
      logger,
      env: env(),
      source: 'https://git.example/acme/invoice',
      flags,
      builder: await builder(logger),
    });

    expect(built.map((b) => [b.name, b.repository, b.tags])).toEqual([
      ['app', `${host}/${repo('app')}`, ['v1.4.2', 'v1.4']],
      ['stage', `${host}/${repo('stage')}`, ['v1.4.2', 'v1.4']],
    ]);
    for (const b of built) {
      for (const tag of b.tags) {
        const head = await headManifest(host, b.repository.slice(host.length + 1), tag);
        expect(head.digest, `${b.name}:${tag}`).toBe(b.digest);
        // One platform, no attestations: a plain image manifest, not an index.
        expect(head.mediaType).toMatch(/^application\/vnd\.(docker\.distribution\.manifest\.v2|oci\.image\.manifest\.v1)\+json$/);
      }
    }
    expect(built[0]!.digest).not.toBe(built[1]!.digest);
    inEngine.push(`${host}/${repo('app')}@${built[0]!.digest}`);
    if (kind === 'docker') inEngine.push(...built.flatMap((b) => b.tags.map((t) => `${b.repository}:${t}`)));

    expect(await imageLabels(host, repo('app'), 'v1.4.2')).toMatchObject({
      'org.opencontainers.image.version': 'v1.4.2',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://git.example/acme/invoice',
      'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
    });

    // The build secret reached the RUN step (it checks the value and prints it) and never the log.
    expect(logger.lines.join('\n')).toContain('token: ***');
    expect(logger.lines.join('\n')).not.toContain(SECRET);

    // The runtime stage installed two Python distributions and removed one in a later layer.
    const inv = await readInventory(new OciRegistry(), `${host}/${repo('app')}`, 'v1.4.2');
    expect(inv.packages).toEqual([{ type: 'python', name: 'kept-dep', version: '2.0' }]);

    // And the image runs: the artefact of the build stage, made with the build argument, is in it.
    const { stdout } = await run('docker', ['run', '--rm', '--network', 'none', `${host}/${repo('app')}@${built[0]!.digest}`], { env: env() });
    expect(stdout.trim()).toBe('hi from the build stage');
  }, 240_000);

  it('stops at a failing RUN step before any tag of any image is pushed, naming the step', async () => {
    const logger = capturingLogger();
    const images = [image('good', `${host}/${repo('good')}`, 'two-stage', 'runtime'), image('broken', `${host}/${repo('broken')}`, 'failing-step', 'runtime')];
    const attempt = build({ config: config(kind, images), version: 'v2.0.0', sha: SHA, logger, env: env(), flags, builder: await builder(logger) });

    const error = await attempt.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failure = error as BuildFailedError;
    expect(failure.image).toBe('broken');
    expect(failure.step).toMatch(/RUN for i in 1 2 3; do echo "compiling part \$i"; done/);
    expect(failure.output.join('\n')).toContain('error: part 3 does not compile');
    expect(failure.message).toMatch(/^image broken: build failed \(exit code \d+\) at step .*RUN for i in 1 2 3/);

    for (const name of ['good', 'broken']) {
      for (const tag of ['v2.0.0', 'v2.0']) expect((await headManifest(host, repo(name), tag)).status, `${name}:${tag}`).toBe(404);
    }
  }, 240_000);
});
