// Which files in an image record installed packages, and how to read them: dpkg's status database (and the
// one-file-per-package status.d/ that distroless images use), Alpine's apk database, and Python's installed
// distribution metadata. Pure functions over file contents.
import type { RootfsFiles } from './inventory-rootfs.ts';

export type PackageType = 'deb' | 'apk' | 'python';

export interface Package {
  type: PackageType;
  name: string;
  version: string;
  /** The source package (dpkg `Source:`, apk origin) when it differs from the name: what advisories name. */
  source?: string;
  /** Architecture as the package manager records it (`amd64`, `all`, `x86_64`). */
  arch?: string;
}

const DPKG_STATUS = 'var/lib/dpkg/status';
const DPKG_STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;
const APK_INSTALLED = /^(?:usr\/)?lib\/apk\/db\/installed$/;
const PYTHON_METADATA = /(?:^|\/)(?:site|dist)-packages\/[^/]+(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|\.egg-info)$/;

/** Whether a file at `path` (normalised, no leading slash) is one the inventory reads. */
export function isInventoryPath(path: string): boolean {
  return path === DPKG_STATUS || DPKG_STATUS_D.test(path) || APK_INSTALLED.test(path) || PYTHON_METADATA.test(path);
}

/** Splits RFC 822-style stanzas (dpkg control files): `Field: value` with indented continuation lines. */
export function parseStanzas(text: string): Record<string, string>[] {
  const stanzas: Record<string, string>[] = [];
  let current: Record<string, string> = {};
  let field: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (Object.keys(current).length > 0) stanzas.push(current);
      current = {};
      field = undefined;
    } else if (/^[ \t]/.test(line)) {
      if (field) current[field] += `\n${line.trim()}`;
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      field = line.slice(0, colon).trim();
      current[field] = line.slice(colon + 1).trim();
    }
  }
  if (Object.keys(current).length > 0) stanzas.push(current);
  return stanzas;
}

/**
 * dpkg's status database. Only packages whose state is `installed` count: `config-files` (removed, config
 * left behind) and half-installed packages are not in the image in any useful sense. status.d/ files carry
 * no Status field; every stanza there is installed.
 */
export function parseDpkgStatus(text: string): Package[] {
  const out: Package[] = [];
  for (const s of parseStanzas(text)) {
    const name = s.Package;
    const version = s.Version;
    if (!name || !version) continue;
    if (s.Status !== undefined && s.Status.split(/\s+/).pop() !== 'installed') continue;
    const pkg: Package = { type: 'deb', name, version };
    // `Source: openssl (3.0.11-1~deb12u2)` names the source package and, when it differs, its version.
    const source = s.Source?.split(/\s+/)[0];
    if (source && source !== name) pkg.source = source;
    if (s.Architecture) pkg.arch = s.Architecture;
    out.push(pkg);
  }
  return out;
}

/** Alpine's `lib/apk/db/installed`: blank-line separated records of one-letter keys (P name, V version, A arch, o origin). */
export function parseApkInstalled(text: string): Package[] {
  const out: Package[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z]):(.*)$/.exec(line);
      if (m && fields[m[1]!] === undefined) fields[m[1]!] = m[2]!.trim();
    }
    if (!fields.P || !fields.V) continue;
    const pkg: Package = { type: 'apk', name: fields.P, version: fields.V };
    if (fields.o && fields.o !== fields.P) pkg.source = fields.o;
    if (fields.A) pkg.arch = fields.A;
    out.push(pkg);
  }
  return out;
}

/** Core metadata (METADATA / PKG-INFO): email-style headers up to the first blank line; the body is the README. */
export function parsePythonMetadata(text: string): Package | undefined {
  const headerEnd = text.search(/\r?\n\r?\n/);
  const stanza = parseStanzas(headerEnd === -1 ? text : text.slice(0, headerEnd))[0];
  if (!stanza?.Name || !stanza.Version) return undefined;
  return { type: 'python', name: stanza.Name, version: stanza.Version };
}

export function comparePackages(a: Package, b: Package): number {
  return (
    a.type.localeCompare(b.type) ||
    a.name.localeCompare(b.name, 'en') ||
    (a.arch ?? '').localeCompare(b.arch ?? '') ||
    a.version.localeCompare(b.version, 'en', { numeric: true })
  );
}

/** Every package the files record, sorted, without duplicates (the same wheel in two site-packages is one). */
export function packagesFromFiles(files: RootfsFiles): Package[] {
  const found: Package[] = [];
  for (const [path, data] of files) {
    if (!isInventoryPath(path)) continue;
    const text = data.toString('utf8');
    if (path === DPKG_STATUS || DPKG_STATUS_D.test(path)) {
      // status.d also holds `<pkg>.md5sums` files next to the stanzas.
      if (!path.endsWith('.md5sums')) found.push(...parseDpkgStatus(text));
    } else if (APK_INSTALLED.test(path)) {
      found.push(...parseApkInstalled(text));
    } else {
      const pkg = parsePythonMetadata(text);
      if (pkg) found.push(pkg);
    }
  }
  const unique = new Map(found.map((p) => [JSON.stringify([p.type, p.name, p.arch, p.version, p.source]), p]));
  return [...unique.values()].sort(comparePackages);
}
