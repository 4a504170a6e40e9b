import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
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
  ConflictError,
  describeRef
} from "./chunk-DKP2MMLE.js";
import {
  BlockedError,
  InputError
} from "./chunk-FNCNTWIO.js";

// src/kube/api-error.ts
var KubeApiError = class extends Error {
  name = "KubeApiError";
  /** The HTTP status (0: no answer). */
  status;
  /** metav1.Status reason: `Conflict`, `Invalid`, `Forbidden`, `NotFound`, ... */
  reason;
  /** The fields the Status names (`details.causes[].field`), in the server's notation: `spec.selector`. */
  fields;
  constructor(message, status, reason, fields = []) {
    super(message), this.status = status, this.reason = reason, this.fields = fields;
  }
};
function apiErrorOf(action, status, body) {
  let parsed;
  try {
    let value = JSON.parse(body);
    value && typeof value == "object" && value.kind === "Status" && (parsed = value);
  } catch {
  }
  let reason = parsed?.reason || reasonOf(status), text = (parsed?.message ?? body.split(`
`).find((l) => l.trim()) ?? "").replace(/\s*\n\s*/g, "; ").trim().slice(0, 1e3), hint = status === 409 && /^apply /.test(action) && /conflict/i.test(text) ? " (another field manager owns these fields; forcing conflicts takes them over)" : "", fields = [...new Set((parsed?.details?.causes ?? []).map((c) => c.field).filter((f) => typeof f == "string" && f !== ""))];
  return new KubeApiError(`${action}: ${reason} (${status})${text ? `: ${text}` : ""}${hint}`, status, reason, fields);
}
function reasonOf(status) {
  return {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "Timeout"
  }[status] ?? "Unknown";
}

// src/kube/guard.ts
function checkClusterGuard(environment, inUse) {
  let problems = [];
  if (environment.kubeContext !== void 0 && environment.kubeContext !== inUse.context && problems.push(`expects kubeconfig context "${environment.kubeContext}", but the context in use is "${inUse.context}"`), environment.apiServer !== void 0) {
    let expected = normalizeServerUrl(environment.apiServer), actual = normalizeServerUrl(inUse.server);
    expected !== actual && problems.push(`expects API server ${expected}, but context "${inUse.context}" points at ${actual}`);
  }
  if (problems.length) throw new BlockedError(`cluster guard: environment "${environment.name}" ${problems.join("; and ")}`);
}
function normalizeServerUrl(server) {
  let text = server.trim(), url;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return text.replace(/\/+$/, "");
  }
  let path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

