// A streaming tar reader for image layers: ustar, GNU long names (L/K) and pax headers (x/g), which is what
// Docker, BuildKit, buildah and GNU tar write. Only the entries a caller wants are buffered; the rest are skipped
// as they stream past, so a 1 GB layer costs the memory of the few files we read.
// A namespace import: a named import of createZstdDecompress would fail to load on Node < 22.15, every command
// that bundles this module with it, not just the read of a zstd layer.
import * as zlib from 'node:zlib';
import { Readable, type Transform } from 'node:stream';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Normalised: no leading `./` or `/`, no trailing `/`; the root itself is ``. */
  path: string;
  type: TarEntryType;
  size: number;
  /** Target of a symlink or hard link, normalised like `path` for hard links. */
  linkname?: string;
  /** The content, only for regular files the caller asked for. */
  data?: Buffer;
}

export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

const BLOCK = 512;

/** Pulls exact byte counts out of a chunked stream. */
class ByteReader {
  readonly #chunks: AsyncIterator<Uint8Array>;
  #buf: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#chunks = source[Symbol.asyncIterator]();
  }

  /** Exactly `n` bytes, or fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.#buf.length < n && !this.#done) await this.#fill();
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(out.length);
    return out;
  }

  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.#buf.length === 0) {
        if (this.#done) break;
        await this.#fill();
        continue;
      }
      const take = Math.min(left, this.#buf.length);
      this.#buf = this.#buf.subarray(take);
      left -= take;
    }
    return n - left;
  }

  async #fill(): Promise<void> {
    const next = await this.#chunks.next();
    if (next.done) {
      this.#done = true;
      return;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
  }

  async close(): Promise<void> {
    await this.#chunks.return?.();
  }
}

export function normaliseTarPath(raw: string): string {
  let p = raw.replace(/\/+/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  return p === '.' ? '' : p;
}

function cString(buf: Buffer, start: number, end: number): string {
  const field = buf.subarray(start, end);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? field.length : nul).toString('utf8');
}

/** Octal ASCII, or GNU base-256 when the high bit of the first byte is set (sizes of 8 GiB and more). */
function numeric(buf: Buffer, start: number, end: number): number {
  const field = buf.subarray(start, end);
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const text = cString(buf, start, end).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad numeric field "${text}" in tar header`);
  return parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  const field = cString(header, 148, 156).trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const stored = parseInt(field, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === stored;
}

/** `<len> <key>=<value>\n` records; lengths count bytes, values may hold newlines. */
export function parsePaxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(data.subarray(pos, space).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) throw new TarFormatError('malformed pax header record');
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

function entryType(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/**
 * Yields every entry of a tar stream in order. `want` sees each regular file before its content is read and
 * says whether to buffer it (`maxFileBytes` guards memory against a hostile or odd layer).
 */
export async function* readTar(
  source: AsyncIterable<Uint8Array>,
  want: (entry: TarEntry) => boolean = () => false,
  maxFileBytes = 64 << 20,
): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source);
  let globalPax: Record<string, string> = {};
  let pendingPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  try {
    for (;;) {
      const header = await reader.read(BLOCK);
      if (header.length === 0) return; // some writers omit the end-of-archive blocks
      if (header.length < BLOCK) throw new TarFormatError('truncated tar header');
      if (header.every((b) => b === 0)) {
        // Read to the end anyway: the blob's digest is checked when its last byte has been read.
        while ((await reader.skip(1 << 20)) > 0);
        return;
      }
      if (!checksumMatches(header)) throw new TarFormatError('tar header checksum mismatch (not a tar stream, or corrupt)');

      const flag = String.fromCharCode(header[156]!);
      let size = numeric(header, 124, 136);

      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        const body = await readExactly(reader, size, 'tar metadata entry');
        await reader.skip(padding(size));
        if (flag === 'x') pendingPax = { ...pendingPax, ...parsePaxRecords(body) };
        else if (flag === 'g') globalPax = { ...globalPax, ...parsePaxRecords(body) };
        else if (flag === 'L') longName = cString(body, 0, body.length);
        else longLink = cString(body, 0, body.length);
        continue;
      }

      const pax = { ...globalPax, ...pendingPax };
      const magic = header.subarray(257, 263).toString('latin1');
      // POSIX ustar splits long names into prefix + name; GNU tar uses those bytes for other things.
      const prefix = magic === 'ustar\0' ? cString(header, 345, 500) : '';
      const rawName = pax.path ?? longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
      const rawLink = pax.linkpath ?? longLink ?? cString(header, 157, 257);
      if (pax.size !== undefined) size = Number(pax.size);
      pendingPax = {};
      longName = undefined;
      longLink = undefined;

      const type = entryType(flag);
      // Old tars mark directories only with a trailing slash.
      const entry: TarEntry = { path: normaliseTarPath(rawName), type: type === 'file' && rawName.endsWith('/') ? 'directory' : type, size };
      if (type === 'symlink') entry.linkname = rawLink;
      if (type === 'hardlink') entry.linkname = normaliseTarPath(rawLink);
      // Hard links, symlinks and directories carry no data even if a writer put a size in the header, except
      // that a pax/GNU header may say otherwise; trust the size for everything but links and dirs.
      const dataSize = type === 'hardlink' || type === 'symlink' || type === 'directory' ? 0 : size;
      if (entry.type === 'file' && want(entry)) {
        if (dataSize > maxFileBytes) throw new TarFormatError(`${entry.path} is ${dataSize} bytes, more than the ${maxFileBytes} this reader buffers`);
        entry.data = await readExactly(reader, dataSize, entry.path);
      } else if ((await reader.skip(dataSize)) < dataSize) {
        throw new TarFormatError(`tar stream ends inside ${entry.path}`);
      }
      await reader.skip(padding(dataSize));
      yield entry;
    }
  } finally {
    await reader.close();
  }
}

async function readExactly(reader: ByteReader, size: number, what: string): Promise<Buffer> {
  const data = await reader.read(size);
  if (data.length < size) throw new TarFormatError(`tar stream ends inside ${what}`);
  return Buffer.from(data);
}

export type LayerCompression = 'gzip' | 'zstd' | 'none';

/** By magic bytes, not media type: registries and old clients mislabel layers often enough. */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** The uncompressed tar stream of a layer blob, whatever its compression. */
export async function* decompressLayer(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  const head: Uint8Array = first.value;
  const all = (async function* () {
    yield head;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  const compression = sniffCompression(head);
  if (compression === 'none') {
    yield* all;
    return;
  }
  let inflate: Transform;
  const zstd = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  if (compression === 'gzip') inflate = zlib.createGunzip();
  else if (typeof zstd === 'function') inflate = zstd();
  else throw new TarFormatError('this layer is zstd-compressed; reading it needs Node.js 22.15 or newer');
  const input = Readable.from(all);
  input.on('error', (err) => inflate.destroy(err));
  input.pipe(inflate);
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } finally {
    input.destroy();
    inflate.destroy();
  }
}
