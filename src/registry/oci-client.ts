// The Registry seam over the OCI Distribution API, for any registry: tags move by manifest GET + PUT (no layer
// moves), reverts are compare-and-swap, and every call retries what is transient and ends in one readable line.
import { Readable, pipeline } from 'node:stream';
import type { RegistrySettings } from '../config/types.ts';
import { isValidTag } from '../image/ref.ts';
import { silentLogger, type Logger } from '../log.ts';
import { Authenticator, repositoryScope } from './auth.ts';
import { digestOf, isDigest, verifyingStream } from './digest.ts';
import { DockerCredentialStore, type Credentials } from './docker-config.ts';
import { endpointFor, parseRepository, type Endpoint, type RepositoryName } from './endpoint.ts';
import { insecureFetch } from './insecure-fetch.ts';
import { RegistryError, distributionErrorCode } from './registry-error.ts';
import { DEFAULT_RETRY, backoffDelay, connectionErrorCode, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from './retry.ts';
import {
  MANIFEST_MEDIA_TYPES,
  type BlobContent,
  type Manifest,
  type ManifestDescriptor,
  type Registry,
  type RevertResult,
} from './types.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface OciRegistryOptions {
  /** Config.registries: insecure hosts and endpoint overrides, keyed by host as written in references. */
  registries?: Record<string, RegistrySettings>;
  /** Credentials given explicitly, by host; they win over the Docker config. */
  credentials?: Record<string, Credentials>;
  /** Folder of the Docker config.json; default $DOCKER_CONFIG, else ~/.docker. */
  dockerConfigDir?: string;
  /** Environment for Docker credential helpers; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Transport for endpoints whose TLS is verified (and plain http); default the global fetch. */
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, until the whole answer is in (for blobs: until the headers are). */
  timeoutMs?: number;
  /** Ask for tag lists in pages of this size (`n`); default: the registry's own page size. */
  tagPageSize?: number;
  logger?: Logger;
}

const ACCEPT_MANIFESTS = MANIFEST_MEDIA_TYPES.join(', ');
const DEFAULT_TIMEOUT_MS = 60_000;
const MANIFEST_CACHE_SIZE = 64;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

interface Call {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'POST';
  /** Path under /v2/<repository>/, e.g. `manifests/dev`; or an absolute URL (pagination links). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** How errors and logs name the request when `path` is a URL. */
  label?: string;
  /** Keep the body readable after the headers: no timeout on it (blobs). */
  stream?: boolean;
}

export class OciRegistry implements Registry {
  readonly #registries: Record<string, RegistrySettings>;
  readonly #fetch: FetchLike;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #tagPageSize: number | undefined;
  readonly #log: Logger;
  readonly #auth: Authenticator;
  // Manifests are content-addressed, so a copy read once by digest stays right forever.
  readonly #manifests = new Map<string, Manifest>();
  readonly #attempts = new WeakMap<Response, number>();
  #requests = 0;

