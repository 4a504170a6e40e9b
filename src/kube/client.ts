// The Cluster a real API server stands behind. Auth (tokens, client certificates, exec plugins such as
// gke-gcloud-auth-plugin, the CA) comes from @kubernetes/client-node's KubeConfig, loaded only here, lazily; every
// request, reads and watches included, is our own JSON over HTTPS (transport.ts), because client-node's typed
// models drop the fields they do not know and a server-side apply must send exactly what the manifest says.
import type { IncomingMessage } from 'node:http';
import { BlockedError, InputError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { backoffDelay, connectionErrorCode, DEFAULT_RETRY, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from '../registry/retry.ts';
import { apiErrorOf, KubeApiError } from './api-error.ts';
import {
  ConflictError,
  describeRef,
  type ApplyOptions,
  type Cluster,
  type KubeObject,
  type ListOptions,
  type LogOptions,
  type ObjectRef,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from './cluster.ts';
import { checkClusterGuard, type GuardedEnvironment } from './guard.ts';
import { chooseContext, existingKubeconfigs, writeKubeconfigContents } from './kubeconfig.ts';
import { groupVersionPath, knownResource, resourcePath, resourcesOf, type ApiResourceList, type ResourceType } from './resources.ts';
import { KubeTransport, type SendOptions } from './transport.ts';
import { startWatch } from './watch.ts';

export { KubeApiError } from './api-error.ts';

export interface KubeClusterOptions {
  /** The kubeconfig context in use (what the cluster guard checks). */
  context: string;
  transport: KubeTransport;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Reconnects in a row after which a watch gives up (default 8). */
  watchAttempts?: number;
  /** Runs at close(): removing a kubeconfig written from contents. */
  onClose?: () => Promise<void>;
}

const JSON_HEADERS = { Accept: 'application/json' };
// A quiet watch is ended and reopened after this long; real servers send a bookmark about every minute.
const WATCH_IDLE_MS = 120_000;
// A request the server stops answering counts as a dropped connection (and is retried) after this long.
const REQUEST_IDLE_MS = 60_000;

export class KubeCluster implements Cluster {
  readonly server: string;
  readonly context: string;
  readonly #transport: KubeTransport;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #watchAttempts: number;
  readonly #onClose: (() => Promise<void>) | undefined;
  // Discovery per group/version, once per run; a miss is asked again (a CRD may have been established since).
  readonly #discovery = new Map<string, Promise<Map<string, ResourceType>>>();

  constructor(options: KubeClusterOptions) {
    this.#transport = options.transport;
    this.server = options.transport.server.href.replace(/\/+$/, '');
    this.context = options.context;
    this.#logger = options.logger ?? silentLogger;
    this.#retry = { ...DEFAULT_RETRY, attempts: 5, ...options.retry };
    this.#watchAttempts = options.watchAttempts ?? 8;
    this.#onClose = options.onClose;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const action = `get ${describeRef(ref)}`;
    const path = await this.#objectPath(ref, action);
    const res = await this.#send(action, path, { headers: JSON_HEADERS });
    if (res.status === 404) return undefined;
    return expectJson<KubeObject>(action, res, 200);
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, options: ListOptions = {}): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const action = `list ${kind}${namespace ? ` in ${namespace}` : ''}`;
    const type = await this.#resourceType(apiVersion, kind, action);
    const base = resourcePath(apiVersion, type, namespace);
    const items: KubeObject[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const query = params({ labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: '500', continue: token });
      const res = await this.#send(action, `${base}${query}`, { headers: JSON_HEADERS });
      const page = expectJson<{ items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } }>(action, res, 200);
      // Items of a list carry no apiVersion/kind on a real server.
      for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind });
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items, resourceVersion };
  }

  async watch(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    options: WatchOptions,
    onEvent: (e: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Promise<Watch> {
    const description = `${kind}${namespace ? ` in ${namespace}` : ''}`;
    const type = await this.#resourceType(apiVersion, kind, `watch ${description}`);
    const base = resourcePath(apiVersion, type, namespace);
    const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    return startWatch(
      {
        description,
        open: (resourceVersion, signal) =>
          this.#transport.open(
            `${base}${params({ watch: 'true', allowWatchBookmarks: 'true', resourceVersion, timeoutSeconds: String(300 + Math.floor(Math.random() * 300)), ...selectors })}`,
            { headers: JSON_HEADERS, signal, idleTimeoutMs: WATCH_IDLE_MS, longLived: true },
          ),
        list: () => this.list(apiVersion, kind, namespace, options),
        failure: async (res) => {
          const text = await readText(res);
          const status = res.statusCode ?? 0;
          return { error: apiErrorOf(`watch ${description}`, status, text), status, transient: isRetryableStatus(status) };
        },
        isTransient: (err) => connectionErrorCode(err) !== undefined,
        delay: (attempt) => backoffDelay(this.#retry, attempt),
        maxAttempts: this.#watchAttempts,
        logger: this.#logger,
      },
      options.resourceVersion,
      onEvent,
      onError,
    );
  }

  async apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const ref = refFor(object);
    const action = `apply ${describeRef(ref)}`;
    const path = await this.#objectPath(ref, action);
    const query = params({ fieldManager: options.fieldManager, force: options.force ? 'true' : 'false', dryRun: options.dryRun ? 'All' : undefined });
    // JSON is YAML: the apply patch content type with a JSON body keeps every field exactly as given.
    const res = await this.#send(action, `${path}${query}`, {
      method: 'PATCH',
      headers: { ...JSON_HEADERS, 'Content-Type': 'application/apply-patch+yaml' },
      body: JSON.stringify(object),
    });
    return expectJson<KubeObject>(action, res, 200, 201);
  }

  async delete(ref: ObjectRef, options: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {}): Promise<void> {
    const action = `delete ${describeRef(ref)}`;
    const path = await this.#objectPath(ref, action);
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}) };
    const res = await this.#send(action, path, { method: 'DELETE', headers: { ...JSON_HEADERS, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status === 404) return;
    expectJson(action, res, 200, 202);
  }

  async replace(object: KubeObject): Promise<KubeObject> {
    const ref = refFor(object);
    const action = `replace ${describeRef(ref)}`;
    const path = await this.#objectPath(ref, action);
    const res = await this.#send(action, path, { method: 'PUT', headers: { ...JSON_HEADERS, 'Content-Type': 'application/json' }, body: JSON.stringify(object) });
    if (res.status === 409) throw new ConflictError(apiErrorOf(action, res.status, res.text).message);
    return expectJson<KubeObject>(action, res, 200, 201);
  }

  async create(object: KubeObject): Promise<KubeObject> {
    const ref = refFor(object);
    const action = `create ${describeRef(ref)}`;
    const type = await this.#resourceType(ref.apiVersion, ref.kind, action);
    const namespace = namespaceOf(ref, type, action);
    const res = await this.#send(action, resourcePath(ref.apiVersion, type, namespace), {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'Content-Type': 'application/json' },
      body: JSON.stringify(object),
    });
    // AlreadyExists: someone created it first, which callers of create (the lock) treat like a lost update.
    if (res.status === 409) throw new ConflictError(apiErrorOf(action, res.status, res.text).message);
    return expectJson<KubeObject>(action, res, 201, 200, 202);
  }

  async podLogs(namespace: string, pod: string, options: LogOptions = {}): Promise<string> {
    const action = `logs of pod ${namespace}/${pod}${options.container ? ` container ${options.container}` : ''}`;
    const query = params({ container: options.container, previous: options.previous ? 'true' : undefined, tailLines: options.tailLines?.toString() });
    const res = await this.#send(action, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log${query}`, {});
    if (res.status !== 200) throw apiErrorOf(action, res.status, res.text);
    return res.text;
  }

  /** Authenticated request to a path of the API server (or an absolute URL on it). Not retried. */
  request(path: string, init?: RequestInit): Promise<Response> {
    return this.#transport.fetch(path, init);
  }

  /** Closes kept-alive connections and removes a kubeconfig written from contents. */
  async close(): Promise<void> {
    this.#transport.close();
    await this.#onClose?.();
  }

  async #objectPath(ref: ObjectRef, action: string): Promise<string> {
    const type = await this.#resourceType(ref.apiVersion, ref.kind, action);
    return resourcePath(ref.apiVersion, type, namespaceOf(ref, type, action), ref.name);
  }

  async #resourceType(apiVersion: string, kind: string, action: string): Promise<ResourceType> {
    const known = knownResource(apiVersion, kind);
    if (known) return known;
    let found = (await this.#discover(apiVersion, action)).get(kind);
    if (!found) {
      this.#discovery.delete(apiVersion);
      found = (await this.#discover(apiVersion, action)).get(kind);
    }
    if (!found) throw new KubeApiError(`${action}: the API server has no kind ${kind} in ${apiVersion}`, 404, 'NotFound');
    return found;
  }

  #discover(apiVersion: string, action: string): Promise<Map<string, ResourceType>> {
    let pending = this.#discovery.get(apiVersion);
    if (!pending) {
      pending = (async () => {
        const res = await this.#send(action, groupVersionPath(apiVersion), { headers: JSON_HEADERS });
        if (res.status === 404) {
          throw new KubeApiError(`${action}: the API server does not serve ${apiVersion} (is its CustomResourceDefinition installed?)`, 404, 'NotFound');
        }
        return resourcesOf(expectJson<ApiResourceList>(action, res, 200));
      })();
      this.#discovery.set(apiVersion, pending);
      pending.catch(() => this.#discovery.delete(apiVersion));
    }
    return pending;
  }

  /** One exchange, repeated with back-off on 429, 5xx and dropped connections, up to the retry budget. */
  async #send(action: string, path: string, options: SendOptions): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
    for (let attempt = 1; ; attempt++) {
      let why: string;
      let retryAfter: number | undefined;
      try {
        const res = await this.#transport.text(path, { idleTimeoutMs: REQUEST_IDLE_MS, ...options });
        if (!isRetryableStatus(res.status) || attempt >= this.#retry.attempts) return res;
        why = apiErrorOf(action, res.status, res.text).message;
        retryAfter = parseRetryAfter(headerValue(res.headers['retry-after']) ?? null);
      } catch (err) {
        const code = connectionErrorCode(err);
        const message = err instanceof Error ? err.message : String(err);
        if (!code || attempt >= this.#retry.attempts) {
          throw new KubeApiError(`${action}: ${message}${code && code !== message ? ` (${code})` : ''} at ${this.server}`, 0, code ?? 'ConnectionFailed');
        }
        why = `${action}: ${message}`;
      }
      const wait = backoffDelay(this.#retry, attempt, retryAfter);
      this.#logger.debug(`${why}; attempt ${attempt + 1} of ${this.#retry.attempts} in ${wait} ms`);
      await (this.#retry.sleep ?? sleep)(wait);
    }
  }
}

export interface ConnectOptions {
  /** A kubeconfig path (--kubeconfig, the action's `kubeconfig` input); else KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** Kubeconfig contents (a CI secret): written 0600 to the temp folder and removed at close(). */
  kubeconfigContents?: string;
  /** --context or the `kube-context` input. */
  context?: string;
  /**
   * The environment deployed to: its kubeContext is used when no context was asked for, and the cluster guard
   * (guard.ts) runs before the Cluster is handed out, so a refused cluster never sees a write.
   */
  environment?: GuardedEnvironment;
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  watchAttempts?: number;
}

/**
 * Loads the kubeconfig (kubectl's precedence and merge rules), selects the context and returns a Cluster.
 * client-node is imported here (through kubeconfig-class.ts) and nowhere else, so commands that never touch a
 * cluster never load it.
 * The caller closes the cluster at the end (it removes a kubeconfig written from contents).
 */
export async function connectCluster(options: ConnectOptions = {}): Promise<KubeCluster> {
  const { KubeConfig } = await import('./kubeconfig-class.ts');
  const written = options.kubeconfigContents !== undefined ? await writeKubeconfigContents(options.kubeconfigContents, options.env) : undefined;
  try {
    const paths = written ? [written.path] : existingKubeconfigs({ ...options, path: options.kubeconfig });
    const kc = new KubeConfig();
    for (const [i, path] of paths.entries()) {
      const next = i === 0 ? kc : new KubeConfig();
      try {
        next.loadFromFile(path);
      } catch (err) {
        throw new InputError({ file: written ? 'kubeconfig (contents)' : path, message: `not a valid kubeconfig: ${err instanceof Error ? err.message : String(err)}` });
      }
      if (next === kc) continue;
      // kubectl's merge: the first file to define a name (or current-context) wins.
      for (const c of next.clusters) if (!kc.getCluster(c.name)) kc.addCluster(c);
      for (const u of next.users) if (!kc.getUser(u.name)) kc.addUser(u);
      for (const c of next.contexts) if (!kc.getContextObject(c.name)) kc.addContext(c);
      if (!kc.currentContext) kc.currentContext = next.currentContext;
    }
    const context = chooseContext({ requested: options.context, environment: options.environment?.kubeContext, current: kc.currentContext });
    const where = written ? 'the kubeconfig given as contents' : paths.join(', ');
    if (!context) throw new BlockedError(`no kubeconfig context selected: ${where} has no current-context and none was named`);
    if (!kc.getContextObject(context)) {
      throw new BlockedError(`kubeconfig context "${context}" is not in ${where} (contexts: ${kc.contexts.map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(context);
    const cluster = kc.getCurrentCluster();
    if (!cluster?.server) throw new InputError({ file: where, message: `context "${context}" names no cluster with a server` });
    if (options.environment) checkClusterGuard(options.environment, { context, server: cluster.server });
    const transport = new KubeTransport(cluster.server, (opts) => kc.applyToHTTPSOptions(opts), { viaProxy: Boolean(cluster.proxyUrl) });
    return new KubeCluster({
      context,
      transport,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.watchAttempts !== undefined ? { watchAttempts: options.watchAttempts } : {}),
      ...(written ? { onClose: written.dispose } : {}),
    });
  } catch (err) {
    await written?.dispose();
    throw err;
  }
}

function refFor(object: KubeObject): ObjectRef {
  if (!object?.apiVersion || !object.kind || !object.metadata?.name) {
    throw new InputError(`an object needs apiVersion, kind and metadata.name: ${JSON.stringify(object).slice(0, 200)}`);
  }
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}

function namespaceOf(ref: ObjectRef, type: ResourceType, action: string): string | undefined {
  if (!type.namespaced) return undefined;
  if (!ref.namespace) throw new InputError(`${action}: ${ref.kind} is namespaced, but no namespace was given`);
  return ref.namespace;
}

function params(values: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') query.set(k, v);
  const text = query.toString();
  return text ? `?${text}` : '';
}

function expectJson<T = unknown>(action: string, res: { status: number; text: string }, ...ok: number[]): T {
  if (!ok.includes(res.status)) throw apiErrorOf(action, res.status, res.text);
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new KubeApiError(`${action}: the API server answered ${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`, res.status, 'BadResponse');
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
