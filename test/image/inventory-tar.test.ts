import { describe, expect, it } from 'vitest';
import { decompressLayer, normaliseTarPath, parsePaxRecords, readTar, sniffCompression, type TarEntry } from '../../src/image/inventory-tar.ts';
import { chunked, compress, makeTar, type TarFormat } from './layer-fixture.ts';

async function entries(bytes: Buffer, want: (e: TarEntry) => boolean = () => true): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for await (const e of readTar(decompressLayer(chunked(bytes)), want)) out.push(e);
  return out;
}

const deepDir = `usr/lib/python3/dist-packages/${'a-very-long-folder-name-'.repeat(4)}x`;
const longName = `${deepDir}/${'metadata-file-with-a-long-name-'.repeat(4)}.txt`;

describe('readTar', () => {
  it.each<TarFormat>(['gnu', 'pax', 'ustar'])('reads files, folders, symlinks and hard links written by GNU tar (%s)', async (format) => {
    const tar = makeTar(
      {
        files: { 'etc/os-release': 'ID=debian\n', 'var/empty/': '' },
        symlinks: { 'bin/sh': '/bin/busybox' },
        hardlinks: { 'etc/os-release.link': 'etc/os-release' },
      },
      format,
    );
    const found = await entries(tar);
    const byPath = new Map(found.map((e) => [e.path, e]));
    expect(byPath.get('etc/os-release')).toMatchObject({ type: 'file', size: 10 });
    expect(byPath.get('etc/os-release')!.data!.toString()).toBe('ID=debian\n');
    expect(byPath.get('var/empty')?.type).toBe('directory');
    expect(byPath.get('bin/sh')).toMatchObject({ type: 'symlink', linkname: '/bin/busybox' });
    // tar stores the second name of a hard-linked file as a link to the first, in name order.
    const link = byPath.get('etc/os-release.link')!;
    expect(link).toMatchObject({ type: 'hardlink', linkname: 'etc/os-release' });
    expect(byPath.has('')).toBe(true); // the layer's root folder, `./`
  });

  it.each<TarFormat>(['gnu', 'pax'])('keeps names longer than 100 bytes whole (%s)', async (format) => {
    expect(longName.length).toBeGreaterThan(200);
    const tar = makeTar({ files: { [longName]: 'Name: x\n' }, symlinks: { 'short': longName } }, format);
    const found = await entries(tar);
    expect(found.find((e) => e.type === 'file')?.path).toBe(longName);
    expect(found.find((e) => e.type === 'symlink')?.linkname).toBe(longName);
  });

  it('joins the ustar prefix and name fields', async () => {
    const path = `${deepDir}/METADATA`;
    expect(path.length).toBeGreaterThan(100);
    const found = await entries(makeTar({ files: { [path]: 'x' } }, 'ustar'));
    expect(found.map((e) => e.path)).toContain(path);
  });

  it('buffers only the files the caller wants and skips the rest', async () => {
    const tar = makeTar({ files: { 'big.bin': 'z'.repeat(100_000), 'var/lib/dpkg/status': 'Package: a\n' } });
    const found = await entries(tar, (e) => e.path === 'var/lib/dpkg/status');
    expect(found.find((e) => e.path === 'big.bin')?.data).toBeUndefined();
    expect(found.find((e) => e.path === 'var/lib/dpkg/status')?.data?.toString()).toBe('Package: a\n');
  });

  it.each(['gzip', 'zstd', 'none'] as const)('reads a %s layer, whatever the media type claims', async (how) => {
    const layer = compress(makeTar({ files: { 'lib/apk/db/installed': 'P:musl\nV:1.2.4-r2\n' } }), how);
    expect(sniffCompression(layer)).toBe(how);
    const found = await entries(layer);
    expect(found.find((e) => e.path === 'lib/apk/db/installed')?.data?.toString()).toContain('P:musl');
  });

  it('refuses bytes that are not a tar stream', async () => {
    await expect(entries(Buffer.from('this is not a tar archive'.repeat(40)))).rejects.toThrow(/checksum mismatch/);
  });

  it('says so when the stream ends inside a file', async () => {
    const tar = makeTar({ files: { 'a.txt': 'y'.repeat(5000) } });
    const cut = tar.subarray(0, 512 * 4); // the root folder's header, a.txt's header, part of its data
    await expect(entries(cut)).rejects.toThrow(/ends inside a\.txt/);
  });
});

describe('parsePaxRecords', () => {
  it('reads length-prefixed records, including values with newlines and multi-byte characters', () => {
    const record = (key: string, value: string) => {
      const body = ` ${key}=${value}\n`;
      let len = Buffer.byteLength(body) + 1;
      while (String(len).length + Buffer.byteLength(body) !== len) len++;
      return `${len}${body}`;
    };
    const data = Buffer.from(record('path', 'usr/share/doc/café/README') + record('comment', 'two\nlines'));
    expect(parsePaxRecords(data)).toEqual({ path: 'usr/share/doc/café/README', comment: 'two\nlines' });
  });
});

describe('normaliseTarPath', () => {
  it.each([
    ['./etc/passwd', 'etc/passwd'],
    ['/etc/passwd', 'etc/passwd'],
    ['./', ''],
    ['.', ''],
    ['usr//lib/', 'usr/lib'],
    ['././var/lib', 'var/lib'],
  ])('%s -> %s', (raw, path) => expect(normaliseTarPath(raw)).toBe(path));
});
