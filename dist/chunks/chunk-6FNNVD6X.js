import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  isInventoryPath,
  packagesFromFiles
} from "./chunk-BIB7UNEJ.js";

// src/image/inventory.ts
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

// src/image/inventory-rootfs.ts
var WHITEOUT_PREFIX = ".wh.", OPAQUE = ".wh..wh..opq";
function parentOf(path) {
  let slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}
function baseOf(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}
function removeTree(files, path) {
  files.delete(path), removeChildren(files, path);
}
function removeChildren(files, dir) {
  let prefix = dir === "" ? "" : `${dir}/`;
  for (let key of files.keys()) key.startsWith(prefix) && key !== dir && files.delete(key);
}
async function applyLayer(lower, entries) {
  let below = new Map(lower), added = /* @__PURE__ */ new Map();
  for await (let entry of entries) {
    let name = baseOf(entry.path);
    if (name === OPAQUE) {
      removeChildren(below, parentOf(entry.path));
      continue;
    }
    if (name.startsWith(WHITEOUT_PREFIX)) {
      let parent = parentOf(entry.path);
      removeTree(below, `${parent ? `${parent}/` : ""}${name.slice(WHITEOUT_PREFIX.length)}`);
      continue;
    }
    if (entry.type === "directory" ? below.delete(entry.path) : removeTree(below, entry.path), entry.type === "file" && entry.data) added.set(entry.path, entry.data);
    else if (entry.type === "hardlink" && entry.linkname) {
      let target = added.get(entry.linkname) ?? below.get(entry.linkname);
      target && added.set(entry.path, target);
    }
  }
  for (let [path, data] of added) below.set(path, data);
  return below;
}

