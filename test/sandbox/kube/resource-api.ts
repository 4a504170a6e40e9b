// The REST verbs on resources: get, list (selectors, limit/continue, Table), watch (chunked JSON lines, resume from
// a resourceVersion, bookmarks), create, update, the three patches and server-side apply, delete (propagation),
// deletecollection, and the status and scale subresources. Every write goes through one pipeline (`commit`) that
// does what a real registry does: status only through /status, defaulting, validation, managedFields, and no write
// at all when nothing changed.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { StoreError, timestamp, type KubeObject, type ObjectStore } from './store.ts';
import { apiVersionOf, typeName, type ResourceInfo } from './resources.ts';
import { parseFieldSelector, parseLabelSelector, fieldValue, SelectorError } from './selectors.ts';
import { ApiError, badRequest, methodNotAllowed, statusOf, success } from './status.ts';
import { applyDefaults, initialStatus } from './defaults.ts';
import { validate } from './validate.ts';
import { recordUpdate, serverSideApply, type FieldScope } from './apply.ts';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.ts';
import { toTable, type IncludeObject } from './tables.ts';
import { coreFieldName, coreToEventsV1, eventsV1ToCore } from './event-views.ts';
import { FOREGROUND, ORPHAN } from './garbage-collector.ts';
import { flag, mediaType, readObject, sendJson, sendStatus, wantsTable } from './http.ts';
import type { Faults } from './faults.ts';
import { AdmissionError, type Admission } from './controllers-admission.ts';

/** A request for a resource, parsed from its path. */
export interface ResourceRoute {
  info: ResourceInfo;
  /** The store's type name ('events' for both Event APIs). */
  type: string;
  /** '' for cluster-scoped types and for lists across all namespaces. */
  namespace: string;
  name?: string;
  subresource?: string;
  watch: boolean;
}

export interface ResourceApiOptions {
  store: ObjectStore;
  faults: Faults;
  /** Consulted on every create and update of an object (not its status), dry runs included. */
  admission: Admission;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs: number;
}

const FIELD_LABELS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
  namespaces: ['status.phase'],
  nodes: ['spec.unschedulable'],
  'replicasets.apps': ['status.replicas'],
  'jobs.batch': ['status.successful'],
  services: ['spec.clusterIP', 'spec.type'],
};

export class ResourceApi {
  readonly #store: ObjectStore;
  readonly #faults: Faults;
  readonly #admission: Admission;
  readonly #bookmarkIntervalMs: number;

  constructor(options: ResourceApiOptions) {
    this.#store = options.store;
    this.#faults = options.faults;
    this.#admission = options.admission;
    this.#bookmarkIntervalMs = options.bookmarkIntervalMs;
  }

  /** `cutWatchAfter`: a fault rule's afterEvents, for a watch request. */
  async handle(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, url: URL, cutWatchAfter?: number): Promise<void> {
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    const sub = route.subresource;
    if (sub && sub !== 'status' && !(sub === 'scale' && route.info.scale)) throw notFoundResource();
    if (sub === 'status' && !route.info.status) throw notFoundResource();
    if (route.info.namespaced && !route.namespace && (route.name || method !== 'GET')) throw notFoundResource();
    if (!route.name) {
      if (method === 'GET') return route.watch || flag(q, 'watch') ? this.#watch(route, req, res, q, cutWatchAfter) : this.#list(route, req, res, q);
      if (method === 'POST') return this.#create(route, req, res, q);
      if (method === 'DELETE') return this.#deleteCollection(route, req, res, q);
      throw methodNotAllowed();
    }
    if (route.watch) return this.#watch(route, req, res, q, cutWatchAfter);
    if (sub === 'scale') return this.#scale(route, req, res, q);
    switch (method) {
      case 'GET':
        return this.#get(route, req, res, q);
      case 'PUT':
        return this.#update(route, req, res, q);
      case 'PATCH':
        return this.#patch(route, req, res, q);
      case 'DELETE':
        if (sub) throw methodNotAllowed();
        return this.#delete(route, req, res, q);
      default:
        throw methodNotAllowed();
    }
  }

