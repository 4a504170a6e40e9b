// A minimal Debian bookworm root filesystem made with debootstrap, cached as a tarball under .sandbox/cache so the
// few minutes it takes are paid once per machine. Pushed to the sandbox registry as a one-layer image, it is the
// Debian base the inventory is checked against and the invoice example is built on.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { pushBlob } from './base-image.ts';

const run = promisify(execFile);

export const CACHE_DIR = resolve(import.meta.dirname, '../../.sandbox/cache');
export const DEBIAN_TARBALL = join(CACHE_DIR, 'debian-bookworm-minbase.tar');
// The mirror /etc/apt/sources.list.d/debian.sources names; it is the one reachable from this machine.
const MIRROR = 'http://deb.debian.org/debian';

/** The cached tarball's path, creating it with debootstrap when absent. Throws, never skips, when it cannot. */
export async function debianRootfsTarball(tarball = DEBIAN_TARBALL, mirror = MIRROR): Promise<string> {
  if (existsSync(tarball)) return tarball;
  mkdirSync(dirname(tarball), { recursive: true });
  const root = join(dirname(tarball), `debootstrap-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  try {
    await run('debootstrap', ['--variant=minbase', 'bookworm', root, mirror], { timeout: 15 * 60_000, maxBuffer: 64 << 20 });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    const e = err as { stdout?: string; stderr?: string; message: string };
    const tail = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `no cached Debian base at ${tarball} and debootstrap from ${mirror} failed ` +
        `(is the mirror reachable?): ${e.message.split('\n')[0]}\n${tail}`,
    );
  }
  const partial = `${tarball}.${process.pid}`;
  // Device nodes and the apt cache are not part of an image; numeric owners keep the layer independent of
  // this machine's passwd.
  await run('tar', ['--numeric-owner', '--sort=name', '--exclude=./dev/*', '--exclude=./proc/*', '--exclude=./sys/*',
    '--exclude=./var/cache/apt/archives/*.deb', '-C', root, '-cf', partial, '.'], { maxBuffer: 64 << 20 });
  renameSync(partial, tarball);
  rmSync(root, { recursive: true, force: true });
  return tarball;
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Pushes the Debian rootfs as a one-layer OCI image to `http://host/repository:tag`; returns its reference. */
export async function pushDebianBase(host: string, repository: string, tag: string): Promise<string> {
  const tarball = await debianRootfsTarball();
  const tar = readFileSync(tarball);
  const layer = gzipSync(tar, { level: 1 });
  // Timestamps as real images carry them: buildah (1.28) never reuses its layer cache on a base whose history
  // has no `created`, so every build would run apt-get again.
  const created = statSync(tarball).mtime.toISOString();
  const config = Buffer.from(JSON.stringify({
    created,
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/bash'] },
    rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    history: [{ created, created_by: 'debootstrap --variant=minbase bookworm' }],
  }));
  await pushBlob(host, repository, layer);
  await pushBlob(host, repository, config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
  }));
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (res.status !== 201) throw new Error(`pushing the Debian base: ${res.status} ${await res.text()}`);
  return `${host}/${repository}:${tag}`;
}