// src/image/inventory-tar.ts
import * as zlib from "node:zlib";
import { Readable } from "node:stream";
var TarFormatError = class extends Error {
  name = "TarFormatError";
}, BLOCK = 512, ByteReader = class {
  #chunks;
  #buf = Buffer.alloc(0);
  #done = !1;
  constructor(source) {
    this.#chunks = source[Symbol.asyncIterator]();
  }
  /** Exactly `n` bytes, or fewer only at the end of the stream. */
  async read(n) {
    for (; this.#buf.length < n && !this.#done; ) await this.#fill();
    let out = this.#buf.subarray(0, n);
    return this.#buf = this.#buf.subarray(out.length), out;
  }
  async skip(n) {
    let left = n;
    for (; left > 0; ) {
      if (this.#buf.length === 0) {
        if (this.#done) break;
        await this.#fill();
        continue;
      }
      let take = Math.min(left, this.#buf.length);
      this.#buf = this.#buf.subarray(take), left -= take;
    }
    return n - left;
  }
  async #fill() {
    let next = await this.#chunks.next();
    if (next.done) {
      this.#done = !0;
      return;
    }
    let chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
  }
  async close() {
    await this.#chunks.return?.();
  }
};
function normaliseTarPath(raw) {
  let p = raw.replace(/\/+/g, "/");
  for (; p.startsWith("./"); ) p = p.slice(2);
  return p = p.replace(/^\/+/, "").replace(/\/+$/, ""), p === "." ? "" : p;
}
function cString(buf, start, end) {
  let field = buf.subarray(start, end), nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? field.length : nul).toString("utf8");
}
function numeric(buf, start, end) {
  let field = buf.subarray(start, end);
  if (field[0] & 128) {
    let value = field[0] & 127;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  let text = cString(buf, start, end).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad numeric field "${text}" in tar header`);
  return parseInt(text, 8);
}
function checksumMatches(header) {
  let field = cString(header, 148, 156).trim();
  if (!/^[0-7]+$/.test(field)) return !1;
  let stored = parseInt(field, 8), sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
  return sum === stored;
}
function parsePaxRecords(data) {
  let out = {}, pos = 0;
  for (; pos < data.length; ) {
    let space = data.indexOf(32, pos);
    if (space === -1) break;
    let len = parseInt(data.subarray(pos, space).toString("ascii"), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) throw new TarFormatError("malformed pax header record");
    let record = data.subarray(space + 1, pos + len - 1).toString("utf8"), eq = record.indexOf("=");
    eq > 0 && (out[record.slice(0, eq)] = record.slice(eq + 1)), pos += len;
  }
  return out;
}
function entryType(flag) {
  switch (flag) {
    case "0":
    case "\0":
    case "":
    case "7":
      return "file";
    case "1":
      return "hardlink";
    case "2":
      return "symlink";
    case "5":
      return "directory";
    default:
      return "other";
  }
}
var padding = (size) => (BLOCK - size % BLOCK) % BLOCK;
async function* readTar(source, want = () => !1, maxFileBytes = 64 << 20) {
  let reader = new ByteReader(source), globalPax = {}, pendingPax = {}, longName, longLink;
  try {
    for (; ; ) {
      let header = await reader.read(BLOCK);
      if (header.length === 0) return;
      if (header.length < BLOCK) throw new TarFormatError("truncated tar header");
      if (header.every((b) => b === 0)) {
        for (; await reader.skip(1 << 20) > 0; ) ;
        return;
      }
      if (!checksumMatches(header)) throw new TarFormatError("tar header checksum mismatch (not a tar stream, or corrupt)");
      let flag = String.fromCharCode(header[156]), size = numeric(header, 124, 136);
      if (flag === "x" || flag === "g" || flag === "L" || flag === "K") {
        let body = await readExactly(reader, size, "tar metadata entry");
        await reader.skip(padding(size)), flag === "x" ? pendingPax = { ...pendingPax, ...parsePaxRecords(body) } : flag === "g" ? globalPax = { ...globalPax, ...parsePaxRecords(body) } : flag === "L" ? longName = cString(body, 0, body.length) : longLink = cString(body, 0, body.length);
        continue;
      }
      let pax = { ...globalPax, ...pendingPax }, prefix = header.subarray(257, 263).toString("latin1") === "ustar\0" ? cString(header, 345, 500) : "", rawName = pax.path ?? longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100)), rawLink = pax.linkpath ?? longLink ?? cString(header, 157, 257);
      pax.size !== void 0 && (size = Number(pax.size)), pendingPax = {}, longName = void 0, longLink = void 0;
      let type = entryType(flag), entry = { path: normaliseTarPath(rawName), type: type === "file" && rawName.endsWith("/") ? "directory" : type, size };
      type === "symlink" && (entry.linkname = rawLink), type === "hardlink" && (entry.linkname = normaliseTarPath(rawLink));
      let dataSize = type === "hardlink" || type === "symlink" || type === "directory" ? 0 : size;
      if (entry.type === "file" && want(entry)) {
        if (dataSize > maxFileBytes) throw new TarFormatError(`${entry.path} is ${dataSize} bytes, more than the ${maxFileBytes} this reader buffers`);
        entry.data = await readExactly(reader, dataSize, entry.path);
      } else if (await reader.skip(dataSize) < dataSize)
        throw new TarFormatError(`tar stream ends inside ${entry.path}`);
      await reader.skip(padding(dataSize)), yield entry;
    }
  } finally {
    await reader.close();
  }
}
async function readExactly(reader, size, what) {
  let data = await reader.read(size);
  if (data.length < size) throw new TarFormatError(`tar stream ends inside ${what}`);
  return Buffer.from(data);
}
function sniffCompression(head) {
  return head[0] === 31 && head[1] === 139 ? "gzip" : head[0] === 40 && head[1] === 181 && head[2] === 47 && head[3] === 253 ? "zstd" : "none";
}
async function* decompressLayer(source) {
  let chunks = source[Symbol.asyncIterator](), first = await chunks.next();
  if (first.done) return;
  let head = first.value, all = (async function* () {
    for (yield head; ; ) {
      let next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  })(), compression = sniffCompression(head);
  if (compression === "none") {
    yield* all;
    return;
  }
  let inflate, zstd = zlib.createZstdDecompress;
  if (compression === "gzip") inflate = zlib.createGunzip();
  else if (typeof zstd == "function") inflate = zstd();
  else throw new TarFormatError("this layer is zstd-compressed; reading it needs Node.js 22.15 or newer");
  let input = Readable.from(all);
  input.on("error", (err) => inflate.destroy(err)), input.pipe(inflate);
  try {
    for await (let chunk of inflate) yield chunk;
  } finally {
    input.destroy(), inflate.destroy();
  }
}

// src/image/inventory.ts
var DEFAULT_PLATFORM = { os: "linux", architecture: "amd64" }, INDEX_TYPES = /* @__PURE__ */ new Set(["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]);
function formatPlatform(p) {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}
function parsePlatform(text) {
  let [os, architecture, variant, extra] = text.split("/");
  if (!os || !architecture || extra !== void 0) throw new Error(`platform must be os/arch[/variant], got "${text}"`);
  return variant ? { os, architecture, variant } : { os, architecture };
}
function pickPlatform(manifests, platform) {
  let candidates = manifests.filter(
    (m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture && m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest"
  );
  return candidates.find((m) => (m.platform?.variant ?? "") === (platform.variant ?? "")) ?? candidates[0];
}
function isFilesystemLayer(layer) {
  let type = layer.mediaType ?? "";
  return type.includes("foreign") || type.includes("nondistributable") ? !1 : type === "" || type.includes(".tar") || type.includes("layer");
}
async function platformManifest(registry, repository, reference, platform = DEFAULT_PLATFORM) {
  let top = await registry.getManifest(repository, reference), manifestDigest = top.digest, doc = JSON.parse(top.bytes.toString("utf8"));
  if (INDEX_TYPES.has(top.mediaType) || doc.manifests) {
    let chosen = pickPlatform(doc.manifests ?? [], platform);
    if (!chosen) {
      let offered = (doc.manifests ?? []).map((m) => m.platform ? formatPlatform(m.platform) : "?").join(", ");
      throw new Error(`${repository}@${top.digest} has no ${formatPlatform(platform)} image (it has: ${offered || "none"})`);
    }
    let manifest = await registry.getManifest(repository, chosen.digest);
    manifestDigest = manifest.digest, doc = JSON.parse(manifest.bytes.toString("utf8"));
  }
  return { digest: top.digest, manifestDigest, doc };
}
async function readImageLabels(registry, repository, reference, platform = DEFAULT_PLATFORM) {
  let { manifestDigest, doc } = await platformManifest(registry, repository, reference, platform);
  if (!doc.config) throw new Error(`${repository}@${manifestDigest} is not an image manifest (no config)`);
  let blob = await registry.getBlob(repository, doc.config.digest), chunks = [];
  for await (let chunk of blob.body) chunks.push(Buffer.from(chunk));
  return JSON.parse(Buffer.concat(chunks).toString("utf8")).config?.Labels ?? {};
}
async function readInventory(registry, repository, reference, platform = DEFAULT_PLATFORM) {
  let { digest, manifestDigest, doc } = await platformManifest(registry, repository, reference, platform);
  if (!doc.layers) throw new Error(`${repository}@${manifestDigest} is not an image manifest (no layers)`);
  let files = /* @__PURE__ */ new Map();
  for (let layer of doc.layers.filter(isFilesystemLayer)) {
    let blob = await registry.getBlob(repository, layer.digest);
    try {
      files = await applyLayer(files, readTar(decompressLayer(blob.body), (e) => isInventoryPath(e.path)));
    } catch (err) {
      throw blob.body.destroy(), new Error(`reading layer ${layer.digest} of ${repository}@${manifestDigest}: ${err.message}`, { cause: err });
    }
  }
  return { repository, digest, manifestDigest, platform: formatPlatform(platform), packages: packagesFromFiles(files) };
}
async function readArchiveInventory(dir) {
  let layers = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"))[0]?.Layers;
  if (!layers) throw new Error(`${dir}/manifest.json lists no layers: not a docker-archive`);
  let files = /* @__PURE__ */ new Map();
  for (let layer of layers)
    files = await applyLayer(files, readTar(decompressLayer(createReadStream(join(dir, layer))), (e) => isInventoryPath(e.path)));
  return packagesFromFiles(files);
}

export {
  DEFAULT_PLATFORM,
  parsePlatform,
  readImageLabels,
  readInventory,
  readArchiveInventory
};
