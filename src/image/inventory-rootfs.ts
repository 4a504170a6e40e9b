// The files of interest in an image's merged filesystem, built by applying its layers in order the way overlayfs
// does: an entry replaces what lower layers had at its path, `.wh.<name>` deletes <name> from lower layers, and
// `.wh..wh..opq` hides everything lower layers had inside its folder (OCI image-spec, "Whiteouts").
import type { TarEntry } from './inventory-tar.ts';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Path -> content of the wanted files visible in the image. */
export type RootfsFiles = Map<string, Buffer>;

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function removeTree(files: RootfsFiles, path: string): void {
  files.delete(path);
  removeChildren(files, path);
}

function removeChildren(files: RootfsFiles, dir: string): void {
  const prefix = dir === '' ? '' : `${dir}/`;
  for (const key of files.keys()) if (key.startsWith(prefix) && key !== dir) files.delete(key);
}

/**
 * Applies one layer's entries on top of `lower` and returns the merged files. Whiteouts act on lower layers
 * only: a file this layer adds inside an opaque folder stays, whatever the order of the tar entries.
 */
export async function applyLayer(lower: RootfsFiles, entries: AsyncIterable<TarEntry>): Promise<RootfsFiles> {
  const below = new Map(lower);
  const added: RootfsFiles = new Map();
  for await (const entry of entries) {
    const name = baseOf(entry.path);
    if (name === OPAQUE) {
      removeChildren(below, parentOf(entry.path));
      continue;
    }
    if (name.startsWith(WHITEOUT_PREFIX)) {
      const parent = parentOf(entry.path);
      removeTree(below, `${parent ? `${parent}/` : ''}${name.slice(WHITEOUT_PREFIX.length)}`);
      continue;
    }
    // A folder merges with the folder below; anything else replaces the path and whatever was under it.
    if (entry.type === 'directory') below.delete(entry.path);
    else removeTree(below, entry.path);
    if (entry.type === 'file' && entry.data) added.set(entry.path, entry.data);
    else if (entry.type === 'hardlink' && entry.linkname) {
      const target = added.get(entry.linkname) ?? below.get(entry.linkname);
      if (target) added.set(entry.path, target);
    }
  }
  for (const [path, data] of added) below.set(path, data);
  return below;
}
