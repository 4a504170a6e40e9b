import { describe, expect, it } from 'vitest';
import {
  digestOfVersion, isGarHost, packageName, parseGarImage, repositoryName, tagIdOf, tagName, versionName,
} from '../../src/registry/gar-names.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('Artifact Registry image names', () => {
  it.each([
    ['us-docker.pkg.dev/acme/apps/invoice', { location: 'us', project: 'acme', repository: 'apps', image: 'invoice' }],
    ['europe-west1-docker.pkg.dev/acme/apps/team/web', { location: 'europe-west1', project: 'acme', repository: 'apps', image: 'team/web' }],
    ['us-docker.pkg.dev/example.com/acme/apps/invoice', { location: 'us', project: 'example.com:acme', repository: 'apps', image: 'invoice' }],
  ])('splits %s', (input, expected) => {
    expect(parseGarImage(input)).toMatchObject(expected);
  });

  it.each([
    ['ghcr.io/acme/invoice', /host must be LOCATION-docker\.pkg\.dev/],
    ['us-docker.pkg.dev/acme/apps', /must name LOCATION-docker\.pkg\.dev\/PROJECT\/REPOSITORY\/IMAGE/],
    ['us-docker.pkg.dev/acme/apps/Invoice', /"Invoice" is not a valid path component/],
    ['us-docker.pkg.dev/acme/apps/invoice:dev', /"invoice:dev" is not a valid path component/],
  ])('refuses %s', (input, message) => {
    expect(() => parseGarImage(input)).toThrow(message);
  });

  it('tells Artifact Registry hosts from others', () => {
    expect(['us-docker.pkg.dev', 'asia-east2-docker.pkg.dev', 'us-central1-docker.pkg.dev'].every(isGarHost)).toBe(true);
    expect(['gcr.io', 'docker.pkg.dev', 'us-maven.pkg.dev', 'us-docker.pkg.dev:443'].some(isGarHost)).toBe(false);
  });

  it('escapes the slashes of a nested image path inside resource names', () => {
    const img = parseGarImage('us-docker.pkg.dev/acme/apps/team/web');
    expect(repositoryName(img)).toBe('projects/acme/locations/us/repositories/apps');
    expect(packageName(img)).toBe('projects/acme/locations/us/repositories/apps/packages/team%2Fweb');
    expect(tagName(img, 'dev')).toBe('projects/acme/locations/us/repositories/apps/packages/team%2Fweb/tags/dev');
    expect(versionName(img, DIGEST)).toBe(`projects/acme/locations/us/repositories/apps/packages/team%2Fweb/versions/${DIGEST}`);
  });

  it('reads tag IDs and digests back out of resource names', () => {
    const img = parseGarImage('us-docker.pkg.dev/acme/apps/team/web');
    expect(tagIdOf(tagName(img, 'v1.2.3'))).toBe('v1.2.3');
    expect(digestOfVersion(versionName(img, DIGEST))).toBe(DIGEST);
    expect(() => digestOfVersion('projects/acme/locations/us/repositories/apps/packages/web/versions/1.0')).toThrow(/not a manifest digest/);
    expect(() => versionName(img, 'sha256:abc')).toThrow(/not a sha256 digest/);
  });
});
