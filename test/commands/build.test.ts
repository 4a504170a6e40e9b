import { describe, expect, it } from 'vitest';
import { planBuild } from '../../src/commands/build.ts';
import type { Config } from '../../src/config/types.ts';
import { InputError } from '../../src/errors.ts';

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

const config: Config = {
  file: '/src/rollgate.yml',
  images: [
    { name: 'web', repository: 'us-docker.pkg.dev/acme/apps/invoice', context: '/src', dockerfile: '/src/Dockerfile', target: 'runtime',
      buildArgs: { PYTHON: '3.12' }, secrets: ['PIP_TOKEN'], platforms: ['linux/amd64'] },
    { name: 'migrate', repository: 'us-docker.pkg.dev/acme/apps/invoice-migrate', context: '/src', dockerfile: '/src/Dockerfile',
      buildArgs: {}, secrets: [], platforms: ['linux/amd64'] },
  ],
  tags: ['{version}', '{major}.{minor}', 'sha-{sha}'],
  environments: {},
  rollout: { timeoutMs: 300_000, allowRestarts: 0, unschedulableWindowMs: 15_000, pullErrorBudget: 3, lockTimeoutMs: 600_000 },
  builder: 'auto',
  tagPolicy: 'after-verify',
  registries: {},
};

describe('planBuild', () => {
  it('gives every image the rendered version tags and the same labels, and no target tag', () => {
    const [web, migrate] = planBuild({
      config, version: 'v4.2.0', sha: SHA,
      env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/invoice', SOURCE_DATE_EPOCH: '1700000000' },
      flags: { pull: true, cacheRepository: (image) => (image.name === 'web' ? `${image.repository}-cache` : undefined) },
    });
    expect(web).toEqual({
      name: 'web',
      repository: 'us-docker.pkg.dev/acme/apps/invoice',
      context: '/src',
      dockerfile: '/src/Dockerfile',
      target: 'runtime',
      buildArgs: { PYTHON: '3.12' },
      secrets: ['PIP_TOKEN'],
      labels: {
        'org.opencontainers.image.version': 'v4.2.0',
        'org.opencontainers.image.revision': SHA,
        'org.opencontainers.image.source': 'https://github.com/acme/invoice',
        'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
      },
      platforms: ['linux/amd64'],
      tags: ['us-docker.pkg.dev/acme/apps/invoice:v4.2.0', 'us-docker.pkg.dev/acme/apps/invoice:v4.2', 'us-docker.pkg.dev/acme/apps/invoice:sha-3f78685'],
      pull: true,
      noCache: false,
      cacheRepository: 'us-docker.pkg.dev/acme/apps/invoice-cache',
      attestations: false,
    });
    expect(migrate!.tags).toEqual(web!.tags.map((t) => t.replace('invoice:', 'invoice-migrate:')));
    expect(migrate!.labels).toEqual(web!.labels);
    expect(migrate).not.toHaveProperty('cacheRepository');
  });

  it.each([
    ['a short sha', { sha: '3f78685' }, /"3f78685" is not a full git commit sha/],
    ['a version that is not semver', { version: 'latest' }, /latest/],
  ])('refuses %s as invalid input', (_name, over, message) => {
    const plan = () => planBuild({ config, version: 'v4.2.0', sha: SHA, env: {}, ...over });
    expect(plan).toThrow(InputError);
    expect(plan).toThrow(message);
  });
});
