import { describe, expect, it } from 'vitest';
import { buildTime, ociLabels, sourceUrl } from '../../src/image/labels.ts';

describe('ociLabels', () => {
  it('describes the artifact: version, revision, source and build time in UTC', () => {
    expect(ociLabels({
      version: 'v4.2.0',
      revision: '0123456789abcdef0123456789abcdef01234567',
      source: 'https://github.com/acme/invoice',
      created: new Date('2026-05-20T08:09:10.123Z'),
    })).toEqual({
      'org.opencontainers.image.version': 'v4.2.0',
      'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
      'org.opencontainers.image.source': 'https://github.com/acme/invoice',
      'org.opencontainers.image.created': '2026-05-20T08:09:10Z',
    });
  });

  it('leaves source out rather than guessing', () => {
    expect(ociLabels({ version: '1.0.0', revision: 'a'.repeat(40), created: new Date(0) })).not.toHaveProperty('org.opencontainers.image.source');
  });
});

describe('buildTime', () => {
  const now = () => new Date('2026-01-02T03:04:05Z');
  it('is now, unless SOURCE_DATE_EPOCH pins it', () => {
    expect(buildTime({}, now)).toEqual(now());
    expect(buildTime({ SOURCE_DATE_EPOCH: '1700000000' }, now)).toEqual(new Date('2023-11-14T22:13:20Z'));
  });
  it('refuses a SOURCE_DATE_EPOCH that is not whole seconds', () => {
    expect(() => buildTime({ SOURCE_DATE_EPOCH: '2023-11-14' }, now)).toThrow(/SOURCE_DATE_EPOCH must be whole seconds/);
  });
});

describe('sourceUrl', () => {
  it.each<[string, Record<string, string>, string | undefined, string | undefined]>([
    ['GitHub Actions', { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/invoice' }, undefined, 'https://github.com/acme/invoice'],
    ['GitLab CI', { CI_PROJECT_URL: 'https://gitlab.example/acme/invoice' }, undefined, 'https://gitlab.example/acme/invoice'],
    ['an scp-style git remote', {}, 'git@github.com:acme/invoice.git', 'https://github.com/acme/invoice'],
    ['an https remote with credentials in it', {}, 'https://user:token@gitlab.example/acme/invoice.git', 'https://gitlab.example/acme/invoice'],
    ['an ssh remote with a port', {}, 'ssh://git@git.example:2222/acme/invoice.git', 'https://git.example/acme/invoice'],
    ['a local path remote', {}, '/srv/git/invoice.git', undefined],
    ['nothing known', {}, undefined, undefined],
  ])('%s', (_name, env, remote, expected) => expect(sourceUrl(env, remote)).toBe(expected));
});
