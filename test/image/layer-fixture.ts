// Layers for the inventory tests, written by GNU tar from a folder laid out on disk, so the reader is checked
// against a real writer's headers (ustar, GNU long names, pax) rather than our own idea of them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type TarFormat = 'gnu' | 'pax' | 'ustar' | 'v7';

export interface LayerSpec {
  /** path -> content; a path ending in `/` is an empty folder. */
  files?: Record<string, string>;
  symlinks?: Record<string, string>;
  /** link path -> existing file path (both inside the layer). */
  hardlinks?: Record<string, string>;
}

export function makeTar(spec: LayerSpec, format: TarFormat = 'gnu'): Buffer {
  const root = mkdtempSync(join(tmpdir(), 'rollgate-layer-'));
  try {
    for (const [path, content] of Object.entries(spec.files ?? {})) {
      const full = join(root, path);
      if (path.endsWith('/')) mkdirSync(full, { recursive: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    for (const [path, target] of Object.entries(spec.symlinks ?? {})) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      symlinkSync(target, join(root, path));
    }
    for (const [path, target] of Object.entries(spec.hardlinks ?? {})) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      linkSync(join(root, target), join(root, path));
    }
    return execFileSync('tar', [`--format=${format}`, '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', '-', '.'], {
      maxBuffer: 64 << 20,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function compress(tar: Buffer, how: 'gzip' | 'zstd' | 'none'): Buffer {
  if (how === 'none') return tar;
  return execFileSync(how, ['-c', ...(how === 'gzip' ? ['-n'] : ['-q'])], { input: tar, maxBuffer: 64 << 20 });
}

/** The bytes in uneven chunks, the way a network stream delivers them. */
export async function* chunked(bytes: Buffer, size = 777): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
