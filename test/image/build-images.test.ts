import { describe, expect, it } from 'vitest';
import { buildImages, confirmDigest, formatBuildSummary, runLimited, type ImageToBuild } from '../../src/image/build-images.ts';
import { BuildFailedError, type Builder, type BuildRequest, type PushedTag } from '../../src/image/builder.ts';
import { InputError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function image(name: string, over: Partial<ImageToBuild> = {}): ImageToBuild {
  const repository = `reg.example/acme/${name}`;
  return {
    name, repository, context: '/src', dockerfile: '/src/Dockerfile', buildArgs: {}, secrets: [], labels: {},
    platforms: ['linux/amd64'], tags: [`${repository}:v1.0.0`, `${repository}:1.0`], pull: false, noCache: false,
    attestations: false, ...over,
  };
}

/** A builder that records what happens, fails the images it is told to, and "pushes" into a map. */
class RecordingBuilder implements Builder {
  readonly name = 'docker' as const;
  readonly description = 'recording builder';
  readonly events: string[] = [];
  readonly registry = new Map<string, string>();
  readonly concurrency: number;
  readonly #failing: Set<string>;
  readonly #slow: Set<string>;

  constructor(opts: { concurrency?: number; failing?: string[]; slow?: string[] } = {}) {
    this.concurrency = opts.concurrency ?? 4;
    this.#failing = new Set(opts.failing);
    this.#slow = new Set(opts.slow);
  }

  async build(req: BuildRequest, signal?: AbortSignal): Promise<void> {
    this.events.push(`build ${req.name}`);
    if (this.#slow.has(req.name)) {
      // Runs until cancelled, like a long build.
      await new Promise<void>((_resolve, reject) => {
        signal?.addEventListener('abort', () => {
          this.events.push(`cancelled ${req.name}`);
          reject(new Error('cancelled'));
        });
      });
    }
    await Promise.resolve();
    if (this.#failing.has(req.name)) {
      throw new BuildFailedError(req.name, { step: '[build 2/3] RUN make', output: ['make: *** [all] Error 2'], exitCode: 1 });
    }
    this.events.push(`built ${req.name}`);
  }

  async push(req: BuildRequest): Promise<PushedTag[]> {
    for (const ref of req.tags) {
      this.events.push(`push ${ref}`);
      this.registry.set(ref, D1);
    }
    return req.tags.map((reference) => ({ reference, digest: D1 }));
  }
}

const resolverOver = (registry: Map<string, string>) => ({
  resolve: async (repository: string, tag: string) => {
    const digest = registry.get(`${repository}:${tag}`);
    return digest ? { digest, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: 734 } : undefined;
  },
});

describe('buildImages', () => {
  it('builds every image before pushing any, and reports the digest the registry serves', async () => {
    const builder = new RecordingBuilder();
    const built = await buildImages([image('web'), image('migrate')], {
      builder, registryFor: () => resolverOver(builder.registry), logger: silentLogger, env: {},
    });
    const firstPush = builder.events.findIndex((e) => e.startsWith('push'));
    expect(builder.events.slice(0, firstPush).sort()).toEqual(['build migrate', 'build web', 'built migrate', 'built web']);
    expect(built).toEqual([
      { name: 'web', repository: 'reg.example/acme/web', digest: D1, tags: ['v1.0.0', '1.0'] },
      { name: 'migrate', repository: 'reg.example/acme/migrate', digest: D1, tags: ['v1.0.0', '1.0'] },
    ]);
  });

  it('pushes nothing when one build fails, stops the builds still running, and names the step', async () => {
    const builder = new RecordingBuilder({ failing: ['migrate'], slow: ['web'] });
    const run = buildImages([image('web'), image('migrate')], {
      builder, registryFor: () => resolverOver(builder.registry), logger: silentLogger, env: {},
    });
    await expect(run).rejects.toThrow(BuildFailedError);
    await expect(run).rejects.toThrow(/image migrate: build failed \(exit code 1\) at step \[build 2\/3\] RUN make\n.*\n +make: \*\*\* \[all\] Error 2/);
    expect(builder.events).toContain('cancelled web');
    expect(builder.events.filter((e) => e.startsWith('push'))).toEqual([]);
    expect(builder.registry.size).toBe(0);
  });

  it('refuses to start when a build secret has no value, naming every one', async () => {
    const builder = new RecordingBuilder();
    const run = buildImages([image('web', { secrets: ['NPM_TOKEN', 'PIP_TOKEN'] })], {
      builder, registryFor: () => resolverOver(builder.registry), logger: silentLogger, env: { PIP_TOKEN: 'x' },
    });
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow('images.web.secrets: build secret NPM_TOKEN has no value: set the environment variable NPM_TOKEN');
    expect(builder.events).toEqual([]);
  });

  it('fails when the registry does not serve what was pushed', async () => {
    const builder = new RecordingBuilder();
    const run = buildImages([image('web')], {
      builder, registryFor: () => resolverOver(new Map([['reg.example/acme/web:v1.0.0', D1]])), logger: silentLogger, env: {},
    });
    await expect(run).rejects.toThrow('image web: pushed, but the registry does not have reg.example/acme/web:1.0');
  });
});

describe('confirmDigest', () => {
  const web = image('web');
  const both = (a: string, b: string) => new Map([[web.tags[0]!, a], [web.tags[1]!, b]]);

  it('accepts tags that all resolve to the digest the tool reported', () => {
    expect(confirmDigest(web, [{ reference: web.tags[0]!, digest: D1 }], both(D1, D1))).toBe(D1);
  });

  it('accepts a tool that reported nothing', () => {
    expect(confirmDigest(web, [{ reference: web.tags[0]! }], both(D2, D2))).toBe(D2);
  });

  it('refuses tags that resolve to different digests', () => {
    expect(() => confirmDigest(web, [], both(D1, D2))).toThrow(`image web: its tags resolve to different digests (v1.0.0 -> ${D1}, 1.0 -> ${D2})`);
  });

  it('refuses a registry that serves something other than what the tool pushed', () => {
    expect(() => confirmDigest(web, [{ reference: web.tags[1]!, digest: D2 }], both(D1, D1))).toThrow(
      `the push of reg.example/acme/web:1.0 reported ${D2}, but the registry serves ${D1}`,
    );
  });
});

describe('runLimited', () => {
  it('never runs more than the limit at once and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const results = await runLimited([1, 2, 3, 4, 5], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 10;
    });
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });

  it('starts nothing new after a failure', async () => {
    const started: number[] = [];
    await expect(
      runLimited([1, 2, 3, 4], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error('two failed');
      }),
    ).rejects.toThrow('two failed');
    expect(started).toEqual([1, 2]);
  });
});

describe('formatBuildSummary', () => {
  it('gives one aligned line per image', () => {
    expect(formatBuildSummary([
      { name: 'web', repository: 'r/web', digest: D1, tags: ['v1.0.0', '1.0'] },
      { name: 'migrate', repository: 'r/migrate', digest: D2, tags: ['v1.0.0'] },
    ])).toBe(`web      r/web@${D1}  tags: v1.0.0, 1.0\nmigrate  r/migrate@${D2}  tags: v1.0.0`);
  });
});
