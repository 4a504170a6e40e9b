// A stand-in for Google Artifact Registry on one loopback port, backed by the real local registry:
//
//   /v1/...  the Artifact Registry REST API v1, as @google-cloud/artifact-registry sends it in REST mode:
//            repositories get/list, packages get/list, tags get/list/create/patch/delete, versions get/list.
//            JSON shapes, paths and errors (`{error:{code,message,status}}`) follow the real API; numeric enums
//            when the client asks for them (`$alt=json;enum-encoding=int`, which gax always does).
//   /v2/...  the Docker registry API of `LOCATION-docker.pkg.dev`, proxied to the local registry, with GAR's
//            habit of answering 404 to a manifest request whose Accept lacks the manifest's media type.
//
// A tag is a tag in the local registry: moving one is GET manifest by digest + PUT under the tag. Distribution
// cannot delete a tag alone (only a manifest with all its tags), so a tag deleted through the API goes into a
// small overlay that hides it from both faces until it is set again. Versions are the manifests reachable from
// tags, plus any digest the emulator has been asked about. The Docker face needs no credentials; the API
// requires `Authorization: Bearer <accessToken>` when one is configured.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pushOneLayerImage } from './base-image.ts';

export interface EmulatedRepository {
  project: string;
  location: string;
  repository: string;
  /** Default DOCKER. */
  format?: 'DOCKER' | 'MAVEN' | 'NPM' | 'PYTHON' | 'GO' | 'GENERIC';
  immutableTags?: boolean;
  description?: string;
}

export interface GarEmulatorOptions {
  /** host:port of the Distribution registry that stores the images. */
  registryHost: string;
  repositories?: EmulatedRepository[];
  /** When set, API requests must carry it as a Bearer token. */
  accessToken?: string;
}

export interface RecordedRequest {
  api: 'artifactregistry' | 'docker';
  method: string;
  /** Path and query as received (still percent-encoded). */
  url: string;
  body: string;
}