  // ---- reads ----

  #view(route: ResourceRoute, stored: KubeObject): KubeObject {
    if (route.info.storedAs === 'events') return coreToEventsV1(stored);
    return { ...stored, apiVersion: apiVersionOf(route.info), kind: route.info.kind };
  }

  #unview(route: ResourceRoute, viewed: KubeObject): KubeObject {
    const obj = route.info.storedAs === 'events' ? eventsV1ToCore(viewed) : { ...viewed };
    obj.apiVersion = route.info.storedAs === 'events' ? 'v1' : apiVersionOf(route.info);
    obj.kind = route.info.kind;
    return obj;
  }

  #get(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const obj = this.#store.mustGet(route.type, route.namespace, route.name!);
    const view = this.#view(route, obj);
    if (wantsTable(req.headers.accept)) {
      return sendJson(res, 200, toTable(route.type, [obj], { resourceVersion: obj.metadata.resourceVersion }, includeObject(q)));
    }
    sendJson(res, 200, view);
  }

  /** The filter of ?labelSelector= and ?fieldSelector=, evaluated on the stored form. */
  #selector(route: ResourceRoute, q: URLSearchParams): (obj: KubeObject) => boolean {
    try {
      const labels = q.get('labelSelector') ? parseLabelSelector(q.get('labelSelector')!) : () => true;
      const fields = q.get('fieldSelector') ? parseFieldSelector(q.get('fieldSelector')!) : [];
      const allowed = new Set(['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[route.type] ?? [])]);
      const checks = fields.map((f) => {
        const field = route.info.storedAs === 'events' ? coreFieldName(f.field) : f.field;
        if (!allowed.has(field)) throw badRequest(`field label not supported: ${f.field}`);
        const path = route.type === 'events' && field === 'source' ? 'source.component' : field;
        return (o: KubeObject) => (fieldValue(o, path) === f.value) === (f.op === '=');
      });
      return (o) => labels(o.metadata.labels) && checks.every((c) => c(o));
    } catch (err) {
      if (err instanceof SelectorError) throw badRequest(err.message);
      throw err;
    }
  }

  #list(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const filter = this.#selector(route, q);
    const { items, resourceVersion } = this.#store.list(route.type, { namespace: route.namespace || undefined, filter });
    const limit = Number(q.get('limit') ?? 0);
    let start = 0;
    const token = q.get('continue');
    if (token) {
      const after = decodeContinue(token);
      start = items.findIndex((o) => itemKey(o) > after);
      if (start < 0) start = items.length;
    }
    const page = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
    const rest = items.length - start - page.length;
    const meta: Record<string, unknown> = { resourceVersion };
    if (rest > 0 && page.length) {
      meta.continue = encodeContinue(itemKey(page[page.length - 1]!));
      meta.remainingItemCount = rest;
    }
    if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(route.type, page, meta, includeObject(q)));
    sendJson(res, 200, {
      kind: `${route.info.kind}List`,
      apiVersion: apiVersionOf(route.info),
      metadata: meta,
      items: page.map((o) => {
        // Items of a list carry no apiVersion/kind in a real server's answer.
        const { apiVersion: _a, kind: _k, ...rest } = this.#view(route, o);
        return rest;
      }),
    });
  }

  #watch(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, cutAfter: number | undefined): void {
    const filter = this.#selector(route, q);
    if (route.name) {
      const name = route.name;
      const inner = filter;
      route = { ...route, name: undefined };
      const byName = (o: KubeObject) => o.metadata.name === name && inner(o);
      return this.#watchWith(route, req, res, q, byName, cutAfter);
    }
    this.#watchWith(route, req, res, q, filter, cutAfter);
  }

  #watchWith(
    route: ResourceRoute,
    req: IncomingMessage,
    res: ServerResponse,
    q: URLSearchParams,
    filter: (o: KubeObject) => boolean,
    cutAfter: number | undefined,
  ): void {
    const table = wantsTable(req.headers.accept);
    const include = includeObject(q);
    const bookmarks = flag(q, 'allowWatchBookmarks');
    const rv = q.get('resourceVersion') ?? '';
    const initial = rv === '' || rv === '0' || flag(q, 'sendInitialEvents');
    const namespace = route.namespace || undefined;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let closed = false;

    const write = (type: string, object: unknown, then?: () => void) => {
      res.write(`${JSON.stringify({ type, object })}\n`, then);
    };
    const writeObject = (type: string, obj: KubeObject) => {
      // A fault cutting the watch after this event lets the event reach the client first.
      const last = cutAfter !== undefined && --cutAfter <= 0;
      const then = last ? () => cut(true) : undefined;
      if (last) cleanup();
      if (table) write(type, toTable(route.type, [obj], { resourceVersion: obj.metadata.resourceVersion }, include), then);
      else write(type, this.#view(route, obj), then);
    };
    const bookmark = (annotations?: Record<string, string>) =>
      write('BOOKMARK', {
        kind: route.info.kind,
        apiVersion: apiVersionOf(route.info),
        metadata: { resourceVersion: this.#store.resourceVersion, ...(annotations ? { annotations } : {}) },
      });

    let from = rv;
    let initialObjects: KubeObject[] = [];
    if (initial) {
      const list = this.#store.list(route.type, { namespace, filter });
      initialObjects = list.items;
      from = list.resourceVersion;
    }
    let stopWatch: (() => void) | undefined;
    try {
      stopWatch = this.#store.watch(route.type, { namespace, resourceVersion: from, filter }, (e) => {
        if (!closed) writeObject(e.type, e.object);
      });
    } catch (err) {
      if (!(err instanceof StoreError) || err.reason !== 'Gone') throw err;
      // A real server answers 200 and sends the 410 as an ERROR event, which is what clients re-list on.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      write('ERROR', statusOf(err));
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const timers: NodeJS.Timeout[] = [];
    const unregister = this.#faults.openWatch(path, (abrupt) => cut(abrupt));
    const cleanup = () => {
      if (closed) return;
      closed = true;
      stopWatch?.();
      unregister();
      for (const t of timers) clearTimeout(t);
    };
    function cut(abrupt: boolean) {
      cleanup();
      if (abrupt) res.socket?.destroy();
      else res.end();
    }
    req.on('close', cleanup);
    res.on('close', cleanup);
    for (const obj of initialObjects) if (!closed) writeObject('ADDED', obj);
    if (!closed && bookmarks && flag(q, 'sendInitialEvents')) bookmark({ 'k8s.io/initial-events-end': 'true' });
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? 0) || 1800 + Math.floor(Math.random() * 1800);
    timers.push(setTimeout(() => cut(false), timeoutSeconds * 1000));
    if (bookmarks) {
      const tick = () => {
        if (closed) return;
        bookmark();
        timers.push(setTimeout(tick, this.#bookmarkIntervalMs));
      };
      timers.push(setTimeout(tick, this.#bookmarkIntervalMs));
    }
  }

  // ---- writes ----

  #manager(req: IncomingMessage, q: URLSearchParams): string {
    const explicit = q.get('fieldManager');
    if (explicit) return explicit;
    const agent = String(req.headers['user-agent'] ?? 'unknown');
    return agent.split('/')[0]!.slice(0, 128) || 'unknown';
  }

  #scope(route: ResourceRoute): FieldScope {
    if (!route.info.status) return 'all';
    return route.subresource === 'status' ? 'status' : 'main';
  }

  /** Stores `next` (the stored form) as a create or an update of `old`; returns the result and whether it was created. */
  #commit(
    route: ResourceRoute,
    args: { old: KubeObject | undefined; next: KubeObject; manager: string; applied?: boolean; dryRun: boolean },
  ): KubeObject {
    const { old } = args;
    let next = structuredClone(args.next);
    const scope = this.#scope(route);
    next.metadata = { ...(next.metadata ?? {}) };
    if (route.info.namespaced) next.metadata.namespace = route.namespace;
    else delete next.metadata.namespace;
    if (!old) this.#requireNamespace(route);
    if (scope === 'status' && old) {
      const precondition = next.metadata.resourceVersion;
      next = { ...structuredClone(old), status: next.status };
      next.metadata.resourceVersion = precondition;
      if (args.applied) next.metadata.managedFields = args.next.metadata.managedFields;
    } else if (scope === 'main') {
      const status = old ? old.status : initialStatus(route.type, next);
      if (status === undefined) delete next.status;
      else next.status = structuredClone(status);
    }
    const uid = old?.metadata.uid ?? randomUUID();
    if (scope !== 'status') {
      next.metadata.uid = uid;
      applyDefaults(route.type, next);
      const problem = validate(route.type, route.info, next, old);
      if (problem) throw problem;
      this.#admit(route, next);
    }
    const now = timestamp();
    if (!args.applied) {
      next.metadata.managedFields = recordUpdate({ old, next, manager: args.manager, apiVersion: apiVersionOf(route.info), scope, now });
    }
    if (old && unchanged(old, next)) {
      if (next.metadata.resourceVersion && next.metadata.resourceVersion !== old.metadata.resourceVersion) {
        return this.#store.update(route.type, next); // lets the store answer the Conflict
      }
      return old;
    }
    if (args.dryRun) {
      return {
        ...next,
        metadata: { ...next.metadata, uid, creationTimestamp: old?.metadata.creationTimestamp ?? now, resourceVersion: old?.metadata.resourceVersion },
      };
    }
    if (!next.metadata.managedFields?.length) delete next.metadata.managedFields;
    return old ? this.#store.update(route.type, next) : this.#store.create(route.type, next, { uid });
  }

  /** Validating admission after validation, as on a real server: a refusal is 403 Forbidden with the hook's message. */
  #admit(route: ResourceRoute, next: KubeObject): void {
    try {
      this.#admission.admit(route.type, next, this.#store);
    } catch (err) {
      if (!(err instanceof AdmissionError)) throw err;
      throw new ApiError(403, 'Forbidden', err.message, { name: next.metadata.name ?? '', kind: route.info.resource, ...(route.info.group ? { group: route.info.group } : {}) });
    }
  }

  #requireNamespace(route: ResourceRoute): void {
    if (!route.info.namespaced) return;
    const ns = this.#store.get('namespaces', '', route.namespace);
    if (!ns) throw new ApiError(404, 'NotFound', `namespaces "${route.namespace}" not found`, { name: route.namespace, kind: 'namespaces' });
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${route.info.resource} "${route.name ?? ''}" is forbidden: unable to create new content in namespace ${route.namespace} because it is being terminated`,
      );
    }
  }

  async #body(route: ResourceRoute, req: IncomingMessage): Promise<KubeObject> {
    const body = await readObject(req);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request must be an object');
    const obj = body as KubeObject;
    obj.metadata ??= {};
    const expected = apiVersionOf(route.info);
    if (obj.apiVersion && obj.apiVersion !== expected) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (obj.kind && obj.kind !== route.info.kind && route.subresource !== 'scale') {
      throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${route.info.kind})`);
    }
    if (route.info.namespaced && obj.metadata.namespace && obj.metadata.namespace !== route.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    return obj;
  }

  async #create(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const body = await this.#body(route, req);
    const next = this.#unview(route, body);
    const stored = this.#commit(route, { old: undefined, next, manager: this.#manager(req, q), dryRun: q.get('dryRun') === 'All' });
    sendJson(res, 201, this.#view(route, stored));
  }

  async #update(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const body = await this.#body(route, req);
    if (body.metadata.name && body.metadata.name !== route.name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${route.name})`);
    }
    body.metadata.name = route.name;
    const old = this.#store.mustGet(route.type, route.namespace, route.name!);
    const stored = this.#commit(route, { old, next: this.#unview(route, body), manager: this.#manager(req, q), dryRun: q.get('dryRun') === 'All' });
    sendJson(res, 200, this.#view(route, stored));
  }

  async #patch(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const type = mediaType(req.headers['content-type']);
    const dryRun = q.get('dryRun') === 'All';
    if (type === 'application/apply-patch+yaml') return this.#apply(route, req, res, q, dryRun);
    if (flag(q, 'force')) {
      throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    }
    const patch = await readObject(req);
    const old = this.#store.mustGet(route.type, route.namespace, route.name!);
    const current = this.#view(route, old);
    let patched: unknown;
    if (type === 'application/json-patch+json') patched = jsonPatch(current, patch);
    else if (type === 'application/merge-patch+json') patched = mergePatch(current, patch);
    else if (type === 'application/strategic-merge-patch+json') patched = strategicMergePatch(current, patch);
    else {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
    }
    const next = this.#unview(route, patched as KubeObject);
    if (next.metadata?.name !== route.name) next.metadata = { ...next.metadata, name: route.name };
    const stored = this.#commit(route, { old, next, manager: this.#manager(req, q), dryRun });
    sendJson(res, 200, this.#view(route, stored));
  }

  async #apply(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, dryRun: boolean): Promise<void> {
    const manager = q.get('fieldManager');
    if (!manager) {
      throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    const body = await this.#body(route, req);
    if (!body.apiVersion || !body.kind) {
      throw badRequest(`error decoding YAML: Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    }
    if (body.metadata.name && body.metadata.name !== route.name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${route.name})`);
    }
    body.metadata.name = route.name;
    const old = this.#store.get(route.type, route.namespace, route.name!);
    if (!old && route.subresource) throw notFoundFor(route);
    const applied = this.#unview(route, body);
    const merged = serverSideApply({
      live: old,
      applied,
      manager,
      force: flag(q, 'force'),
      apiVersion: apiVersionOf(route.info),
      scope: this.#scope(route),
      now: timestamp(),
    });
    merged.apiVersion = applied.apiVersion;
    merged.kind = applied.kind;
    if (body.metadata.resourceVersion) merged.metadata.resourceVersion = body.metadata.resourceVersion;
    else if (old) merged.metadata.resourceVersion = undefined;
    const stored = this.#commit(route, { old, next: merged, manager, applied: true, dryRun });
    sendJson(res, old ? 200 : 201, this.#view(route, stored));
  }

  async #delete(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const options = await deleteOptions(req, q);
    const obj = this.#store.mustGet(route.type, route.namespace, route.name!);
    const policy = options.propagationPolicy;
    if (policy && !['Orphan', 'Foreground', 'Background'].includes(policy)) {
      throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
    }
    if (options.dryRun) return sendJson(res, 200, this.#view(route, obj));
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== obj.metadata.uid) this.#store.delete(route.type, route.namespace, route.name!, pre); // throws the Conflict
    if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) this.#store.delete(route.type, route.namespace, route.name!, pre);
    const finalizer = policy === 'Orphan' ? ORPHAN : policy === 'Foreground' ? FOREGROUND : undefined;
    if (finalizer && !obj.metadata.deletionTimestamp) {
      this.#store.mutate(route.type, route.namespace, route.name!, (o) => {
        o.metadata.finalizers = [...new Set([...(o.metadata.finalizers ?? []), finalizer])];
      });
    }
    const result = this.#store.delete(route.type, route.namespace, route.name!);
    if (this.#store.get(route.type, route.namespace, route.name!)) return sendJson(res, 202, this.#view(route, result));
    sendStatus(res, {
      ...success({ name: route.name!, ...(route.info.group ? { group: route.info.group } : {}), kind: route.info.resource, uid: obj.metadata.uid ?? '' }),
    });
  }

  async #deleteCollection(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const options = await deleteOptions(req, q);
    const filter = this.#selector(route, q);
    const { items } = this.#store.list(route.type, { namespace: route.namespace || undefined, filter });
    const deleted: KubeObject[] = [];
    for (const o of items) {
      if (options.dryRun) {
        deleted.push(o);
        continue;
      }
      try {
        deleted.push(this.#store.delete(route.type, o.metadata.namespace ?? '', o.metadata.name ?? ''));
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
      }
    }
    sendJson(res, 200, {
      kind: `${route.info.kind}List`,
      apiVersion: apiVersionOf(route.info),
      metadata: { resourceVersion: this.#store.resourceVersion },
      items: deleted.map((o) => this.#view(route, o)),
    });
  }

  // ---- /scale ----

  async #scale(route: ResourceRoute, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const old = this.#store.mustGet(route.type, route.namespace, route.name!);
    const current = toScale(old);
    if (method === 'GET') return sendJson(res, 200, current);
    let wanted: KubeObject;
    if (method === 'PUT') wanted = (await readObject(req)) as KubeObject;
    else if (method === 'PATCH') {
      const type = mediaType(req.headers['content-type']);
      const patch = await readObject(req);
      if (type === 'application/json-patch+json') wanted = jsonPatch(current, patch) as KubeObject;
      else if (type === 'application/apply-patch+yaml') wanted = mergePatch(current, patch) as KubeObject;
      else wanted = mergePatch(current, patch) as KubeObject;
    } else throw methodNotAllowed();
    const replicas = (wanted.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || replicas < 0) {
      throw new ApiError(422, 'Invalid', `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`);
    }
    if (wanted.metadata?.resourceVersion && wanted.metadata.resourceVersion !== old.metadata.resourceVersion) {
      this.#store.update(route.type, { ...old, metadata: { ...old.metadata, resourceVersion: wanted.metadata.resourceVersion } });
    }
    const next = structuredClone(old);
    next.spec = { ...(next.spec as object), replicas };
    next.metadata.resourceVersion = undefined;
    const mainRoute = { ...route, subresource: undefined };
    const stored = this.#commit(mainRoute, { old, next, manager: this.#manager(req, q), dryRun: q.get('dryRun') === 'All' });
    sendJson(res, 200, toScale(stored));
  }
}

function toScale(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (obj.status ?? {}) as { replicas?: number };
  const selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const out: DeleteOptions = {};
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > 0 || req.headers['transfer-encoding']) {
    const body = (await readObject(req).catch(() => ({}))) as Record<string, unknown>;
    if (typeof body.propagationPolicy === 'string') out.propagationPolicy = body.propagationPolicy;
    if (body.preconditions && typeof body.preconditions === 'object') out.preconditions = body.preconditions as DeleteOptions['preconditions'];
    if (Array.isArray(body.dryRun) && body.dryRun.includes('All')) out.dryRun = true;
  }
  if (q.get('propagationPolicy')) out.propagationPolicy = q.get('propagationPolicy')!;
  if (q.get('dryRun') === 'All') out.dryRun = true;
  return out;
}

/** Same content apart from managedFields timestamps: a real server does not write such an update. */
function unchanged(old: KubeObject, next: KubeObject): boolean {
  const norm = (o: KubeObject) => {
    const c = JSON.parse(JSON.stringify(o)) as KubeObject;
    delete c.metadata.resourceVersion;
    delete c.metadata.generation;
    c.metadata.managedFields = (c.metadata.managedFields ?? []).map(({ time: _t, ...rest }) => rest);
    if (!c.metadata.managedFields.length) delete c.metadata.managedFields;
    return c;
  };
  return isDeepStrictEqual(norm(old), norm(next));
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function itemKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function encodeContinue(after: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', start: after })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: unknown };
    if (typeof parsed.start === 'string') return parsed.start;
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

export function notFoundResource(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

function notFoundFor(route: ResourceRoute): ApiError {
  const qualified = typeName(route.info);
  return new ApiError(404, 'NotFound', `${qualified} "${route.name}" not found`, {
    name: route.name,
    ...(route.info.group ? { group: route.info.group } : {}),
    kind: route.info.resource,
  });
}
