// A tiny base image made from Debian's busybox-static, pushed straight to a registry over the Distribution API
// (no engine needed). Nothing can be pulled from the internet here, so every Dockerfile in the tests starts FROM
// this image.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, copyFileSync, symlinkSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APPLETS = ['sh', 'ls', 'cat', 'echo', 'sleep', 'wget', 'httpd', 'nc', 'env', 'mkdir', 'rm', 'cp', 'mv', 'grep',
  'sed', 'head', 'tail', 'true', 'false', 'test', 'id', 'touch', 'chmod', 'ps', 'kill', 'date', 'printf', 'tar', 'find', 'wc', 'tr', 'dd', 'yes'];

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A reproducible gzipped rootfs layer with busybox and its applets; returns the blob and its diff id. */
export function busyboxLayer(): { blob: Buffer; diffId: string } {
  const root = mkdtempSync(join(tmpdir(), 'rollgate-busybox-'));
  try {
    for (const d of ['bin', 'etc', 'tmp', 'var/www', 'proc', 'sys', 'dev']) mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    copyFileSync('/usr/bin/busybox', join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', '-', '.'], {
      maxBuffer: 64 << 20,
    });
    const blob = execFileSync('gzip', ['-n', '-c'], { input: tar, maxBuffer: 64 << 20 });
    return { blob, diffId: sha256(tar) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export interface PushedImage {
  digest: string;
  reference: string;
}

/** Pushes a one-layer image to `http://host/repo:tag`; returns its manifest digest. */
export async function pushBusyboxBase(host: string, repository: string, tag: string, auth?: string): Promise<PushedImage> {
  const { blob, diffId } = busyboxLayer();
  const { digest } = await pushOneLayerImage(host, repository, tag, {
    layer: blob,
    diffId,
    config: { config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] }, history: [{ created_by: 'rollgate sandbox: busybox-static' }] },
    ...(auth ? { headers: { authorization: auth } } : {}),
  });
  return { digest, reference: `${host}/${repository}:${tag}` };
}

export interface OneLayerImage {
  /** The layer blob as stored: gzipped unless `mediaType` says otherwise. */
  layer: Buffer;
  /** sha256 of the uncompressed tar (the config's rootfs.diff_ids entry). */
  diffId: string;
  mediaType?: string;
  /** Merged into the image config (architecture, os and rootfs are filled in). */
  config?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Pushes blobs and an OCI image manifest for a one-layer image; returns the manifest and its digest. */
export async function pushOneLayerImage(host: string, repository: string, tag: string, image: OneLayerImage): Promise<{ digest: string; manifest: Buffer }> {
  const headers = image.headers ?? {};
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', ...image.config, rootfs: { type: 'layers', diff_ids: [image.diffId] } }));
  for (const b of [image.layer, config]) await pushBlob(host, repository, b, headers);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: image.mediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(image.layer), size: image.layer.length }],
    }),
  );
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (res.status !== 201) throw new Error(`push ${repository}:${tag}: ${res.status} ${await res.text()}`);
  return { digest: sha256(manifest), manifest };
}

export async function pushBlob(host: string, repository: string, blob: Buffer, headers: Record<string, string> = {}): Promise<string> {
  const digest = sha256(blob);
  const head = await fetch(`http://${host}/v2/${repository}/blobs/${digest}`, { method: 'HEAD', headers });
  if (head.status === 200) return digest;
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location')!, `http://${host}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: blob,
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  return digest;
}