  constructor(options: OciRegistryOptions = {}) {
    this.#registries = options.registries ?? {};
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#tagPageSize = options.tagPageSize;
    this.#log = options.logger ?? silentLogger;
    this.#auth = new Authenticator({
      credentials: options.credentials,
      store: new DockerCredentialStore({ configDir: options.dockerConfigDir, env: options.env }),
      fetch: (url, init) => this.#send(new URL(url).host, `${init.method ?? 'GET'} token`, url, init, verifyTlsFor(url, this.#registries)),
    });
  }

  /** HTTP requests sent so far, token requests and retries included. */
  get requestCount(): number {
    return this.#requests;
  }

  async resolve(repository: string, reference: string): Promise<ManifestDescriptor | undefined> {
    const repo = parseRepository(repository);
    const res = await this.#call(repo, { method: 'HEAD', path: `manifests/${reference}`, headers: { accept: ACCEPT_MANIFESTS } });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw await this.#failure(repo, `HEAD ${repo.path}/manifests/${reference}`, res);
    const mediaType = contentType(res);
    const size = Number(res.headers.get('content-length') ?? Number.NaN);
    const digest = res.headers.get('docker-content-digest') ?? (isDigest(reference) ? reference : undefined);
    if (digest && Number.isFinite(size)) return { digest, mediaType, size };
    // Some registries leave Docker-Content-Digest out of HEAD answers: the digest is the hash of the bytes.
    const manifest = await this.getManifest(repository, reference);
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
  }

  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const repo = parseRepository(repository);
    const cached = this.#manifests.get(`${repository}@${reference}`);
    if (cached) return cached;
    const request = `GET ${repo.path}/manifests/${reference}`;
    const res = await this.#call(repo, { method: 'GET', path: `manifests/${reference}`, headers: { accept: ACCEPT_MANIFESTS } });
    if (res.status !== 200) throw await this.#failure(repo, request, res);
    const bytes = Buffer.from(await res.arrayBuffer());
    const asked = isDigest(reference) ? reference : undefined;
    const claimed = res.headers.get('docker-content-digest') ?? undefined;
    const expected = asked ?? claimed;
    const digest = digestOf(bytes, expected);
    if (expected && digest !== expected) {
      const outcome = asked ? `content has digest ${digest}, not the digest asked for` : `content has digest ${digest}, the registry says ${claimed}`;
      throw new RegistryError({ host: repo.host, request, outcome });
    }
    const manifest = { digest, mediaType: contentType(res) || declaredMediaType(bytes), bytes };
    this.#remember(`${repository}@${digest}`, manifest);
    return manifest;
  }

  async moveTag(repository: string, tag: string, digest: string): Promise<void> {
    if (!isValidTag(tag)) throw new Error(`not a valid tag: "${tag}"`);
    if (!isDigest(digest)) throw new Error(`not a digest: "${digest}"`);
    const repo = parseRepository(repository);
    const manifest = await this.getManifest(repository, digest);
    await this.#putManifest(repo, tag, manifest);
  }

  async revertTag(repository: string, tag: string, expected: string, previous: string | undefined): Promise<RevertResult> {
    // Distribution has no conditional PUT: the swap is guarded by this HEAD, one round trip before the write.
    const current = (await this.resolve(repository, tag))?.digest;
    if (current !== expected) return { status: 'moved-by-someone-else', current };
    if (previous === undefined) {
      return {
        status: 'not-removed',
        current,
        reason:
          `the Distribution API deletes manifests by digest only, which would also remove every other tag on ${current}; ` +
          `the tag "${tag}" is left on it`,
      };
    }
    if (previous !== current) {
      const repo = parseRepository(repository);
      await this.#putManifest(repo, tag, await this.getManifest(repository, previous));
    }
    const confirmed = (await this.resolve(repository, tag))?.digest;
    return confirmed === previous ? { status: 'restored', digest: previous } : { status: 'moved-by-someone-else', current: confirmed };
  }

  async listTags(repository: string): Promise<string[]> {
    const repo = parseRepository(repository);
    const tags: string[] = [];
    let path: string | undefined = this.#tagPageSize ? `tags/list?n=${this.#tagPageSize}` : 'tags/list';
    while (path) {
      const res = await this.#call(repo, { method: 'GET', path, label: 'tags/list' });
      if (res.status === 404 && tags.length === 0) {
        await res.body?.cancel();
        return [];
      }
      if (res.status !== 200) throw await this.#failure(repo, `GET ${repo.path}/tags/list`, res);
      const page = (await res.json()) as { tags?: string[] | null };
      tags.push(...(page.tags ?? []));
      const next = nextLink(res.headers.get('link'));
      path = next ? new URL(next, res.url || this.#url(repo, 'tags/list')).href : undefined;
    }
    return tags;
  }

  async getBlob(repository: string, digest: string): Promise<BlobContent> {
    if (!isDigest(digest)) throw new Error(`not a digest: "${digest}"`);
    const repo = parseRepository(repository);
    const res = await this.#call(repo, { method: 'GET', path: `blobs/${digest}`, stream: true });
    if (res.status !== 200 || !res.body) throw await this.#failure(repo, `GET ${repo.path}/blobs/${digest}`, res);
    const length = res.headers.get('content-length');
    const body = pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), verifyingStream(digest, `blob ${digest}`), () => {});
    return { size: length === null ? undefined : Number(length), body };
  }

  async #putManifest(repo: RepositoryName, tag: string, manifest: Manifest): Promise<void> {
    const request = `PUT ${repo.path}/manifests/${tag}`;
    const res = await this.#call(repo, {
      method: 'PUT',
      path: `manifests/${tag}`,
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
    });
    if (res.status !== 201 && res.status !== 200) throw await this.#failure(repo, request, res);
    await res.body?.cancel();
    const stored = res.headers.get('docker-content-digest');
    if (stored && stored !== manifest.digest) {
      throw new RegistryError({ host: repo.host, request, outcome: `stored as ${stored}, expected ${manifest.digest}` });
    }
  }

  rememberManifest(repository: string, manifest: Manifest): void {
    // Only what hashes to its digest is kept: a cached manifest is PUT without another look.
    if (digestOf(manifest.bytes, manifest.digest) !== manifest.digest) return;
    this.#remember(`${repository}@${manifest.digest}`, manifest);
  }

  #remember(key: string, manifest: Manifest): void {
    if (this.#manifests.size >= MANIFEST_CACHE_SIZE) this.#manifests.delete(this.#manifests.keys().next().value!);
    this.#manifests.set(key, manifest);
  }

  #url(repo: RepositoryName, path: string): string {
    return `${this.#endpoint(repo.host).baseUrl}/v2/${repo.path}/${path}`;
  }

  #endpoint(host: string): Endpoint {
    return endpointFor(host, this.#registries);
  }

  /**
   * One API call: authenticates (answering one 401 with what its challenge asks), retries transient failures,
   * and returns the final answer whatever its status.
   */
  async #call(repo: RepositoryName, call: Call): Promise<Response> {
    const endpoint = this.#endpoint(repo.host);
    const url = /^https?:/.test(call.path) ? call.path : `${endpoint.baseUrl}/v2/${repo.path}/${call.path}`;
    const scope = repositoryScope(repo.path);
    const request = `${call.method} ${repo.path}/${call.label ?? call.path}`;
    let reauthenticated = false;
    for (;;) {
      const authorization = await this.#auth.authorization(repo.host, scope);
      const headers: Record<string, string> = { ...call.headers, ...(authorization ? { authorization } : {}) };
      const res = await this.#send(repo.host, request, url, { method: call.method, headers, body: call.body }, endpoint.verifyTls, call.stream);
      if (res.status !== 401 || reauthenticated) return res;
      reauthenticated = true;
      if (!(await this.#auth.unauthorized(repo.host, scope, res.headers.get('www-authenticate'), authorization))) return res;
      await res.body?.cancel();
    }
  }

  /** Sends one request with bounded retries on 429, 5xx and dropped connections. */
  async #send(host: string, request: string, url: string, init: RequestInit, verifyTls: boolean, stream = false): Promise<Response> {
    const transport: FetchLike = verifyTls || url.startsWith('http:') ? this.#fetch : insecureFetch;
    const method = init.method ?? 'GET';
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.#retry.attempts;
      let res: Response;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), this.#timeoutMs);
      try {
        this.#requests++;
        res = await transport(url, { ...init, signal: controller.signal });
        if (!stream) res = await buffered(res);
      } catch (err) {
        const code = connectionErrorCode(err);
        // A POST that may have reached the server is not repeated; a refused connection never did.
        const repeatable = code !== undefined && (IDEMPOTENT.has(method) || code === 'ECONNREFUSED');
        if (!repeatable || last) {
          throw new RegistryError({ host, request, outcome: describeConnectionError(err, code), attempts: attempt, hint: tlsHint(err, host) });
        }
        const wait = backoffDelay(this.#retry, attempt);
        this.#log.debug(`registry ${host}: ${request}: ${code}, retrying in ${wait} ms (attempt ${attempt} of ${this.#retry.attempts})`);
        await (this.#retry.sleep ?? sleep)(wait);
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (!isRetryableStatus(res.status) || last) {
        this.#attempts.set(res, attempt);
        return res;
      }
      await res.body?.cancel();
      const wait = backoffDelay(this.#retry, attempt, parseRetryAfter(res.headers.get('retry-after')));
      this.#log.debug(`registry ${host}: ${request}: ${res.status}, retrying in ${wait} ms (attempt ${attempt} of ${this.#retry.attempts})`);
      await (this.#retry.sleep ?? sleep)(wait);
    }
  }

  async #failure(repo: RepositoryName, request: string, res: Response): Promise<RegistryError> {
    const body = await res.text().catch(() => '');
    const attempts = this.#attempts.get(res);
    const source = res.status === 401 ? await this.#auth.sourceOf(repo.host) : undefined;
    const hint = res.status === 401 ? (source ? `credentials from ${source} were refused` : 'no credentials found for this host') : undefined;
    return new RegistryError({
      host: repo.host,
      request,
      outcome: `${res.status} ${res.statusText}`.trimEnd(),
      status: res.status,
      code: distributionErrorCode(body),
      attempts,
      hint,
    });
  }
}

/** Reads the whole answer inside the attempt, so a connection dropped mid-body is retried like any other. */
async function buffered(res: Response): Promise<Response> {
  const body = res.body ? await res.arrayBuffer() : null;
  const copy = new Response(NULL_BODY_STATUSES.has(res.status) ? null : body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  Object.defineProperty(copy, 'url', { value: res.url });
  return copy;
}

/** The `mediaType` a manifest declares in its JSON, for registries that answer without a Content-Type. */
function declaredMediaType(bytes: Buffer): string {
  try {
    const { mediaType } = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
    return typeof mediaType === 'string' ? mediaType : '';
  } catch {
    return '';
  }
}

function contentType(res: Response): string {
  return (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
}

function verifyTlsFor(url: string, registries: Record<string, RegistrySettings>): boolean {
  return endpointFor(new URL(url).host, registries).verifyTls;
}

/** The `rel="next"` target of a Link header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /\brel\s*=\s*"?next"?/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

function describeConnectionError(err: unknown, code: string | undefined): string {
  const cause = (err as { cause?: { message?: string; code?: string } }).cause;
  if (code === 'ETIMEDOUT') return 'timed out';
  if (code) return `connection failed (${code})`;
  return `connection failed (${cause?.code ?? cause?.message ?? (err as Error).message})`;
}

function tlsHint(err: unknown, host: string): string | undefined {
  const text = `${(err as Error).message} ${(err as { cause?: Error }).cause?.message ?? ''}`;
  return /certificate|self.signed|SSL|TLS/i.test(text) ? `if this registry is trusted without TLS verification, list it under registries.${host}.insecure` : undefined;
}
