import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  RegistryError,
  distributionErrorCode
} from "./chunk-Y3S6HAY2.js";
import {
  DEFAULT_RETRY,
  backoffDelay,
  connectionErrorCode,
  isRetryableStatus,
  parseRetryAfter,
  sleep
} from "./chunk-YGQTKYOF.js";
import {
  silentLogger
} from "./chunk-RPF3FRJ4.js";
import {
  isValidTag,
  parseImageRef,
  repositoryOf
} from "./chunk-B4ZKNYEW.js";

// src/registry/endpoint.ts
function parseRepository(repository) {
  let ref = parseImageRef(repository);
  if (ref.tag || ref.digest)
    throw new Error(`repository "${repository}" must not carry a tag or digest (expected ${repositoryOf(ref)})`);
  return { host: ref.registry, path: ref.path };
}
function hostnameOf(host) {
  let bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1];
  let colon = host.lastIndexOf(":");
  return colon > 0 && host.indexOf(":") === colon ? host.slice(0, colon) : host;
}
function isLoopback(host) {
  let name = hostnameOf(host).toLowerCase();
  return name === "localhost" || name === "::1" || /^127(?:\.\d{1,3}){3}$/.test(name);
}
var DOCKER_HUB_API = "https://registry-1.docker.io";
function endpointFor(host, registries = {}) {
  let settings = registries[host], insecure = isLoopback(host) || settings?.insecure === !0;
  if (settings?.endpoint) {
    let url = new URL(settings.endpoint);
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new Error(`registries.${host}.endpoint must be an http(s) URL, got ${settings.endpoint}`);
    return { baseUrl: url.href.replace(/\/+$/, ""), verifyTls: !insecure };
  }
  return host === "docker.io" ? { baseUrl: DOCKER_HUB_API, verifyTls: !0 } : { baseUrl: `${insecure ? "http" : "https"}://${host}`, verifyTls: !insecure };
}

// src/registry/oci-client.ts
import { Readable as Readable2, pipeline } from "node:stream";

