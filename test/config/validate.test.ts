import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatValidateReport, validate } from '../../src/commands/validate.ts';
import { InputError } from '../../src/errors.ts';

const EXAMPLE = join(resolve(import.meta.dirname, '../../examples/invoice'), 'rollgate.yml');
const CI = { SMOKE_PASSWORD: 'hunter2' };

describe('validate', () => {
  it('reports the images with the tags v4.2.0 would get, and every environment', () => {
    const report = validate({ configPath: EXAMPLE, version: 'v4.2.0', environment: CI });

    expect(report.file).toBe(EXAMPLE);
    expect(report.version).toBe('v4.2.0');
    expect(report.images).toEqual([
      { name: 'web', repository: 'us-docker.pkg.dev/acme/apps/invoice', tags: ['v4.2.0', 'v4.2'], platforms: ['linux/amd64'], target: 'runtime' },
      { name: 'migrate', repository: 'us-docker.pkg.dev/acme/apps/invoice-migrate', tags: ['v4.2.0', 'v4.2'], platforms: ['linux/amd64'], target: 'migrate' },
    ]);
    expect(report.environments).toEqual(
      ['dev', 'stg', 'prd'].map((name) => ({
        name,
        targetTag: name,
        namespace: `invoice-${name}`,
        kubeContext: `gke_acme_us-central1_${name}`,
        manifests: [`k8s/overlays/${name}`],
        rolloutTimeout: name === 'prd' ? '10m' : '5m',
        smokeSteps: 4,
      })),
    );
  });

  it('gives a release candidate only its own version tag', () => {
    const report = validate({ configPath: EXAMPLE, env: 'stg', version: 'v4.3.0-rc.1', environment: CI });
    expect(report.images[0]!.tags).toEqual(['v4.3.0-rc.1']);
    expect(report.environments.map((e) => e.name)).toEqual(['stg']);
  });

  it('shows the templates when no version is given, and reads as a short text', () => {
    const text = formatValidateReport(validate({ configPath: EXAMPLE, env: 'dev', environment: CI }));
    expect(text).toBe(
      [
        `${EXAMPLE} is valid`,
        'images:',
        '  web: us-docker.pkg.dev/acme/apps/invoice tags {version}, {major}.{minor} (target runtime)',
        '  migrate: us-docker.pkg.dev/acme/apps/invoice-migrate tags {version}, {major}.{minor} (target migrate)',
        'environments:',
        '  dev: tag dev, namespace invoice-dev via gke_acme_us-central1_dev, timeout 5m, smoke 4 steps',
        '    manifests: k8s/overlays/dev',
      ].join('\n'),
    );
  });

  it('throws one InputError with every problem, the unknown environment and the bad version among them', () => {
    let error: unknown;
    try {
      validate({ configPath: EXAMPLE, env: 'qa', version: 'v4', environment: {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.field)).toEqual(['env', 'version']);
  });
});
