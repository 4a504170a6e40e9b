import { describe, expect, it } from 'vitest';
import { findPushedImages, versionTagsToFind } from '../../src/deploy/pushed-images.ts';
import { InputError } from '../../src/errors.ts';

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

describe('versionTagsToFind', () => {
  it.each([
    ['every template it can render', ['{version}', '{major}.{minor}'], SHA, ['v4.2.0', 'v4.2']],
    ['not the build date, which a later job cannot know', ['{version}', 'nightly-{date}'], SHA, ['v4.2.0']],
    ['the commit only when it is known', ['{version}', 'sha-{sha}'], undefined, ['v4.2.0']],
    ['the commit when it is known', ['{version}', 'sha-{sha}'], SHA, ['v4.2.0', 'sha-3f78685']],
  ])('renders %s', (_name, templates, sha, expected) => {
    expect(versionTagsToFind(templates, 'v4.2.0', sha)).toEqual(expected);
  });

  it('refuses templates that all depend on what only the build knew', () => {
    expect(() => versionTagsToFind(['{date}', 'sha-{sha}'], 'v4.2.0', undefined)).toThrow(/--no-build needs a version tag it can find/);
  });
});

describe('findPushedImages', () => {
  const config = {
    tags: ['{version}', '{major}.{minor}'],
    images: ['web', 'worker', 'migrate'].map((name) => ({ name, repository: `registry.example/acme/${name}`, context: '/src', dockerfile: '/src/Dockerfile', buildArgs: {}, secrets: [], platforms: ['linux/amd64'] })),
  };
  const registry = (tags: Record<string, string>) => async () => ({
    resolve: async (repository: string, tag: string) => {
      const digest = tags[`${repository.split('/').pop()}:${tag}`];
      return digest ? { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 } : undefined;
    },
  });

  it('gives each image the one digest all its version tags point at', async () => {
    const tags = { 'web:v4.2.0': A, 'web:v4.2': A, 'worker:v4.2.0': B, 'worker:v4.2': B, 'migrate:v4.2.0': A, 'migrate:v4.2': A };
    const found = await findPushedImages({ config, version: 'v4.2.0', registryFor: registry(tags) });
    expect(found.map((i) => [i.name, i.digest, i.tags])).toEqual([
      ['web', A, ['v4.2.0', 'v4.2']],
      ['worker', B, ['v4.2.0', 'v4.2']],
      ['migrate', A, ['v4.2.0', 'v4.2']],
    ]);
  });

  it('names every missing tag and every image whose tags disagree, at once, as invalid input', async () => {
    const tags = { 'web:v4.2.0': A, 'web:v4.2': B, 'worker:v4.2': B };
    const error = await findPushedImages({ config, version: 'v4.2.0', registryFor: registry(tags) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      { field: 'images.web', message: `the version tags of registry.example/acme/web disagree (v4.2.0 -> ${A}, v4.2 -> ${B}); rebuild version v4.2.0` },
      { field: 'images.worker', message: 'registry.example/acme/worker has no tag v4.2.0: build and push version v4.2.0 first (rollgate build)' },
      { field: 'images.migrate', message: 'registry.example/acme/migrate has no tag v4.2.0, v4.2: build and push version v4.2.0 first (rollgate build)' },
    ]);
  });
});