// src/registry/auth.ts
function parseChallenge(header) {
  if (!header) return;
  let match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return;
  let scheme = match[1].toLowerCase();
  if (scheme === "basic") return { scheme: "basic" };
  if (scheme !== "bearer") return;
  let params = {}, param = /\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
  for (let m = param.exec(match[2]); m; m = param.exec(match[2]))
    params[m[1].toLowerCase()] = m[2] !== void 0 ? m[2].replace(/\\(.)/g, "$1") : m[3];
  if (params.realm)
    return { scheme: "bearer", realm: params.realm, service: params.service, scope: params.scope };
}
function basicAuthorization(username, password) {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}
function repositoryScope(path) {
  return `repository:${path}:pull,push`;
}
var DEFAULT_TOKEN_SECONDS = 60, RENEW_EARLY_MS = 5e3, CLIENT_ID = "rollgate", AuthError = class extends Error {
  name = "AuthError";
}, Authenticator = class {
  #options;
  #now;
  #challenges = /* @__PURE__ */ new Map();
  #tokens = /* @__PURE__ */ new Map();
  #credentials = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#options = options, this.#now = options.now ?? Date.now;
  }
  /** The Authorization header for a request to `host` on `scope`, when the host is known to want one. */
  async authorization(host, scope) {
    let challenge = this.#challenges.get(host);
    if (!challenge) return;
    let found = await this.credentialsFor(host);
    return challenge.scheme === "basic" ? found?.credentials.kind === "basic" ? basicAuthorization(found.credentials.username, found.credentials.password) : void 0 : `Bearer ${await this.#token(host, challenge, scope, found)}`;
  }
  /**
   * Learns from a 401. True when a second attempt can differ from the first: a scheme we had not answered yet,
   * or a cached token the registry no longer accepts.
   */
  async unauthorized(host, scope, wwwAuthenticate, sent) {
    let challenge = parseChallenge(wwwAuthenticate);
    return challenge ? (this.#challenges.set(host, challenge), challenge.scheme === "basic" ? sent === void 0 && (await this.credentialsFor(host))?.credentials.kind === "basic" : (sent?.startsWith("Bearer ") && this.#tokens.delete(`${host} ${scope}`), !0)) : !1;
  }
  /** Where this host's credentials come from (`docker-credential-gcloud`, `given`), for error messages. */
  async sourceOf(host) {
    return (await this.credentialsFor(host).catch(() => {
    }))?.source;
  }
  credentialsFor(host) {
    let found = this.#credentials.get(host);
    if (!found) {
      let given = this.#options.credentials?.[host];
      found = given ? Promise.resolve({ credentials: given, source: "given credentials" }) : this.#options.store.lookup(host), this.#credentials.set(host, found);
    }
    return found;
  }
  async #token(host, challenge, scope, found) {
    let key = `${host} ${scope}`, cached = this.#tokens.get(key);
    if (cached) {
      let token = await cached.catch(() => {
      });
      if (token && token.expiresAt > this.#now()) return token.value;
    }
    let fresh = this.#fetchToken(host, challenge, scope, found);
    return this.#tokens.set(key, fresh), fresh.catch(() => this.#tokens.delete(key)), (await fresh).value;
  }
  async #fetchToken(host, challenge, scope, found) {
    let res = await this.#requestToken(challenge, scope, found?.credentials);
    (res.status === 401 || res.status === 403) && challenge.scope && challenge.scope !== scope && (res = await this.#requestToken(challenge, challenge.scope, found?.credentials));
    let realmHost = new URL(challenge.realm).host;
    if (!res.ok) {
      let who = found ? ` with ${found.source}` : " anonymously";
      throw new AuthError(`registry ${host}: token from ${realmHost}${who}: ${res.status} ${res.statusText}`.trimEnd());
    }
    let body = await res.json().catch(() => ({})), value = typeof body.token == "string" && body.token ? body.token : body.access_token;
    if (typeof value != "string" || !value) throw new AuthError(`registry ${host}: token from ${realmHost} holds no token`);
    let seconds = typeof body.expires_in == "number" && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS, issued = typeof body.issued_at == "string" ? Date.parse(body.issued_at) : Number.NaN, start = Number.isNaN(issued) ? this.#now() : Math.min(issued, this.#now());
    return { value, expiresAt: start + seconds * 1e3 - RENEW_EARLY_MS };
  }
  #requestToken(challenge, scope, credentials) {
    let params = new URLSearchParams();
    if (challenge.service && params.set("service", challenge.service), params.set("scope", scope), credentials?.kind === "identity-token")
      return params.set("grant_type", "refresh_token"), params.set("refresh_token", credentials.token), params.set("client_id", CLIENT_ID), this.#options.fetch(challenge.realm, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: params.toString()
      });
    let url = new URL(challenge.realm);
    for (let [k, v] of params) url.searchParams.set(k, v);
    let headers = credentials ? { authorization: basicAuthorization(credentials.username, credentials.password) } : {};
    return this.#options.fetch(url.href, { method: "GET", headers });
  }
};

// src/registry/digest.ts
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
var DIGEST = /^(sha256|sha512):([a-f0-9]+)$/, HEX_LENGTH = { sha256: 64, sha512: 128 };
function isDigest(reference) {
  let m = DIGEST.exec(reference);
  return m !== null && m[2].length === HEX_LENGTH[m[1]];
}
function algorithmOf(digest) {
  let m = DIGEST.exec(digest);
  if (!m || m[2].length !== HEX_LENGTH[m[1]]) throw new Error(`not a digest: ${digest}`);
  return m[1];
}
function digestOf(bytes, like) {
  let algorithm = like?.startsWith("sha512:") ? "sha512" : "sha256";
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}
function verifyingStream(digest, what) {
  let hash = createHash(algorithmOf(digest));
  return new Transform({
    transform(chunk, _encoding, done) {
      hash.update(chunk), done(null, chunk);
    },
    flush(done) {
      let actual = `${algorithmOf(digest)}:${hash.digest("hex")}`;
      done(actual === digest ? null : new Error(`${what}: content has digest ${actual}, expected ${digest}`));
    }
  });
}

