import { describe, expect, it } from 'vitest';
import { applyLayer, type RootfsFiles } from '../../src/image/inventory-rootfs.ts';
import { decompressLayer, readTar, type TarEntry } from '../../src/image/inventory-tar.ts';
import { chunked, compress, makeTar, type LayerSpec } from './layer-fixture.ts';

const file = (path: string, content = path): TarEntry => ({ path, type: 'file', size: content.length, data: Buffer.from(content) });
const dir = (path: string): TarEntry => ({ path, type: 'directory', size: 0 });
const whiteout = (path: string): TarEntry => ({ path, type: 'file', size: 0 });

async function* list(entries: TarEntry[]): AsyncGenerator<TarEntry> {
  yield* entries;
}

async function merge(...layers: TarEntry[][]): Promise<string[]> {
  let files: RootfsFiles = new Map();
  for (const layer of layers) files = await applyLayer(files, list(layer));
  return [...files.keys()].sort();
}

describe('applyLayer', () => {
  it('lets an upper layer replace a file', async () => {
    let files: RootfsFiles = await applyLayer(new Map(), list([file('var/lib/dpkg/status', 'old')]));
    files = await applyLayer(files, list([file('var/lib/dpkg/status', 'new')]));
    expect(files.get('var/lib/dpkg/status')?.toString()).toBe('new');
  });

  it.each<[string, TarEntry[][], string[]]>([
    ['a whiteout deletes a file from a lower layer',
      [[file('a/x'), file('a/y')], [whiteout('a/.wh.x')]], ['a/y']],
    ['a whiteout of a folder deletes everything inside it',
      [[file('site/pkg-1.0.dist-info/METADATA'), file('site/other')], [whiteout('site/.wh.pkg-1.0.dist-info')]], ['site/other']],
    ['an opaque folder hides what lower layers had inside it',
      [[file('status.d/a'), file('status.d/b'), file('keep')], [whiteout('status.d/.wh..wh..opq')]], ['keep']],
    ['an opaque folder keeps what its own layer adds, before or after the marker',
      [[file('d/old')], [file('d/before'), whiteout('d/.wh..wh..opq'), file('d/after')]], ['d/after', 'd/before']],
    ['a whiteout does not delete a name that only shares a prefix',
      [[file('a/x'), file('a/xy'), file('a/x/inner')], [whiteout('a/.wh.x')]], ['a/xy']],
    ['a whiteout in a layer does not touch what that layer adds',
      [[file('a/x')], [file('a/x', 'again'), whiteout('a/.wh.x')]], ['a/x']],
    ['a folder merges with the folder below',
      [[file('d/one')], [dir('d'), file('d/two')]], ['d/one', 'd/two']],
    ['a file where a folder was removes the folder and its contents',
      [[file('d/one')], [file('d')]], ['d']],
    ['a symlink where a file was removes the file',
      [[file('var/lib/dpkg/status')], [{ path: 'var/lib/dpkg/status', type: 'symlink', size: 0, linkname: '/x' }]], []],
    ['a hard link to a wanted file carries its content',
      [[file('a'), { path: 'b', type: 'hardlink', size: 0, linkname: 'a' }]], ['a', 'b']],
  ])('%s', async (_name, layers, visible) => {
    expect(await merge(...layers)).toEqual(visible);
  });
});

describe('applyLayer over tar layers written by GNU tar', () => {
  const layer = (spec: LayerSpec) => readTar(decompressLayer(chunked(compress(makeTar(spec), 'gzip'))), (e) => e.path.startsWith('py/'));

  it('removes a package installed in one layer and deleted in the next', async () => {
    let files: RootfsFiles = new Map();
    files = await applyLayer(files, layer({ files: { 'py/a-1.dist-info/METADATA': 'Name: a', 'py/b-2.dist-info/METADATA': 'Name: b' } }));
    files = await applyLayer(files, layer({ files: { 'py/.wh.a-1.dist-info': '' } }));
    expect([...files.keys()]).toEqual(['py/b-2.dist-info/METADATA']);
    expect(files.get('py/b-2.dist-info/METADATA')?.toString()).toBe('Name: b');
  });
});
