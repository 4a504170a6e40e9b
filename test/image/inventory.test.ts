// The inventory of a real Debian image (debootstrap, cached), read through the registry, against what dpkg-query
// says inside the same image.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { build } from '../../src/commands/build.ts';
import { inventory } from '../../src/commands/inventory.ts';
import type { Config } from '../../src/config/types.ts';
import { diffPackages } from '../../src/image/inventory-diff.ts';
import type { Package } from '../../src/image/inventory-packages.ts';
import { silentLogger } from '../../src/log.ts';
import { debianRootfsTarball, pushDebianBase } from '../sandbox/debian-base.ts';

const run = promisify(execFile);
const FIXTURES = resolve(import.meta.dirname, '../fixtures/images');

const dockerEnv = () => ({ ...process.env, DOCKER_HOST: inject('dockerHost') });

/** `deb name version arch` of every installed package, as dpkg inside the image sees them. */
async function dpkgQuery(image: string): Promise<string[]> {
  const format = '${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n';
  const { stdout } = await run('docker', ['run', '--rm', '--network', 'none', image, 'dpkg-query', '-W', `-f=${format}`], {
    env: dockerEnv(),
    maxBuffer: 16 << 20,
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([status]) => status === 'installed')
    .map(([, name, version, arch]) => `deb ${name} ${version} ${arch}`)
    .sort();
}

const describeAll = (packages: Package[]) => packages.map((p) => `${p.type} ${p.name} ${p.version} ${p.arch}`).sort();

describe('inventory of a Debian image', () => {
  const host = inject('registryHost');
  let base = '';

  // Pulled or built into the engine, which outlives the run.
  const inEngine: string[] = [];

  beforeAll(async () => {
    // Minutes when the cached debootstrap tarball is missing; seconds otherwise.
    base = await pushDebianBase(host, 'sandbox/debian', 'bookworm');
    inEngine.push(base);
  }, 20 * 60_000);

  afterAll(async () => {
    await run('docker', ['image', 'rm', '--force', ...inEngine], { env: dockerEnv() }).catch(() => undefined);
  });

  it('lists the dpkg packages with the versions dpkg-query reports inside the image', async () => {
    const result = await inventory({ ref: base });
    const expected = await dpkgQuery(base);
    expect(expected.length).toBeGreaterThan(50);
    expect(describeAll(result.packages)).toEqual(expected);
    expect(result.packages.find((p) => p.name === 'libssl3' || p.name === 'libgcc-s1')?.source).toMatch(/^(openssl|gcc-12)$/);

    expect(result.text.split('\n').slice(0, 2)).toEqual([
      `${host}/sandbox/debian@${result.digest} (linux/amd64)`,
      `${expected.length} packages: ${expected.length} deb`,
    ]);
    expect(result.text).toMatch(/\ndeb +libc6 +2\.36-\S+ +glibc\n/);
    const json = JSON.parse((await inventory({ ref: base, json: true })).text) as { packages: Package[] };
    expect(json.packages).toEqual(result.packages);
  }, 120_000);

  it('drops a package purged in a later layer, and the package diff names it', async () => {
    const config: Config = {
      file: join(FIXTURES, 'rollgate.yml'),
      images: [{
        name: 'purged',
        repository: `${host}/rollgate-test/debian-purged`,
        context: join(FIXTURES, 'debian-purge'),
        dockerfile: join(FIXTURES, 'debian-purge/Dockerfile'),
        buildArgs: { BASE_IMAGE: base },
        secrets: [],
        platforms: ['linux/amd64'],
      }],
      tags: ['{version}'],
      environments: {},
      rollout: { timeoutMs: 300_000, allowRestarts: 0, unschedulableWindowMs: 15_000, pullErrorBudget: 3, lockTimeoutMs: 600_000 },
      builder: 'docker',
      tagPolicy: 'after-verify',
      registries: {},
    };
    const [built] = await build({
      config, version: '1.0.0', sha: 'a'.repeat(40), logger: silentLogger, env: dockerEnv(), flags: { network: 'none' },
    });
    const derived = `${built!.repository}@${built!.digest}`;
    inEngine.push(derived, `${built!.repository}:1.0.0`);

    const after = await inventory({ ref: derived });
    expect(describeAll(after.packages)).toEqual(await dpkgQuery(derived));
    expect(after.packages.map((p) => p.name)).not.toContain('adduser');

    const before = await inventory({ ref: base });
    const diff = diffPackages(before.packages, after.packages);
    expect(diff.removed.map((p) => p.name)).toEqual(['adduser']);
    expect(diff.added).toEqual([]);
    expect(diff.changed).toEqual([]);
  }, 180_000);
});

describe('the Debian base for these tests', () => {
  it('fails with a clear message, not a skip, when it is not cached and the mirror is out of reach', async () => {
    const tarball = join(inject('sandboxDir'), 'no-cache/debian.tar');
    const unreachable = 'http://127.0.0.1:9/debian';
    await expect(debianRootfsTarball(tarball, unreachable)).rejects.toThrow(
      `no cached Debian base at ${tarball} and debootstrap from ${unreachable} failed (is the mirror reachable?)`,
    );
    expect(existsSync(tarball)).toBe(false);
  });
});