// src/registry/docker-config.ts
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
var DOCKER_HUB_KEY = "https://index.docker.io/v1/", HELPER_USERNAME_FOR_IDENTITY_TOKEN = "<token>";
function authKeyHost(key) {
  let host = key.replace(/^https?:\/\//, "").split("/")[0].toLowerCase();
  return host === "index.docker.io" || host === "registry-1.docker.io" ? "docker.io" : host;
}
function credentialsOfEntry(entry, where) {
  if (entry.identitytoken) return { kind: "identity-token", token: entry.identitytoken };
  if (entry.auth) {
    let decoded = Buffer.from(entry.auth, "base64").toString("utf8"), colon = decoded.indexOf(":");
    if (colon <= 0) throw new Error(`${where}: "auth" is not base64 of "username:password"`);
    return { kind: "basic", username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { kind: "basic", username: entry.username, password: entry.password };
}
function credentialsOfHelperOutput(stdout, helper) {
  let parsed;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(`docker-credential-${helper} printed something that is not JSON`);
  }
  if (typeof parsed.Secret != "string" || parsed.Secret === "") throw new Error(`docker-credential-${helper} returned no Secret`);
  if (parsed.Username === HELPER_USERNAME_FOR_IDENTITY_TOKEN) return { kind: "identity-token", token: parsed.Secret };
  if (typeof parsed.Username != "string") throw new Error(`docker-credential-${helper} returned no Username`);
  return { kind: "basic", username: parsed.Username, password: parsed.Secret };
}
var DockerCredentialStore = class {
  #file;
  #env;
  #helperTimeoutMs;
  #config;
  #found = /* @__PURE__ */ new Map();
  constructor(options = {}) {
    this.#env = options.env ?? process.env;
    let dir = options.configDir ?? this.#env.DOCKER_CONFIG ?? join(homedir(), ".docker");
    this.#file = join(dir, "config.json"), this.#helperTimeoutMs = options.helperTimeoutMs ?? 3e4;
  }
  /**
   * Credentials for `host`: its credHelper, else its `auths` entry, else the credsStore. Docker itself skips
   * `auths` when a credsStore is set; reading the entry first is kinder to hand-written files.
   */
  lookup(host) {
    let key = authKeyHost(host), found = this.#found.get(key);
    return found || (found = this.#lookup(key), this.#found.set(key, found)), found;
  }
  async #lookup(host) {
    let config = await this.#read(), helper = Object.entries(config.credHelpers ?? {}).find(([key]) => authKeyHost(key) === host)?.[1];
    if (helper) return this.#fromHelper(helper, host);
    for (let [key, entry] of Object.entries(config.auths ?? {})) {
      if (authKeyHost(key) !== host) continue;
      let credentials = credentialsOfEntry(entry, `${this.#file}: auths["${key}"]`);
      if (credentials) return { credentials, source: `${this.#file} auths` };
    }
    if (config.credsStore) return this.#fromHelper(config.credsStore, host);
  }
  #read() {
    return this.#config ??= readFile(this.#file, "utf8").then(
      (text) => {
        try {
          return JSON.parse(text);
        } catch (err) {
          throw new Error(`${this.#file}: not valid JSON (${err.message})`);
        }
      },
      (err) => {
        if (err.code === "ENOENT") return {};
        throw new Error(`${this.#file}: ${err.message}`);
      }
    ), this.#config;
  }
  async #fromHelper(helper, host) {
    let program = `docker-credential-${helper}`, serverUrl = host === "docker.io" ? DOCKER_HUB_KEY : host, { code, stdout, stderr } = await runHelper(program, serverUrl, this.#env, this.#helperTimeoutMs);
    if (!(code !== 0 && /credentials not found/i.test(stdout + stderr))) {
      if (code !== 0) {
        let reason = (stderr.trim() || stdout.trim()).split(`
`)[0]?.slice(0, 200) ?? "";
        throw new Error(`${program} get for ${host} failed (exit ${code})${reason ? `: ${reason}` : ""}`);
      }
      return { credentials: credentialsOfHelperOutput(stdout, helper), source: program };
    }
  }
};
function runHelper(program, input, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    let child = spawn(program, ["get"], { env, stdio: ["pipe", "pipe", "pipe"], timeout: timeoutMs }), stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => stdout += d), child.stderr.setEncoding("utf8").on("data", (d) => stderr += d), child.on(
      "error",
      (err) => reject(new Error(err.code === "ENOENT" ? `credential helper ${program} is not on PATH` : `${program}: ${err.message}`))
    ), child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })), child.stdin.on("error", () => {
    }), child.stdin.end(input);
  });
}