// src/kube/kubeconfig.ts
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { delimiter, isAbsolute, join, relative, resolve } from "node:path";
function kubeconfigPaths(sources) {
  let env = sources.env ?? process.env;
  if (sources.path) return [resolve(sources.path)];
  let list = (env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  return list.length ? list.map((p) => resolve(p)) : [join(sources.home ?? homedir(), ".kube", "config")];
}
function existingKubeconfigs(sources) {
  let paths = kubeconfigPaths(sources), found = paths.filter((p) => existsSync(p));
  if (sources.path && !found.length) throw new InputError({ field: "kubeconfig", message: `${paths[0]} does not exist` });
  if (!found.length) {
    let from = (sources.env ?? process.env).KUBECONFIG ? "KUBECONFIG" : "the default location";
    throw new InputError({ field: "kubeconfig", message: `no kubeconfig found (${from}: ${paths.join(delimiter)})` });
  }
  return found;
}
function chooseContext(choice) {
  return choice.requested || choice.environment || choice.current;
}
async function writeKubeconfigContents(contents, env = process.env) {
  if (!contents.trim()) throw new InputError({ field: "kubeconfig", message: "the kubeconfig contents are empty" });
  let base = env.RUNNER_TEMP || tmpdir(), workspace = env.GITHUB_WORKSPACE;
  if (workspace && isInside(resolve(base), resolve(workspace)))
    throw new InputError({ field: "kubeconfig", message: `the temp folder ${base} is inside the workspace ${workspace}; a kubeconfig written there could end up in a build context` });
  let dir = await mkdtemp(join(base, `rollgate-kube-${randomBytes(3).toString("hex")}-`)), path = join(dir, "kubeconfig");
  await writeFile(path, contents, { mode: 384, flag: "wx" });
  let disposed = !1;
  return {
    path,
    dispose: async () => {
      disposed || (disposed = !0, await rm(dir, { recursive: !0, force: !0 }));
    }
  };
}
function isInside(path, folder) {
  let rel = relative(folder, path);
  return rel === "" || !rel.startsWith("..") && !isAbsolute(rel);
}

// src/kube/resources.ts
var CORE = {};
function known(apiVersion, namespaced, kinds) {
  let table = CORE[apiVersion] ??= {};
  for (let [kind, resource] of Object.entries(kinds)) table[kind] = { resource, namespaced };
}
known("v1", !0, {
  ConfigMap: "configmaps",
  Secret: "secrets",
  Service: "services",
  ServiceAccount: "serviceaccounts",
  Pod: "pods",
  PersistentVolumeClaim: "persistentvolumeclaims",
  Event: "events",
  Endpoints: "endpoints",
  LimitRange: "limitranges",
  ResourceQuota: "resourcequotas",
  ReplicationController: "replicationcontrollers",
  PodTemplate: "podtemplates"
});
known("v1", !1, { Namespace: "namespaces", Node: "nodes", PersistentVolume: "persistentvolumes" });
known("apps/v1", !0, {
  Deployment: "deployments",
  StatefulSet: "statefulsets",
  DaemonSet: "daemonsets",
  ReplicaSet: "replicasets",
  ControllerRevision: "controllerrevisions"
});
known("batch/v1", !0, { Job: "jobs", CronJob: "cronjobs" });
known("coordination.k8s.io/v1", !0, { Lease: "leases" });
known("events.k8s.io/v1", !0, { Event: "events" });
known("networking.k8s.io/v1", !0, { Ingress: "ingresses", NetworkPolicy: "networkpolicies" });
known("networking.k8s.io/v1", !1, { IngressClass: "ingressclasses" });
known("discovery.k8s.io/v1", !0, { EndpointSlice: "endpointslices" });
known("policy/v1", !0, { PodDisruptionBudget: "poddisruptionbudgets" });
known("autoscaling/v2", !0, { HorizontalPodAutoscaler: "horizontalpodautoscalers" });
known("autoscaling/v1", !0, { HorizontalPodAutoscaler: "horizontalpodautoscalers" });
known("rbac.authorization.k8s.io/v1", !0, { Role: "roles", RoleBinding: "rolebindings" });
known("rbac.authorization.k8s.io/v1", !1, { ClusterRole: "clusterroles", ClusterRoleBinding: "clusterrolebindings" });
known("apiextensions.k8s.io/v1", !1, { CustomResourceDefinition: "customresourcedefinitions" });
known("storage.k8s.io/v1", !1, { StorageClass: "storageclasses" });
known("scheduling.k8s.io/v1", !1, { PriorityClass: "priorityclasses" });
function knownResource(apiVersion, kind) {
  return CORE[apiVersion]?.[kind];
}
function groupVersionPath(apiVersion) {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}
function resourcePath(apiVersion, type, namespace, name, subresource) {
  let path = groupVersionPath(apiVersion);
  return type.namespaced && namespace && (path += `/namespaces/${encodeURIComponent(namespace)}`), path += `/${type.resource}`, name !== void 0 && (path += `/${encodeURIComponent(name)}`), subresource && (path += `/${subresource}`), path;
}
function resourcesOf(list) {
  let byKind = /* @__PURE__ */ new Map();
  for (let r of list.resources ?? [])
    r.name.includes("/") || byKind.has(r.kind) || byKind.set(r.kind, { resource: r.name, namespaced: r.namespaced });
  return byKind;
}

// src/kube/transport.ts
import { request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
var NULL_BODY = /* @__PURE__ */ new Set([101, 103, 204, 205, 304]), KubeTransport = class {
  server;
  #authorize;
  #viaProxy;
  #agent;
  #streamAgent;
  /** `viaProxy`: the kubeconfig names a proxy-url, so the agent client-node makes must carry the requests. */
  constructor(server, authorize, options = {}) {
    this.server = new URL(server), this.#authorize = authorize, this.#viaProxy = options.viaProxy ?? !1;
  }
  /** Opens a request and resolves with the response head; the body is the caller's to read. */
  async open(path, options = {}) {
    let opts = { headers: {} };
    await this.#authorize(opts);
    let url = this.#url(path), headers = { ...opts.headers, ...options.headers };
    options.body !== void 0 && (headers["Content-Length"] = String(Buffer.byteLength(options.body)));
    let https = url.protocol === "https:", agent = this.#agentFor(opts, https, options.longLived ?? !1), send = https ? httpsRequest : httpRequest;
    return new Promise((resolve2, reject) => {
      let req = send(url, {
        method: options.method ?? "GET",
        headers,
        agent,
        ...opts.auth ? { auth: opts.auth } : {},
        ...options.signal ? { signal: options.signal } : {}
      });
      options.idleTimeoutMs && req.setTimeout(options.idleTimeoutMs, () => req.destroy(Object.assign(new Error(`no data from the API server for ${options.idleTimeoutMs} ms`), { code: "ETIMEDOUT" }))), req.once("response", resolve2), req.once("error", reject), req.end(options.body);
    });
  }
  /** A whole exchange as text. */
  async text(path, options = {}) {
    let res = await this.open(path, options), chunks = [];
    for await (let chunk of res) chunks.push(chunk);
    return { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") };
  }
  /** fetch-shaped: a web Response streaming the body. Redirects are not followed (as `redirect: 'manual'`). */
  async fetch(path, init = {}) {
    let headers = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    let res = await this.open(path, {
      method: init.method ?? "GET",
      headers,
      ...init.body !== void 0 && init.body !== null ? { body: await bodyBytes(init.body) } : {},
      ...init.signal ? { signal: init.signal } : {}
    }), status = res.statusCode ?? 0, responseHeaders = new Headers();
    for (let [name, value] of Object.entries(res.headers))
      if (value !== void 0)
        for (let v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
    let body = NULL_BODY.has(status) || init.method === "HEAD" ? null : Readable.toWeb(res);
    return body || res.resume(), new Response(body, { status, statusText: res.statusMessage ?? "", headers: responseHeaders });
  }
  /** A path of this server, or an absolute URL on it (what a fetch-shaped caller passes). */
  #url(path) {
    if (/^https?:\/\//.test(path)) {
      let url = new URL(path);
      if (url.origin !== this.server.origin) throw new Error(`${url.origin} is not the API server ${this.server.origin}`);
      return url;
    }
    let base = this.server.pathname.replace(/\/+$/, "");
    return new URL(base + (path.startsWith("/") ? path : `/${path}`), this.server.origin);
  }
  // client-node's agent has no keep-alive; an apply of 200 objects should not make 200 TLS handshakes. We keep
  // its agent only when it speaks through a proxy.
  #agentFor(opts, https, longLived) {
    if (this.#viaProxy) return opts.agent;
    if (!https) return;
    let tls = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, servername: opts.servername, rejectUnauthorized: opts.rejectUnauthorized }, key = JSON.stringify([tls.ca, tls.cert, tls.key, tls.pfx, tls.servername, tls.rejectUnauthorized].map((v) => v === void 0 ? null : String(v))), current = longLived ? this.#streamAgent : this.#agent;
    if (current?.key === key) return current.agent;
    current?.agent.destroy();
    let defined = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== void 0)), made = { key, agent: new HttpsAgent(longLived ? { keepAlive: !1, ...defined } : { keepAlive: !0, maxSockets: 16, ...defined }) };
    return longLived ? this.#streamAgent = made : this.#agent = made, made.agent;
  }
  close() {
    for (let a of [this.#agent, this.#streamAgent]) a?.agent.destroy();
    this.#agent = void 0, this.#streamAgent = void 0;
  }
};
async function bodyBytes(body) {
  return typeof body == "string" || body instanceof Uint8Array ? body : new Uint8Array(await new Response(body).arrayBuffer());
}

// src/kube/watch.ts
import { createInterface } from "node:readline";
async function startWatch(source, startAt, onEvent, onError) {
  let abort = new AbortController(), stopped = !1, lastVersion = startAt, known2 = /* @__PURE__ */ new Map(), keyOf = (o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`, deliver = (e) => {
    stopped || (e.type === "DELETED" ? known2.delete(keyOf(e.object)) : known2.set(keyOf(e.object), e.object), onEvent(e));
  }, relist = async () => {
    let { items, resourceVersion } = await source.list(), seen = /* @__PURE__ */ new Set();
    for (let item of items) {
      let key = keyOf(item);
      seen.add(key);
      let before = known2.get(key);
      before ? before.metadata.resourceVersion !== item.metadata.resourceVersion && deliver({ type: "MODIFIED", object: item }) : deliver({ type: "ADDED", object: item });
    }
    for (let [key, object] of [...known2]) seen.has(key) || deliver({ type: "DELETED", object });
    lastVersion = resourceVersion;
  }, consume = (res) => new Promise((resolve2) => {
    let outcome = "ended", lines = createInterface({ input: res, crlfDelay: 1 / 0 });
    lines.on("line", (line) => {
      if (stopped || !line.trim()) return;
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      let object = event.object;
      if (event.type === "ERROR") {
        let status = event.object ?? {};
        outcome = status.code === 410 ? "gone" : new Error(`watch ${source.description}: ${status.message ?? status.reason ?? "error event"}`), res.destroy();
        return;
      }
      object?.metadata && (object.metadata.resourceVersion && (lastVersion = object.metadata.resourceVersion), (event.type === "ADDED" || event.type === "MODIFIED" || event.type === "DELETED") && deliver({ type: event.type, object }));
    });
    let broke = (err) => {
      outcome = outcome === "ended" ? err : outcome;
    };
    res.on("error", broke), lines.on("error", broke), res.on("close", () => lines.close()), lines.on("close", () => resolve2(outcome));
  }), open = async () => {
    let res = await source.open(lastVersion ?? "", abort.signal);
    if (res.statusCode === 200) return res;
    let { error, status, transient } = await source.failure(res);
    if (status === 410) return "gone";
    throw transient ? Object.assign(error, { transient: !0 }) : error;
  }, backOff = async (attempt, why) => {
    let wait = source.delay(attempt);
    source.logger.debug(`watch ${source.description}: ${why instanceof Error ? why.message : String(why)}; retrying in ${wait} ms`), await new Promise((resolve2) => setTimeout(resolve2, wait));
  }, isTransient = (err) => err.transient === !0 || source.isTransient(err), openFirst = async () => {
    for (let attempt = 1; ; attempt++)
      try {
        return await open();
      } catch (err) {
        if (!isTransient(err) || attempt >= source.maxAttempts) throw err;
        await backOff(attempt, err);
      }
  };
  startAt === void 0 && await relist();
  let first = await openFirst(), run = async () => {
    let next = first === "gone" ? "relist" : first, failures = 0;
    for (; !stopped; )
      try {
        if (next === "relist")
          source.logger.debug(`watch ${source.description}: resourceVersion ${lastVersion ?? ""} is too old; relisting`), await relist(), next = "open";
        else if (next === "open") {
          let opened = await open();
          next = opened === "gone" ? "relist" : opened;
        } else {
          let startedAt = Date.now(), before = lastVersion, outcome = await consume(next);
          if (stopped) return;
          if (next = outcome === "gone" ? "relist" : "open", outcome === "gone") continue;
          lastVersion !== before || Date.now() - startedAt > 1e3 ? failures = 0 : await pause(++failures, outcome instanceof Error ? outcome : new Error("the stream ended at once")), source.logger.debug(`watch ${source.description}: stream ended${outcome instanceof Error ? ` (${outcome.message})` : ""}; resuming from ${lastVersion ?? "the start"}`);
        }
      } catch (err) {
        if (stopped) return;
        if (failures++, !isTransient(err)) return fail(err);
        await pause(failures, err);
      }
  }, fail = (err) => {
    stopped = !0, abort.abort(), onError(err instanceof Error ? err : new Error(String(err)));
  }, pause = async (attempt, why) => {
    attempt >= source.maxAttempts ? fail(why) : await backOff(attempt, why);
  };
  return run(), {
    stop() {
      stopped = !0, abort.abort();
    }
  };
}

// src/kube/client.ts
var JSON_HEADERS = { Accept: "application/json" }, WATCH_IDLE_MS = 12e4, REQUEST_IDLE_MS = 6e4, KubeCluster = class {
  server;
  context;
  #transport;
  #logger;
  #retry;
  #watchAttempts;
  #onClose;
  // Discovery per group/version, once per run; a miss is asked again (a CRD may have been established since).
  #discovery = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#transport = options.transport, this.server = options.transport.server.href.replace(/\/+$/, ""), this.context = options.context, this.#logger = options.logger ?? silentLogger, this.#retry = { ...DEFAULT_RETRY, attempts: 5, ...options.retry }, this.#watchAttempts = options.watchAttempts ?? 8, this.#onClose = options.onClose;
  }
  async get(ref) {
    let action = `get ${describeRef(ref)}`, path = await this.#objectPath(ref, action), res = await this.#send(action, path, { headers: JSON_HEADERS });
    if (res.status !== 404)
      return expectJson(action, res, 200);
  }
  async list(apiVersion, kind, namespace, options = {}) {
    let action = `list ${kind}${namespace ? ` in ${namespace}` : ""}`, type = await this.#resourceType(apiVersion, kind, action), base = resourcePath(apiVersion, type, namespace), items = [], resourceVersion = "", token;
    do {
      let query = params({ labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: "500", continue: token }), res = await this.#send(action, `${base}${query}`, { headers: JSON_HEADERS }), page = expectJson(action, res, 200);
      for (let item of page.items ?? []) items.push({ ...item, apiVersion, kind });
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion, token = page.metadata?.continue || void 0;
    } while (token);
    return { items, resourceVersion };
  }
  async watch(apiVersion, kind, namespace, options, onEvent, onError) {
    let description = `${kind}${namespace ? ` in ${namespace}` : ""}`, type = await this.#resourceType(apiVersion, kind, `watch ${description}`), base = resourcePath(apiVersion, type, namespace), selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    return startWatch(
      {
        description,
        open: (resourceVersion, signal) => this.#transport.open(
          `${base}${params({ watch: "true", allowWatchBookmarks: "true", resourceVersion, timeoutSeconds: String(300 + Math.floor(Math.random() * 300)), ...selectors })}`,
          { headers: JSON_HEADERS, signal, idleTimeoutMs: WATCH_IDLE_MS, longLived: !0 }
        ),
        list: () => this.list(apiVersion, kind, namespace, options),
        failure: async (res) => {
          let text = await readText(res), status = res.statusCode ?? 0;
          return { error: apiErrorOf(`watch ${description}`, status, text), status, transient: isRetryableStatus(status) };
        },
        isTransient: (err) => connectionErrorCode(err) !== void 0,
        delay: (attempt) => backoffDelay(this.#retry, attempt),
        maxAttempts: this.#watchAttempts,
        logger: this.#logger
      },
      options.resourceVersion,
      onEvent,
      onError
    );
  }
  async apply(object, options) {
    let ref = refFor(object), action = `apply ${describeRef(ref)}`, path = await this.#objectPath(ref, action), query = params({ fieldManager: options.fieldManager, force: options.force ? "true" : "false", dryRun: options.dryRun ? "All" : void 0 }), res = await this.#send(action, `${path}${query}`, {
      method: "PATCH",
      headers: { ...JSON_HEADERS, "Content-Type": "application/apply-patch+yaml" },
      body: JSON.stringify(object)
    });
    return expectJson(action, res, 200, 201);
  }
  async delete(ref, options = {}) {
    let action = `delete ${describeRef(ref)}`, path = await this.#objectPath(ref, action), body = { apiVersion: "v1", kind: "DeleteOptions", ...options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {} }, res = await this.#send(action, path, { method: "DELETE", headers: { ...JSON_HEADERS, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    res.status !== 404 && expectJson(action, res, 200, 202);
  }
  async replace(object) {
    let ref = refFor(object), action = `replace ${describeRef(ref)}`, path = await this.#objectPath(ref, action), res = await this.#send(action, path, { method: "PUT", headers: { ...JSON_HEADERS, "Content-Type": "application/json" }, body: JSON.stringify(object) });
    if (res.status === 409) throw new ConflictError(apiErrorOf(action, res.status, res.text).message);
    return expectJson(action, res, 200, 201);
  }
  async create(object) {
    let ref = refFor(object), action = `create ${describeRef(ref)}`, type = await this.#resourceType(ref.apiVersion, ref.kind, action), namespace = namespaceOf(ref, type, action), res = await this.#send(action, resourcePath(ref.apiVersion, type, namespace), {
      method: "POST",
      headers: { ...JSON_HEADERS, "Content-Type": "application/json" },
      body: JSON.stringify(object)
    });
    if (res.status === 409) throw new ConflictError(apiErrorOf(action, res.status, res.text).message);
    return expectJson(action, res, 201, 200, 202);
  }
  async podLogs(namespace, pod, options = {}) {
    let action = `logs of pod ${namespace}/${pod}${options.container ? ` container ${options.container}` : ""}`, query = params({ container: options.container, previous: options.previous ? "true" : void 0, tailLines: options.tailLines?.toString() }), res = await this.#send(action, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log${query}`, {});
    if (res.status !== 200) throw apiErrorOf(action, res.status, res.text);
    return res.text;
  }
  /** Authenticated request to a path of the API server (or an absolute URL on it). Not retried. */
  request(path, init) {
    return this.#transport.fetch(path, init);
  }
  /** Closes kept-alive connections and removes a kubeconfig written from contents. */
  async close() {
    this.#transport.close(), await this.#onClose?.();
  }
  async #objectPath(ref, action) {
    let type = await this.#resourceType(ref.apiVersion, ref.kind, action);
    return resourcePath(ref.apiVersion, type, namespaceOf(ref, type, action), ref.name);
  }
  async #resourceType(apiVersion, kind, action) {
    let known2 = knownResource(apiVersion, kind);
    if (known2) return known2;
    let found = (await this.#discover(apiVersion, action)).get(kind);
    if (found || (this.#discovery.delete(apiVersion), found = (await this.#discover(apiVersion, action)).get(kind)), !found) throw new KubeApiError(`${action}: the API server has no kind ${kind} in ${apiVersion}`, 404, "NotFound");
    return found;
  }
  #discover(apiVersion, action) {
    let pending = this.#discovery.get(apiVersion);
    return pending || (pending = (async () => {
      let res = await this.#send(action, groupVersionPath(apiVersion), { headers: JSON_HEADERS });
      if (res.status === 404)
        throw new KubeApiError(`${action}: the API server does not serve ${apiVersion} (is its CustomResourceDefinition installed?)`, 404, "NotFound");
      return resourcesOf(expectJson(action, res, 200));
    })(), this.#discovery.set(apiVersion, pending), pending.catch(() => this.#discovery.delete(apiVersion))), pending;
  }
  /** One exchange, repeated with back-off on 429, 5xx and dropped connections, up to the retry budget. */
  async #send(action, path, options) {
    for (let attempt = 1; ; attempt++) {
      let why, retryAfter;
      try {
        let res = await this.#transport.text(path, { idleTimeoutMs: REQUEST_IDLE_MS, ...options });
        if (!isRetryableStatus(res.status) || attempt >= this.#retry.attempts) return res;
        why = apiErrorOf(action, res.status, res.text).message, retryAfter = parseRetryAfter(headerValue(res.headers["retry-after"]) ?? null);
      } catch (err) {
        let code = connectionErrorCode(err), message = err instanceof Error ? err.message : String(err);
        if (!code || attempt >= this.#retry.attempts)
          throw new KubeApiError(`${action}: ${message}${code && code !== message ? ` (${code})` : ""} at ${this.server}`, 0, code ?? "ConnectionFailed");
        why = `${action}: ${message}`;
      }
      let wait = backoffDelay(this.#retry, attempt, retryAfter);
      this.#logger.debug(`${why}; attempt ${attempt + 1} of ${this.#retry.attempts} in ${wait} ms`), await (this.#retry.sleep ?? sleep)(wait);
    }
  }
};
async function connectCluster(options = {}) {
  let { KubeConfig } = await import("./kubeconfig-class-KIHKEHBS.js"), written = options.kubeconfigContents !== void 0 ? await writeKubeconfigContents(options.kubeconfigContents, options.env) : void 0;
  try {
    let paths = written ? [written.path] : existingKubeconfigs({ ...options, path: options.kubeconfig }), kc = new KubeConfig();
    for (let [i, path] of paths.entries()) {
      let next = i === 0 ? kc : new KubeConfig();
      try {
        next.loadFromFile(path);
      } catch (err) {
        throw new InputError({ file: written ? "kubeconfig (contents)" : path, message: `not a valid kubeconfig: ${err instanceof Error ? err.message : String(err)}` });
      }
      if (next !== kc) {
        for (let c of next.clusters) kc.getCluster(c.name) || kc.addCluster(c);
        for (let u of next.users) kc.getUser(u.name) || kc.addUser(u);
        for (let c of next.contexts) kc.getContextObject(c.name) || kc.addContext(c);
        kc.currentContext || (kc.currentContext = next.currentContext);
      }
    }
    let context = chooseContext({ requested: options.context, environment: options.environment?.kubeContext, current: kc.currentContext }), where = written ? "the kubeconfig given as contents" : paths.join(", ");
    if (!context) throw new BlockedError(`no kubeconfig context selected: ${where} has no current-context and none was named`);
    if (!kc.getContextObject(context))
      throw new BlockedError(`kubeconfig context "${context}" is not in ${where} (contexts: ${kc.contexts.map((c) => c.name).join(", ") || "none"})`);
    kc.setCurrentContext(context);
    let cluster = kc.getCurrentCluster();
    if (!cluster?.server) throw new InputError({ file: where, message: `context "${context}" names no cluster with a server` });
    options.environment && checkClusterGuard(options.environment, { context, server: cluster.server });
    let transport = new KubeTransport(cluster.server, (opts) => kc.applyToHTTPSOptions(opts), { viaProxy: !!cluster.proxyUrl });
    return new KubeCluster({
      context,
      transport,
      ...options.logger ? { logger: options.logger } : {},
      ...options.retry ? { retry: options.retry } : {},
      ...options.watchAttempts !== void 0 ? { watchAttempts: options.watchAttempts } : {},
      ...written ? { onClose: written.dispose } : {}
    });
  } catch (err) {
    throw await written?.dispose(), err;
  }
}
function refFor(object) {
  if (!object?.apiVersion || !object.kind || !object.metadata?.name)
    throw new InputError(`an object needs apiVersion, kind and metadata.name: ${JSON.stringify(object).slice(0, 200)}`);
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...object.metadata.namespace ? { namespace: object.metadata.namespace } : {}
  };
}
function namespaceOf(ref, type, action) {
  if (type.namespaced) {
    if (!ref.namespace) throw new InputError(`${action}: ${ref.kind} is namespaced, but no namespace was given`);
    return ref.namespace;
  }
}
function params(values) {
  let query = new URLSearchParams();
  for (let [k, v] of Object.entries(values)) v !== void 0 && v !== "" && query.set(k, v);
  let text = query.toString();
  return text ? `?${text}` : "";
}
function expectJson(action, res, ...ok) {
  if (!ok.includes(res.status)) throw apiErrorOf(action, res.status, res.text);
  try {
    return JSON.parse(res.text);
  } catch {
    throw new KubeApiError(`${action}: the API server answered ${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`, res.status, "BadResponse");
  }
}
function headerValue(value) {
  return Array.isArray(value) ? value[0] : value;
}
async function readText(res) {
  let chunks = [];
  for await (let chunk of res) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export {
  KubeApiError,
  knownResource,
  groupVersionPath,
  resourcesOf,
  KubeCluster,
  connectCluster
};