export interface GarEmulator {
  /** Base URL of both faces: `apiEndpoint` and `endpoint` of RegistrySettings. */
  url: string;
  requests: RecordedRequest[];
  /** Adds or replaces a repository. */
  setRepository(repo: EmulatedRepository): void;
  /** The next `count` API requests fail with this HTTP status (Google's JSON error). */
  failNext(count: number, status: number): void;
  stop(): Promise<void>;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const FORMAT_NUMBERS: Record<string, number> = { DOCKER: 1, MAVEN: 2, NPM: 3, PYTHON: 8, GO: 10, GENERIC: 11 };
const STANDARD_REPOSITORY = 1;
const VERSION_VIEW_FULL = 2;
const TAG_ID = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DEFAULT_PAGE_SIZE = 100;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

class ApiError extends Error {
  readonly code: number;
  readonly status: string;
  constructor(code: number, message: string, status = STATUS_NAMES[code] ?? 'UNKNOWN') {
    super(message);
    this.code = code;
    this.status = status;
  }
}

const notFound = (what: string) => new ApiError(404, `Requested entity was not found: ${what}`);
const immutable = (tag: string) =>
  new ApiError(400, `Tag ${tag} cannot be modified: the repository has immutable tags enabled`, 'FAILED_PRECONDITION');

export async function startGarEmulator(options: GarEmulatorOptions): Promise<GarEmulator> {
  const state = new EmulatorState(options);
  const requests: RecordedRequest[] = [];
  let faults: { count: number; status: number } = { count: 0, status: 0 };
  let selfHost = '';

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/v2/') || url === '/v2') {
      requests.push({ api: 'docker', method: req.method ?? 'GET', url, body: '' });
      state.docker(req, res, selfHost).catch((err: unknown) => dockerError(res, 500, 'UNKNOWN', String(err)));
      return;
    }
    readBody(req)
      .then(async (body) => {
        requests.push({ api: 'artifactregistry', method: req.method ?? 'GET', url, body });
        if (faults.count > 0) {
          faults.count--;
          throw new ApiError(faults.status, 'The service is currently unavailable (injected fault).');
        }
        if (options.accessToken && req.headers.authorization !== `Bearer ${options.accessToken}`) {
          throw new ApiError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
        }
        const result = await state.api(req.method ?? 'GET', new URL(url, 'http://emulator'), body);
        sendJson(res, 200, result);
      })
      .catch((err: unknown) => {
        const e = err instanceof ApiError ? err : new ApiError(500, `Internal error: ${String(err)}`);
        sendJson(res, e.code, { error: { code: e.code, message: e.message, status: e.status } });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  selfHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${selfHost}`,
    requests,
    setRepository: (repo) => state.setRepository(repo),
    failNext: (count, status) => {
      faults = { count, status };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Manifest {
  digest: string;
  mediaType: string;
  size: number;
}

interface PackageRef {
  repo: EmulatedRepository;
  /** Resource name of the package, `%2F`-escaped. */
  name: string;
  /** Repository path in the local registry: `project/repository/image/path`. */
  path: string;
}

class EmulatorState {
  readonly #registry: string;
  readonly #repositories = new Map<string, EmulatedRepository>();
  /** Registry path -> tags deleted through the API (Distribution cannot delete a tag alone). */
  readonly #deleted = new Map<string, Set<string>>();
  /** Digest -> when the emulator first saw it; stands in for createTime. */
  readonly #seen = new Map<string, string>();
  readonly #started = new Date().toISOString();

  constructor(options: GarEmulatorOptions) {
    this.#registry = `http://${options.registryHost}`;
    for (const repo of options.repositories ?? []) this.setRepository(repo);
  }

  setRepository(repo: EmulatedRepository): void {
    this.#repositories.set(repositoryResource(repo), { ...repo, format: repo.format ?? 'DOCKER' });
  }

  // ---- Artifact Registry API ----

  async api(method: string, url: URL, body: string): Promise<unknown> {
    // The client percent-encodes each path segment once more (`a%2Fb` travels as `a%252Fb`); decode once.
    const seg = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const q = url.searchParams;
    const numericEnums = (q.get('$alt') ?? '').includes('enum-encoding=int');
    const json = parseJson(body);
    if (seg[0] !== 'v1' || seg[1] !== 'projects' || seg[3] !== 'locations' || seg[5] !== 'repositories') {
      throw new ApiError(404, `Method not found: ${method} ${url.pathname}`);
    }
    const [, , project = '', , location = '', , repoId, packages, pkgId, kind, id] = seg;
    const route = `${method} ${[repoId && 'R', packages, pkgId && 'P', kind, id && 'I'].filter(Boolean).join('/')}`;
    const parent = `projects/${project}/locations/${location}`;
    const repo = () => this.#repository(`${parent}/repositories/${repoId}`);
    const pkg = () => this.#package(repo(), pkgId!);
    switch (route) {
      case 'GET ':
        return this.#listRepositories(parent, q, numericEnums);
      case 'GET R':
        return this.#repositoryJson(repo(), numericEnums);
      case 'GET R/packages':
        return this.#listPackages(repo(), q);
      case 'GET R/packages/P':
        return this.#getPackage(pkg());
      case 'GET R/packages/P/tags':
        return this.#listTags(pkg(), q);
      case 'POST R/packages/P/tags':
        return this.#createTag(pkg(), q.get('tagId') ?? '', json);
      case 'GET R/packages/P/tags/I':
        return this.#getTag(pkg(), id!);
      case 'PATCH R/packages/P/tags/I':
        return this.#updateTag(pkg(), id!, q.get('updateMask'), json);
      case 'DELETE R/packages/P/tags/I':
        return this.#deleteTag(pkg(), id!);
      case 'GET R/packages/P/versions':
        return this.#listVersions(pkg(), q);
      case 'GET R/packages/P/versions/I':
        return this.#getVersion(pkg(), id!, q.get('view'));
      default:
        throw new ApiError(404, `Method not found: ${method} ${url.pathname}`);
    }
  }

  #repository(name: string): EmulatedRepository {
    const repo = this.#repositories.get(name);
    if (!repo) throw notFound(name);
    return repo;
  }