// src/registry/insecure-fetch.ts
import { request } from "node:https";
import { Readable } from "node:stream";
var MAX_REDIRECTS = 5, NULL_BODY_STATUSES = /* @__PURE__ */ new Set([101, 204, 205, 304]);
async function insecureFetch(input, init = {}, redirects = 0) {
  let url = new URL(input), method = (init.method ?? "GET").toUpperCase(), headers = new Headers(init.headers), body = await bodyBytes(init.body), res = await new Promise((resolve, reject) => {
    let req = request(url, { method, headers: Object.fromEntries(headers), rejectUnauthorized: !1, signal: init.signal ?? void 0 }, resolve);
    req.on("error", reject), req.end(body);
  }), status = res.statusCode ?? 0, location = res.headers.location;
  if (location && [301, 302, 303, 307, 308].includes(status) && init.redirect !== "manual") {
    if (res.resume(), redirects >= MAX_REDIRECTS) throw new Error(`too many redirects from ${url.host}`);
    let next = new URL(location, url);
    next.origin !== url.origin && headers.delete("authorization");
    let keepsMethod = status === 307 || status === 308, nextInit = { ...init, headers, method: keepsMethod ? method : method === "HEAD" ? "HEAD" : "GET", body: keepsMethod ? body : void 0 };
    return next.protocol === "https:" ? insecureFetch(next, nextInit, redirects + 1) : fetch(next, nextInit);
  }
  let responseHeaders = new Headers();
  for (let [name, value] of Object.entries(res.headers))
    for (let v of Array.isArray(value) ? value : value === void 0 ? [] : [value]) responseHeaders.append(name, v);
  let hasBody = method !== "HEAD" && !NULL_BODY_STATUSES.has(status);
  return hasBody || res.resume(), new Response(hasBody ? Readable.toWeb(res) : null, {
    status,
    statusText: res.statusMessage ?? "",
    headers: responseHeaders
  });
}
async function bodyBytes(body) {
  if (body != null)
    return typeof body == "string" ? Buffer.from(body) : body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : body instanceof ArrayBuffer ? Buffer.from(body) : Buffer.from(await new Response(body).arrayBuffer());
}

// src/registry/types.ts
var MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json"
];

// src/registry/oci-client.ts
var ACCEPT_MANIFESTS = MANIFEST_MEDIA_TYPES.join(", "), DEFAULT_TIMEOUT_MS = 6e4, MANIFEST_CACHE_SIZE = 64, IDEMPOTENT = /* @__PURE__ */ new Set(["GET", "HEAD", "PUT", "DELETE"]), NULL_BODY_STATUSES2 = /* @__PURE__ */ new Set([204, 205, 304]), OciRegistry = class {
  #registries;
  #fetch;
  #retry;
  #timeoutMs;
  #tagPageSize;
  #log;
  #auth;
  // Manifests are content-addressed, so a copy read once by digest stays right forever.
  #manifests = /* @__PURE__ */ new Map();
  #attempts = /* @__PURE__ */ new WeakMap();
  #requests = 0;
  constructor(options = {}) {
    this.#registries = options.registries ?? {}, this.#fetch = options.fetch ?? ((url, init) => fetch(url, init)), this.#retry = { ...DEFAULT_RETRY, ...options.retry }, this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS, this.#tagPageSize = options.tagPageSize, this.#log = options.logger ?? silentLogger, this.#auth = new Authenticator({
      credentials: options.credentials,
      store: new DockerCredentialStore({ configDir: options.dockerConfigDir, env: options.env }),
      fetch: (url, init) => this.#send(new URL(url).host, `${init.method ?? "GET"} token`, url, init, verifyTlsFor(url, this.#registries))
    });
  }
  /** HTTP requests sent so far, token requests and retries included. */
  get requestCount() {
    return this.#requests;
  }
  async resolve(repository, reference) {
    let repo = parseRepository(repository), res = await this.#call(repo, { method: "HEAD", path: `manifests/${reference}`, headers: { accept: ACCEPT_MANIFESTS } });
    if (res.status === 404) return;
    if (res.status !== 200) throw await this.#failure(repo, `HEAD ${repo.path}/manifests/${reference}`, res);
    let mediaType = contentType(res), size = Number(res.headers.get("content-length") ?? Number.NaN), digest = res.headers.get("docker-content-digest") ?? (isDigest(reference) ? reference : void 0);
    if (digest && Number.isFinite(size)) return { digest, mediaType, size };
    let manifest = await this.getManifest(repository, reference);
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
  }
  async getManifest(repository, reference) {
    let repo = parseRepository(repository), cached = this.#manifests.get(`${repository}@${reference}`);
    if (cached) return cached;
    let request2 = `GET ${repo.path}/manifests/${reference}`, res = await this.#call(repo, { method: "GET", path: `manifests/${reference}`, headers: { accept: ACCEPT_MANIFESTS } });
    if (res.status !== 200) throw await this.#failure(repo, request2, res);
    let bytes = Buffer.from(await res.arrayBuffer()), asked = isDigest(reference) ? reference : void 0, claimed = res.headers.get("docker-content-digest") ?? void 0, expected = asked ?? claimed, digest = digestOf(bytes, expected);
    if (expected && digest !== expected) {
      let outcome = asked ? `content has digest ${digest}, not the digest asked for` : `content has digest ${digest}, the registry says ${claimed}`;
      throw new RegistryError({ host: repo.host, request: request2, outcome });
    }
    let manifest = { digest, mediaType: contentType(res) || declaredMediaType(bytes), bytes };
    return this.#remember(`${repository}@${digest}`, manifest), manifest;
  }
  async moveTag(repository, tag, digest) {
    if (!isValidTag(tag)) throw new Error(`not a valid tag: "${tag}"`);
    if (!isDigest(digest)) throw new Error(`not a digest: "${digest}"`);
    let repo = parseRepository(repository), manifest = await this.getManifest(repository, digest);
    await this.#putManifest(repo, tag, manifest);
  }
  async revertTag(repository, tag, expected, previous) {
    let current = (await this.resolve(repository, tag))?.digest;
    if (current !== expected) return { status: "moved-by-someone-else", current };
    if (previous === void 0)
      return {
        status: "not-removed",
        current,
        reason: `the Distribution API deletes manifests by digest only, which would also remove every other tag on ${current}; the tag "${tag}" is left on it`
      };
    if (previous !== current) {
      let repo = parseRepository(repository);
      await this.#putManifest(repo, tag, await this.getManifest(repository, previous));
    }
    let confirmed = (await this.resolve(repository, tag))?.digest;
    return confirmed === previous ? { status: "restored", digest: previous } : { status: "moved-by-someone-else", current: confirmed };
  }
  async listTags(repository) {
    let repo = parseRepository(repository), tags = [], path = this.#tagPageSize ? `tags/list?n=${this.#tagPageSize}` : "tags/list";
    for (; path; ) {
      let res = await this.#call(repo, { method: "GET", path, label: "tags/list" });
      if (res.status === 404 && tags.length === 0)
        return await res.body?.cancel(), [];
      if (res.status !== 200) throw await this.#failure(repo, `GET ${repo.path}/tags/list`, res);
      let page = await res.json();
      tags.push(...page.tags ?? []);
      let next = nextLink(res.headers.get("link"));
      path = next ? new URL(next, res.url || this.#url(repo, "tags/list")).href : void 0;
    }
    return tags;
  }
  async getBlob(repository, digest) {
    if (!isDigest(digest)) throw new Error(`not a digest: "${digest}"`);
    let repo = parseRepository(repository), res = await this.#call(repo, { method: "GET", path: `blobs/${digest}`, stream: !0 });
    if (res.status !== 200 || !res.body) throw await this.#failure(repo, `GET ${repo.path}/blobs/${digest}`, res);
    let length = res.headers.get("content-length"), body = pipeline(Readable2.fromWeb(res.body), verifyingStream(digest, `blob ${digest}`), () => {
    });
    return { size: length === null ? void 0 : Number(length), body };
  }
  async #putManifest(repo, tag, manifest) {
    let request2 = `PUT ${repo.path}/manifests/${tag}`, res = await this.#call(repo, {
      method: "PUT",
      path: `manifests/${tag}`,
      headers: { "content-type": manifest.mediaType },
      body: manifest.bytes
    });
    if (res.status !== 201 && res.status !== 200) throw await this.#failure(repo, request2, res);
    await res.body?.cancel();
    let stored = res.headers.get("docker-content-digest");
    if (stored && stored !== manifest.digest)
      throw new RegistryError({ host: repo.host, request: request2, outcome: `stored as ${stored}, expected ${manifest.digest}` });
  }
  rememberManifest(repository, manifest) {
    digestOf(manifest.bytes, manifest.digest) === manifest.digest && this.#remember(`${repository}@${manifest.digest}`, manifest);
  }
  #remember(key, manifest) {
    this.#manifests.size >= MANIFEST_CACHE_SIZE && this.#manifests.delete(this.#manifests.keys().next().value), this.#manifests.set(key, manifest);
  }
  #url(repo, path) {
    return `${this.#endpoint(repo.host).baseUrl}/v2/${repo.path}/${path}`;
  }
  #endpoint(host) {
    return endpointFor(host, this.#registries);
  }
  /**
   * One API call: authenticates (answering one 401 with what its challenge asks), retries transient failures,
   * and returns the final answer whatever its status.
   */
  async #call(repo, call) {
    let endpoint = this.#endpoint(repo.host), url = /^https?:/.test(call.path) ? call.path : `${endpoint.baseUrl}/v2/${repo.path}/${call.path}`, scope = repositoryScope(repo.path), request2 = `${call.method} ${repo.path}/${call.label ?? call.path}`, reauthenticated = !1;
    for (; ; ) {
      let authorization = await this.#auth.authorization(repo.host, scope), headers = { ...call.headers, ...authorization ? { authorization } : {} }, res = await this.#send(repo.host, request2, url, { method: call.method, headers, body: call.body }, endpoint.verifyTls, call.stream);
      if (res.status !== 401 || reauthenticated || (reauthenticated = !0, !await this.#auth.unauthorized(repo.host, scope, res.headers.get("www-authenticate"), authorization))) return res;
      await res.body?.cancel();
    }
  }
  /** Sends one request with bounded retries on 429, 5xx and dropped connections. */
  async #send(host, request2, url, init, verifyTls, stream = !1) {
    let transport = verifyTls || url.startsWith("http:") ? this.#fetch : insecureFetch, method = init.method ?? "GET";
    for (let attempt = 1; ; attempt++) {
      let last = attempt >= this.#retry.attempts, res, controller = new AbortController(), timer = setTimeout(() => controller.abort(new DOMException("timed out", "TimeoutError")), this.#timeoutMs);
      try {
        this.#requests++, res = await transport(url, { ...init, signal: controller.signal }), stream || (res = await buffered(res));
      } catch (err) {
        let code = connectionErrorCode(err);
        if (!(code !== void 0 && (IDEMPOTENT.has(method) || code === "ECONNREFUSED")) || last)
          throw new RegistryError({ host, request: request2, outcome: describeConnectionError(err, code), attempts: attempt, hint: tlsHint(err, host) });
        let wait2 = backoffDelay(this.#retry, attempt);
        this.#log.debug(`registry ${host}: ${request2}: ${code}, retrying in ${wait2} ms (attempt ${attempt} of ${this.#retry.attempts})`), await (this.#retry.sleep ?? sleep)(wait2);
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (!isRetryableStatus(res.status) || last)
        return this.#attempts.set(res, attempt), res;
      await res.body?.cancel();
      let wait = backoffDelay(this.#retry, attempt, parseRetryAfter(res.headers.get("retry-after")));
      this.#log.debug(`registry ${host}: ${request2}: ${res.status}, retrying in ${wait} ms (attempt ${attempt} of ${this.#retry.attempts})`), await (this.#retry.sleep ?? sleep)(wait);
    }
  }
  async #failure(repo, request2, res) {
    let body = await res.text().catch(() => ""), attempts = this.#attempts.get(res), source = res.status === 401 ? await this.#auth.sourceOf(repo.host) : void 0, hint = res.status === 401 ? source ? `credentials from ${source} were refused` : "no credentials found for this host" : void 0;
    return new RegistryError({
      host: repo.host,
      request: request2,
      outcome: `${res.status} ${res.statusText}`.trimEnd(),
      status: res.status,
      code: distributionErrorCode(body),
      attempts,
      hint
    });
  }
};
async function buffered(res) {
  let body = res.body ? await res.arrayBuffer() : null, copy = new Response(NULL_BODY_STATUSES2.has(res.status) ? null : body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers
  });
  return Object.defineProperty(copy, "url", { value: res.url }), copy;
}
function declaredMediaType(bytes) {
  try {
    let { mediaType } = JSON.parse(bytes.toString("utf8"));
    return typeof mediaType == "string" ? mediaType : "";
  } catch {
    return "";
  }
}
function contentType(res) {
  return (res.headers.get("content-type") ?? "").split(";")[0].trim();
}
function verifyTlsFor(url, registries) {
  return endpointFor(new URL(url).host, registries).verifyTls;
}
function nextLink(header) {
  if (header)
    for (let part of header.split(/,(?=\s*<)/)) {
      let m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
      if (m && /\brel\s*=\s*"?next"?/i.test(m[2])) return m[1];
    }
}
function describeConnectionError(err, code) {
  let cause = err.cause;
  return code === "ETIMEDOUT" ? "timed out" : code ? `connection failed (${code})` : `connection failed (${cause?.code ?? cause?.message ?? err.message})`;
}
function tlsHint(err, host) {
  let text = `${err.message} ${err.cause?.message ?? ""}`;
  return /certificate|self.signed|SSL|TLS/i.test(text) ? `if this registry is trusted without TLS verification, list it under registries.${host}.insecure` : void 0;
}

// src/registry/factory.ts
function isArtifactRegistryHost(host) {
  return /^[a-z0-9-]+-docker\.pkg\.dev$/.test(host.toLowerCase());
}
async function registryFor(repository, config, options = {}) {
  let { host } = parseRepository(repository), logger = options.logger ?? silentLogger, oci = options.oci ?? new OciRegistry({ ...options, logger, registries: config.registries });
  if (!isArtifactRegistryHost(host)) return oci;
  let { createGarRegistry } = await import("./gar-B7FBVVGJ.js");
  return createGarRegistry({ settings: config.registries[host], logger, oci, env: options.env });
}

export {
  parseRepository,
  endpointFor,
  OciRegistry,
  isArtifactRegistryHost,
  registryFor
};