  #package(repo: EmulatedRepository, pkgId: string): PackageRef {
    const image = decodeURIComponent(pkgId);
    return {
      repo,
      name: `${repositoryResource(repo)}/packages/${encodeURIComponent(image)}`,
      path: `${registryPrefix(repo)}/${image}`,
    };
  }

  #repositoryJson(repo: EmulatedRepository, numericEnums: boolean): unknown {
    const format = repo.format ?? 'DOCKER';
    return {
      name: repositoryResource(repo),
      format: numericEnums ? FORMAT_NUMBERS[format] : format,
      ...(repo.description ? { description: repo.description } : {}),
      createTime: this.#started,
      updateTime: this.#started,
      mode: numericEnums ? STANDARD_REPOSITORY : 'STANDARD_REPOSITORY',
      // proto3 JSON leaves out fields at their default: a mutable Docker repository has `dockerConfig: {}`.
      ...(format === 'DOCKER' ? { dockerConfig: repo.immutableTags ? { immutableTags: true } : {} } : {}),
      registryUri: `${repo.location}-docker.pkg.dev/${repo.project.replace(':', '/')}/${repo.repository}`,
    };
  }

  #listRepositories(parent: string, q: URLSearchParams, numericEnums: boolean): unknown {
    const all = [...this.#repositories.entries()].filter(([name]) => name.startsWith(`${parent}/repositories/`));
    all.sort(([a], [b]) => a.localeCompare(b));
    return page('repositories', all.map(([, repo]) => this.#repositoryJson(repo, numericEnums)), q);
  }

  async #listPackages(repo: EmulatedRepository, q: URLSearchParams): Promise<unknown> {
    const prefix = `${registryPrefix(repo)}/`;
    const paths = (await this.#catalog()).filter((p) => p.startsWith(prefix));
    const found = [];
    for (const path of paths.sort()) {
      const pkg = this.#package(repo, path.slice(prefix.length));
      if ((await this.#visibleTags(pkg)).length > 0) found.push(this.#packageJson(pkg));
    }
    return page('packages', found, q);
  }

  async #getPackage(pkg: PackageRef): Promise<unknown> {
    if ((await this.#visibleTags(pkg)).length === 0) throw notFound(pkg.name);
    return this.#packageJson(pkg);
  }

  #packageJson(pkg: PackageRef): unknown {
    return { name: pkg.name, createTime: this.#started, updateTime: this.#started };
  }

  async #listTags(pkg: PackageRef, q: URLSearchParams): Promise<unknown> {
    const filter = tagFilter(q.get('filter'));
    const tags = [];
    for (const tag of (await this.#visibleTags(pkg)).sort()) {
      const manifest = await this.#head(pkg.path, tag);
      if (!manifest) continue;
      const json = this.#tagJson(pkg, tag, manifest.digest);
      if (filter(json)) tags.push(json);
    }
    return page('tags', tags, q);
  }

  async #getTag(pkg: PackageRef, tag: string): Promise<unknown> {
    const manifest = await this.#tagged(pkg, tag);
    if (!manifest) throw notFound(`${pkg.name}/tags/${tag}`);
    return this.#tagJson(pkg, tag, manifest.digest);
  }

  async #createTag(pkg: PackageRef, tagId: string, body: Record<string, unknown>): Promise<unknown> {
    if (!TAG_ID.test(tagId)) throw new ApiError(400, `Invalid tag ID "${tagId}"`);
    if (await this.#tagged(pkg, tagId)) {
      throw new ApiError(409, `Tag ${pkg.name}/tags/${tagId} already exists`);
    }
    const digest = await this.#existingVersion(pkg, body['version']);
    await this.#pointTag(pkg, tagId, digest);
    return this.#tagJson(pkg, tagId, digest);
  }

  async #updateTag(pkg: PackageRef, tag: string, updateMask: string | null, body: Record<string, unknown>): Promise<unknown> {
    const paths = updateMask ? updateMask.split(',') : ['version'];
    if (paths.some((p) => p !== 'version')) throw new ApiError(400, `Invalid update mask "${updateMask}": only version can change`);
    const current = await this.#tagged(pkg, tag);
    if (!current) throw notFound(`${pkg.name}/tags/${tag}`);
    const digest = await this.#existingVersion(pkg, body['version']);
    if (digest !== current.digest) {
      if (pkg.repo.immutableTags) throw immutable(`${pkg.name}/tags/${tag}`);
      await this.#pointTag(pkg, tag, digest);
    }
    return this.#tagJson(pkg, tag, digest);
  }

  async #deleteTag(pkg: PackageRef, tag: string): Promise<unknown> {
    if (!(await this.#tagged(pkg, tag))) throw notFound(`${pkg.name}/tags/${tag}`);
    if (pkg.repo.immutableTags) throw immutable(`${pkg.name}/tags/${tag}`);
    this.#hidden(pkg.path).add(tag);
    return {};
  }

  async #listVersions(pkg: PackageRef, q: URLSearchParams): Promise<unknown> {
    const byDigest = await this.#tagsByDigest(pkg);
    for (const digest of this.#seen.keys()) {
      if (!byDigest.has(digest) && (await this.#head(pkg.path, digest))) byDigest.set(digest, []);
    }
    const full = Number(q.get('view')) === VERSION_VIEW_FULL || q.get('view') === 'FULL';
    const versions = [...byDigest.keys()].sort().map((d) => this.#versionJson(pkg, d, full ? byDigest.get(d) : undefined));
    return page('versions', versions, q);
  }

  async #getVersion(pkg: PackageRef, version: string, view: string | null): Promise<unknown> {
    const manifest = DIGEST.test(version) ? await this.#head(pkg.path, version) : undefined;
    if (!manifest) throw notFound(`${pkg.name}/versions/${version}`);
    const full = Number(view) === VERSION_VIEW_FULL || view === 'FULL';
    const tags = full ? (await this.#tagsByDigest(pkg)).get(version) ?? [] : undefined;
    return { ...this.#versionJson(pkg, version, tags), metadata: this.#dockerMetadata(pkg, manifest) };
  }

  #tagJson(pkg: PackageRef, tag: string, digest: string) {
    return { name: `${pkg.name}/tags/${tag}`, version: `${pkg.name}/versions/${digest}` };
  }

  #versionJson(pkg: PackageRef, digest: string, relatedTags?: string[]) {
    const created = this.#seenAt(digest);
    return {
      name: `${pkg.name}/versions/${digest}`,
      createTime: created,
      updateTime: created,
      ...(relatedTags ? { relatedTags: relatedTags.map((t) => this.#tagJson(pkg, t, digest)) } : {}),
    };
  }

  #dockerMetadata(pkg: PackageRef, manifest: Manifest) {
    const image = `${pkg.repo.location}-docker.pkg.dev/${pkg.path}`;
    return { name: `${image}@${manifest.digest}`, mediaType: manifest.mediaType, imageSizeBytes: String(manifest.size) };
  }

  /** Digest -> visible tags pointing at it. */
  async #tagsByDigest(pkg: PackageRef): Promise<Map<string, string[]>> {
    const byDigest = new Map<string, string[]>();
    for (const tag of (await this.#visibleTags(pkg)).sort()) {
      const manifest = await this.#head(pkg.path, tag);
      if (manifest) byDigest.set(manifest.digest, [...(byDigest.get(manifest.digest) ?? []), tag]);
    }
    return byDigest;
  }

  async #existingVersion(pkg: PackageRef, version: unknown): Promise<string> {
    const prefix = `${pkg.name}/versions/`;
    if (typeof version !== 'string' || !version.startsWith(prefix)) {
      throw new ApiError(400, `Invalid version "${String(version)}": expected ${prefix}sha256:<hex>`);
    }
    const digest = decodeURIComponent(version.slice(prefix.length));
    if (!DIGEST.test(digest) || !(await this.#head(pkg.path, digest))) throw notFound(version);
    return digest;
  }

  #seenAt(digest: string): string {
    if (!this.#seen.has(digest)) this.#seen.set(digest, new Date().toISOString());
    return this.#seen.get(digest)!;
  }

  #hidden(path: string): Set<string> {
    let set = this.#deleted.get(path);
    if (!set) this.#deleted.set(path, (set = new Set()));
    return set;
  }

  async #visibleTags(pkg: PackageRef): Promise<string[]> {
    const hidden = this.#deleted.get(pkg.path);
    return (await this.#registryTags(pkg.path)).filter((t) => !hidden?.has(t));
  }

  async #tagged(pkg: PackageRef, tag: string): Promise<Manifest | undefined> {
    if (this.#deleted.get(pkg.path)?.has(tag)) return undefined;
    return this.#head(pkg.path, tag);
  }

  // ---- the local registry ----

  async #head(path: string, reference: string): Promise<Manifest | undefined> {
    const res = await fetch(`${this.#registry}/v2/${path}/manifests/${reference}`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_TYPES.join(', ') },
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`registry HEAD ${path}:${reference}: ${res.status}`);
    const digest = res.headers.get('docker-content-digest') ?? '';
    this.#seenAt(digest);
    return { digest, mediaType: res.headers.get('content-type') ?? '', size: Number(res.headers.get('content-length') ?? 0) };
  }

  /** A tag move in Distribution: the manifest by digest, PUT again under the tag. No layer moves. */
  async #pointTag(pkg: PackageRef, tag: string, digest: string): Promise<void> {
    const get = await fetch(`${this.#registry}/v2/${pkg.path}/manifests/${digest}`, { headers: { accept: MANIFEST_TYPES.join(', ') } });
    if (!get.ok) throw new Error(`registry GET ${pkg.path}@${digest}: ${get.status}`);
    const put = await fetch(`${this.#registry}/v2/${pkg.path}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': get.headers.get('content-type') ?? MANIFEST_TYPES[1]! },
      body: Buffer.from(await get.arrayBuffer()),
    });
    if (put.status !== 201) throw new Error(`registry PUT ${pkg.path}:${tag}: ${put.status} ${await put.text()}`);
    this.#deleted.get(pkg.path)?.delete(tag);
  }

  async #registryTags(path: string): Promise<string[]> {
    const res = await fetch(`${this.#registry}/v2/${path}/tags/list`);
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`registry tags/list ${path}: ${res.status}`);
    return ((await res.json()) as { tags?: string[] | null }).tags ?? [];
  }

  async #catalog(): Promise<string[]> {
    const names: string[] = [];
    for (let next: string | undefined = '/v2/_catalog?n=1000'; next; ) {
      const res: Response = await fetch(`${this.#registry}${next}`);
      if (!res.ok) throw new Error(`registry _catalog: ${res.status}`);
      names.push(...(((await res.json()) as { repositories?: string[] }).repositories ?? []));
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    return names;
  }

  // ---- Docker registry API (LOCATION-docker.pkg.dev) ----

  async docker(req: IncomingMessage, res: ServerResponse, selfHost: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    const path = /^\/v2\/(.+)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1];
    if (path && !this.#repositoryOfPath(path)) {
      return dockerError(res, 404, 'NAME_UNKNOWN', `Repository "${path.split('/').slice(0, 2).join('/')}" not found`);
    }
    if (manifest && (req.method === 'GET' || req.method === 'HEAD')) {
      const [, name = '', reference = ''] = manifest;
      if (this.#deleted.get(name)?.has(reference)) return dockerError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
      const found = await this.#head(name, reference);
      // GAR answers 404 when the client does not accept the manifest's media type (no conversion, no 406).
      if (found && !accepts(req.headers.accept, found.mediaType)) {
        return dockerError(res, 404, 'MANIFEST_UNKNOWN', `Failed to fetch "${reference}": the manifest is ${found.mediaType}, which the request does not accept`);
      }
    }
    if (url.pathname.endsWith('/tags/list') && req.method === 'GET' && path) {
      const hidden = this.#deleted.get(path);
      const tags = (await this.#registryTags(path)).filter((t) => !hidden?.has(t));
      return sendJson(res, 200, { name: path, tags });
    }
    const status = await proxy(req, res, this.#registry, selfHost);
    if (manifest && req.method === 'PUT' && status === 201) this.#deleted.get(manifest[1]!)?.delete(manifest[2]!);
  }

  #repositoryOfPath(path: string): EmulatedRepository | undefined {
    return [...this.#repositories.values()].find((r) => path.startsWith(`${registryPrefix(r)}/`) && r.format === 'DOCKER');
  }
}

function repositoryResource(repo: EmulatedRepository): string {
  return `projects/${repo.project}/locations/${repo.location}/repositories/${repo.repository}`;
}

/** `project/repository` as it appears in Docker paths (domain-scoped `example.com:p` is written `example.com/p`). */
function registryPrefix(repo: EmulatedRepository): string {
  return `${repo.project.replace(':', '/')}/${repo.repository}`;
}

/** Google's list paging: `pageSize` (default 100, max 1000) and an opaque `pageToken`. */
function page(field: string, items: unknown[], q: URLSearchParams): Record<string, unknown> {
  const size = Math.min(Number(q.get('pageSize')) || DEFAULT_PAGE_SIZE, 1000);
  const token = q.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new ApiError(400, `Invalid page token "${token}"`);
  const end = start + size;
  return {
    ...(items.length ? { [field]: items.slice(start, end) } : {}),
    ...(end < items.length ? { nextPageToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}

/** The tag filters the API documents: `name="..."` or `version="..."`, `*` as a wildcard. */
function tagFilter(filter: string | null): (tag: { name: string; version: string }) => boolean {
  if (!filter) return () => true;
  const m = /^\s*(name|version)\s*=\s*"([^"]*)"\s*$/.exec(filter);
  if (!m) throw new ApiError(400, `Invalid filter "${filter}": the emulator supports name="..." and version="..."`);
  const pattern = new RegExp(`^${m[2]!.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  const field = m[1] as 'name' | 'version';
  return (tag) => pattern.test(tag[field]);
}

function accepts(header: string | undefined, mediaType: string): boolean {
  // Distribution's default for a client that sends no Accept is the Docker schema 2 manifest.
  const accepted = (header ?? 'application/vnd.docker.distribution.manifest.v2+json').split(',').map((t) => t.split(';')[0]!.trim());
  return accepted.includes(mediaType) || accepted.includes('*/*');
}

function proxy(req: IncomingMessage, res: ServerResponse, registry: string, selfHost: string): Promise<number> {
  // The registry builds upload Locations from the Host header, so they point back at the emulator.
  const target = new URL(req.url ?? '/', registry);
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: selfHost } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => resolve(answer.statusCode ?? 502));
    });
    upstream.on('error', reject);
    req.pipe(upstream);
  });
}

function dockerError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, status, { errors: [{ code, message }] });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(body: string): Record<string, unknown> {
  if (!body) return {};
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new ApiError(400, 'Invalid JSON payload received.');
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Pushes a tiny one-layer OCI image straight to the backing registry (as `docker push` to GAR would) and returns
 * its digest; `seed` makes the content, and so the digest, differ.
 */
export async function pushTinyImage(registryHost: string, path: string, tag: string, seed: string): Promise<string> {
  const content = Buffer.from(`rollgate gar fixture ${seed}\n`);
  const diffId = `sha256:${createHash('sha256').update(content).digest('hex')}`;
  const { digest } = await pushOneLayerImage(registryHost, path, tag, { layer: gzipSync(content), diffId, config: { config: { Labels: { seed } } } });
  return digest;
}
