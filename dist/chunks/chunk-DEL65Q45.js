import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  SavedState,
  revertDeploy
} from "./chunk-JM7NQNO2.js";
import {
  TagMovedError,
  confirmTargetTags,
  currentManifest,
  formatLeftovers,
  moveTargetTag,
  movesBeforeVerify,
  previousOf
} from "./chunk-BT5J6BEI.js";
import {
  KubeApiError,
  connectCluster,
  groupVersionPath,
  knownResource,
  resourcesOf
} from "./chunk-GRWIMLBM.js";
import {
  APPLY_GROUPS,
  CONTAINER_LISTS,
  applyGroupOf,
  crdScopes,
  dig,
  kindKey,
  objectKey,
  pinImages,
  podSpecPath,
  readManifests
} from "./chunk-QALRVUOD.js";
import {
  trackRollout,
  workloadsOf
} from "./chunk-TVX7SFGC.js";
import {
  insecureRepository,
  registryLookup
} from "./chunk-E6PAOL2G.js";
import {
  build
} from "./chunk-5BA2XP4Z.js";
import {
  connectionErrorCode
} from "./chunk-YGQTKYOF.js";
import {
  silentLogger
} from "./chunk-RPF3FRJ4.js";
import {
  formatChangesText
} from "./chunk-3V7TI2RJ.js";
import {
  ConflictError,
  describeRef,
  refOf
} from "./chunk-DKP2MMLE.js";
import {
  formatSmokeResult
} from "./chunk-JCACNWR7.js";
import {
  suggestion
} from "./chunk-QAZIYCV3.js";
import {
  isPlainObject
} from "./chunk-LIPN2H4P.js";
import {
  require_dist
} from "./chunk-ZT2TC3RN.js";
import {
  formatDuration
} from "./chunk-R7NFTJUE.js";
import {
  parseBuildVersion,
  renderVersionTags
} from "./chunk-MCV24WYC.js";
import {
  BlockedError,
  InputError
} from "./chunk-FNCNTWIO.js";
import {
  __toESM
} from "./chunk-K5Q2ZJ2S.js";

// src/commands/deploy.ts
import { dirname } from "node:path";

// src/config/locate.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFileSync } from "node:fs";
var SEGMENT = /([A-Za-z_][\w-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
function locateInConfig(problems, configFile) {
  if (!problems.some((p) => p.file === void 0 && p.field)) return [...problems];
  let text;
  try {
    text = readFileSync(configFile, "utf8");
  } catch {
    return [...problems];
  }
  let lines = new import_yaml.LineCounter(), doc = (0, import_yaml.parseDocument)(text, { lineCounter: lines });
  return problems.map((p) => {
    if (p.file !== void 0 || !p.field) return p;
    let offset = offsetOf(doc.contents, segmentsOf(p.field));
    if (offset === void 0) return p;
    let { line, col } = lines.linePos(offset);
    return { ...p, file: configFile, line, column: col };
  });
}
function segmentsOf(field) {
  return [...field.matchAll(SEGMENT)].map((m) => m[2] !== void 0 ? Number(m[2]) : m[1] ?? JSON.parse(`"${m[3]}"`));
}
function offsetOf(root, path) {
  let node = root, found;
  for (let segment2 of path)
    if ((0, import_yaml.isMap)(node) && typeof segment2 == "string") {
      let pair = node.items.find((item) => (0, import_yaml.isScalar)(item.key) && String(item.key.value) === segment2);
      if (!pair) break;
      found = pair.key.range?.[0] ?? found, node = pair.value;
    } else if ((0, import_yaml.isSeq)(node) && typeof segment2 == "number") {
      let item = node.items[segment2];
      if (!item) break;
      found = item.range?.[0] ?? found, node = item;
    } else
      break;
  return found;
}

// src/kube/apply/bounded.ts
async function settleBounded(items, limit, work, options = {}) {
  let results = new Array(items.length).fill(void 0), next = 0, failed = !1, worker = async () => {
    for (; next < items.length && !(failed && options.stopOnFailure); ) {
      let index = next++;
      try {
        results[index] = { status: "fulfilled", value: await work(items[index], index) };
      } catch (reason) {
        failed = !0, results[index] = { status: "rejected", reason };
      }
    }
  };
  return await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker)), results;
}
async function mapBounded(items, limit, work) {
  let settled = await settleBounded(items, limit, work, { stopOnFailure: !0 }), failure = settled.find((r) => r?.status === "rejected");
  if (failure) throw failure.reason;
  return settled.map((r) => r.value);
}

// src/kube/manifests/order.ts
function orderForApply(objects) {
  return groupBy(objects, (o) => o);
}
function groupBy(items, objectOf) {
  let groups = new Map(APPLY_GROUPS.map((name) => [name, []]));
  for (let item of items) groups.get(applyGroupOf(objectOf(item))).push(item);
  return APPLY_GROUPS.filter((name) => groups.get(name).length > 0).map((name) => ({ name, objects: groups.get(name) }));
}

// src/kube/apply/diff.ts
import { isDeepStrictEqual } from "node:util";
var MAX_PATHS = 20, SERVER_METADATA = /* @__PURE__ */ new Set(["managedFields", "resourceVersion", "generation", "creationTimestamp", "uid", "selfLink"]);
function describeChange(live, result) {
  let ref = refOf(result), secret = result.kind === "Secret" && result.apiVersion === "v1", images = imageChanges(live, result), replicas = replicaChange(live, result);
  if (!live) return { ref, action: "create", images, ...replicas ? { replicas } : {}, keys: [], ...secret ? { secret } : {}, paths: [] };
  let keys = keyChanges(live, result), ignored = ignoredPath(result), all = [];
  changedPaths(comparable(live), comparable(result), [], all, ignored);
  let paths = all.slice(0, MAX_PATHS), changed = images.length > 0 || replicas !== void 0 || keys.length > 0 || all.length > 0;
  return {
    ref,
    action: changed ? "change" : "unchanged",
    images,
    ...replicas ? { replicas } : {},
    keys,
    ...secret ? { secret } : {},
    paths,
    ...all.length > paths.length ? { morePaths: all.length - paths.length } : {}
  };
}
function refusedChange(object, message, fields = []) {
  return { ref: refOf(object), action: "refused", images: [], keys: [], paths: [], note: message, ...fields.length ? { refusedFields: [...fields] } : {} };
}
function overlay(live, desired) {
  let merged = merge(live, desired);
  if (desired.kind === "Secret" && isRecord(desired.stringData)) {
    let data = { ...isRecord(merged.data) ? merged.data : {} };
    for (let [key, value] of Object.entries(desired.stringData)) data[key] = Buffer.from(String(value)).toString("base64");
    merged.data = data, delete merged.stringData;
  }
  return merged;
}
function merge(base, top) {
  if (isRecord(base) && isRecord(top)) {
    let out = { ...base };
    for (let [key, value] of Object.entries(top)) out[key] = key in base ? merge(base[key], value) : value;
    return out;
  }
  return Array.isArray(base) && Array.isArray(top) && namedItems(base) && namedItems(top) ? top.map((item) => {
    let match = base.find((b) => b.name === item.name);
    return match ? merge(match, item) : item;
  }) : top;
}
function imageChanges(live, result) {
  let before = live ? containerImages(live) : /* @__PURE__ */ new Map(), after = containerImages(result), out = [];
  for (let [container, to] of after) {
    let from = before.get(container);
    from !== to && out.push({ container, ...from !== void 0 ? { from } : {}, to });
  }
  for (let [container, from] of before) after.has(container) || out.push({ container, from });
  return out;
}
function containerImages(object) {
  let images = /* @__PURE__ */ new Map(), path = podSpecPath(object), spec = path ? dig(object, path) : void 0;
  for (let list of CONTAINER_LISTS) {
    let containers = spec?.[list];
    if (Array.isArray(containers))
      for (let c of containers) {
        if (!isRecord(c) || typeof c.image != "string") continue;
        let suffix = list === "containers" ? "" : list === "initContainers" ? " (init)" : " (ephemeral)";
        images.set(`${String(c.name)}${suffix}`, c.image);
      }
  }
  return images;
}
function replicaChange(live, result) {
  let replicasOf = (o) => {
    let spec = o?.spec;
    return isRecord(spec) && typeof spec.replicas == "number" ? spec.replicas : void 0;
  }, from = replicasOf(live), to = replicasOf(result);
  if (!(from === to || live === void 0 && to === void 0))
    return { ...from !== void 0 ? { from } : {}, ...to !== void 0 ? { to } : {} };
}
function keyChanges(live, result) {
  if (result.apiVersion !== "v1" || result.kind !== "ConfigMap" && result.kind !== "Secret") return [];
  let showValues = result.kind === "ConfigMap", out = [];
  for (let field of ["data", "binaryData"]) {
    let before = isRecord(live[field]) ? live[field] : {}, after = isRecord(result[field]) ? result[field] : {}, values = showValues && field === "data", text = (v) => typeof v == "string" ? v : JSON.stringify(v);
    for (let [key, to] of Object.entries(after))
      key in before ? isDeepStrictEqual(before[key], to) || out.push({ key, change: "changed", ...values ? { from: text(before[key]), to: text(to) } : {} }) : out.push({ key, change: "added", ...values ? { to: text(to) } : {} });
    for (let [key, from] of Object.entries(before))
      key in after || out.push({ key, change: "removed", ...values ? { from: text(from) } : {} });
  }
  return out;
}
function comparable(o) {
  let { status: _status, ...rest } = o, metadata = Object.fromEntries(Object.entries(o.metadata).filter(([k]) => !SERVER_METADATA.has(k)));
  return { ...rest, metadata };
}
function ignoredPath(o) {
  let dataFields = o.apiVersion === "v1" && (o.kind === "ConfigMap" || o.kind === "Secret") ? ["data", "binaryData", "stringData"] : [], spec = podSpecPath(o)?.join("."), image = spec ? new RegExp(`^${spec.replace(/\./g, "\\.")}\\.(?:${CONTAINER_LISTS.join("|")})\\[[^\\]]*\\]\\.image$`) : void 0;
  return (path) => dataFields.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`)) || path === "spec.replicas" || (image?.test(path) ?? !1);
}
function changedPaths(a, b, path, out, ignored) {
  let here = path.join("");
  if (!(here && ignored(here.replace(/^\./, ""))) && !isDeepStrictEqual(a, b)) {
    if (isRecord(a) && isRecord(b)) {
      for (let key of /* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)])) changedPaths(a[key], b[key], [...path, segment(key)], out, ignored);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      if (namedItems(a) && namedItems(b)) {
        let names = /* @__PURE__ */ new Set([...a.map((i) => String(i.name)), ...b.map((i) => String(i.name))]);
        for (let name of names) {
          let x = a.find((i) => String(i.name) === name), y = b.find((i) => String(i.name) === name);
          changedPaths(x, y, [...path, `[${name}]`], out, ignored);
        }
        return;
      }
      if (a.length === b.length) {
        a.forEach((item, i) => changedPaths(item, b[i], [...path, `[${i}]`], out, ignored));
        return;
      }
    }
    out.push(here.replace(/^\./, ""));
  }
}
function segment(key) {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
function namedItems(list) {
  return list.length === 0 || !list.every((i) => isRecord(i) && typeof i.name == "string") ? !1 : new Set(list.map((i) => i.name)).size === list.length;
}
function isRecord(v) {
  return typeof v == "object" && v !== null && !Array.isArray(v);
}

// src/kube/apply/preview.ts
var REFUSALS = /* @__PURE__ */ new Set(["Invalid", "Conflict", "Forbidden"]);
async function previewChanges(cluster, objects, live, options) {
  return mapBounded(objects, options.concurrency ?? 8, async (object) => {
    let current = live.get(objectKey(object));
    if (!current && !options.dryRunNew) return describeChange(void 0, object);
    try {
      let result = await cluster.apply(object, { fieldManager: options.fieldManager, force: options.force, dryRun: !0 });
      return describeChange(current, current ? result : object);
    } catch (err) {
      let message = err instanceof Error ? err.message : String(err);
      return REFUSALS.has(reasonOf(err)) ? refusedChange(object, message, err instanceof KubeApiError ? err.fields : []) : !current && reasonOf(err) === "NotFound" ? describeChange(void 0, object) : { ...describeChange(current, current ? overlay(current, object) : object), note: `computed locally, the server's dry run failed: ${message}` };
    }
  });
}
function reasonOf(err) {
  if (err instanceof Error && err.name === "ConflictError") return "Conflict";
  let reason = err?.reason;
  return typeof reason == "string" ? reason : "";
}

// src/kube/apply/snapshot.ts
var SERVER_METADATA2 = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"], CONTROLLER_ANNOTATIONS = ["deployment.kubernetes.io/revision"];
function restorable(live) {
  let { status: _status, ...rest } = structuredClone(live), metadata = { ...rest.metadata };
  for (let field of SERVER_METADATA2) delete metadata[field];
  if (metadata.annotations) {
    let annotations = { ...metadata.annotations };
    for (let key of CONTROLLER_ANNOTATIONS) delete annotations[key];
    Object.keys(annotations).length > 0 ? metadata.annotations = annotations : delete metadata.annotations;
  }
  return { ...rest, metadata };
}
function snapshotOf(objects, live, now = /* @__PURE__ */ new Date()) {
  return {
    takenAt: now.toISOString(),
    entries: objects.map((object) => {
      let found = live.get(objectKey(object));
      return found ? {
        ref: refOf(object),
        previous: restorable(found),
        ...found.metadata.uid !== void 0 ? { uid: found.metadata.uid } : {},
        ...found.metadata.resourceVersion !== void 0 ? { resourceVersion: found.metadata.resourceVersion } : {}
      } : { ref: refOf(object) };
    })
  };
}
function snapshotEntry(snapshot, ref) {
  let key = objectKey(ref);
  return snapshot.entries.find((e) => objectKey(e.ref) === key);
}
async function readLive(cluster, objects, concurrency = 8) {
  let declared = crdScopes(objects), live = /* @__PURE__ */ new Map(), unreadable = [], groups = /* @__PURE__ */ new Map();
  for (let object of objects) {
    let key = `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ""}`;
    groups.set(key, [...groups.get(key) ?? [], object]);
  }
  let reads = [...groups.values()].flatMap((group) => group.length >= LIST_FROM ? [group] : group.map((o) => [o]));
  return await mapBounded(reads, concurrency, async (group) => {
    let first = group[0];
    try {
      if (group.length === 1) {
        live.set(objectKey(first), await cluster.get(refOf(first)));
        return;
      }
      let { items } = await cluster.list(first.apiVersion, first.kind, first.metadata.namespace), byName = new Map(items.map((i) => [i.metadata.name, i]));
      for (let object of group) live.set(objectKey(object), byName.get(object.metadata.name));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      for (let object of group) {
        let ref = refOf(object);
        declared(object.apiVersion, object.kind) !== void 0 ? live.set(objectKey(object), void 0) : unreadable.push({ ref, message: err instanceof Error ? err.message : `get ${describeRef(ref)}: not found` });
      }
    }
  }), { live, unreadable };
}
var LIST_FROM = 4;
function isNotFound(err) {
  return err instanceof Error && err.reason === "NotFound";
}

// src/kube/apply/plan.ts
var FIELD_MANAGER = "rollgate";
async function planApply(cluster, objects, options) {
  let concurrency = options.concurrency ?? 8, groups = orderForApply(objects), ordered = groups.flatMap((g) => g.objects), { live, unreadable } = await readLive(cluster, ordered, concurrency), snapshot = snapshotOf(ordered, live, options.now), missing = new Map(unreadable.map((u) => [objectKey(u.ref), u.message])), readable = ordered.filter((o) => !missing.has(objectKey(o))), previewed = await previewChanges(cluster, readable, live, {
    fieldManager: options.fieldManager ?? FIELD_MANAGER,
    force: options.force,
    concurrency,
    dryRunNew: options.dryRunNew ?? !1
  }), byKey = new Map(previewed.map((c) => [objectKey(c.ref), c])), changes = ordered.map((o) => byKey.get(objectKey(o)) ?? refusedChange(o, missing.get(objectKey(o))));
  return { groups, snapshot, changes };
}
function refusals(plan) {
  return plan.changes.filter((c) => c.action === "refused");
}

// src/kube/apply/apply.ts
var CRD_ESTABLISHED_TIMEOUT_MS = 6e4;
async function applyPlan(cluster, plan, options) {
  let logger = options.logger ?? silentLogger, fieldManager = options.fieldManager ?? FIELD_MANAGER, applied = [], failures = [], skipped = [];
  for (let group of plan.groups) {
    if (failures.length > 0) {
      skipped.push(...group.objects.map(refOf));
      continue;
    }
    (await settleBounded(
      group.objects,
      options.concurrency ?? 8,
      async (object) => {
        let stored = await cluster.apply(object, { fieldManager, force: options.force });
        return applied.push({ ref: refOf(object), group: group.name, created: !snapshotEntry(plan.snapshot, refOf(object))?.previous, object: stored }), logger.debug(`applied ${describeRef(refOf(object))}`), isCrd(object) && await waitEstablished(cluster, stored, options.crdTimeoutMs ?? CRD_ESTABLISHED_TIMEOUT_MS), stored;
      },
      { stopOnFailure: !0 }
    )).forEach((result, i) => {
      let ref = refOf(group.objects[i]);
      if (result === void 0) skipped.push(ref);
      else if (result.status === "rejected") {
        let message = result.reason instanceof Error ? result.reason.message : String(result.reason);
        failures.push({ ref, group: group.name, message, error: result.reason }), logger.error(`apply ${describeRef(ref)} failed: ${message}`);
      }
    });
  }
  return { applied, failures, skipped };
}
function isCrd(object) {
  return kindKey(object.apiVersion, object.kind) === "apiextensions.k8s.io/CustomResourceDefinition";
}
function conditionOf(crd, type) {
  let conditions = crd.status?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c.type === type) : void 0;
}
async function waitEstablished(cluster, crd, timeoutMs) {
  let name = crd.metadata.name, verdict = (o) => {
    if (conditionOf(o, "Established")?.status === "True") return "established";
    let names = conditionOf(o, "NamesAccepted");
    if (names?.status === "False") return `CustomResourceDefinition ${name}: names not accepted: ${names.message ?? names.reason ?? "no reason given"}`;
  }, first = verdict(crd);
  if (first !== "established") {
    if (first !== void 0) throw new Error(first);
    await new Promise((resolve, reject) => {
      let watch, done = !1, last = crd, finish = (error) => {
        done || (done = !0, clearTimeout(timer), watch?.stop(), error ? reject(error) : resolve());
      }, timer = setTimeout(() => {
        let established = conditionOf(last, "Established"), why = established?.message ? `: ${established.message}` : "";
        finish(new Error(`CustomResourceDefinition ${name} was not Established within ${formatDuration(timeoutMs)}${why}`));
      }, timeoutMs);
      cluster.watch(
        crd.apiVersion,
        crd.kind,
        void 0,
        { fieldSelector: `metadata.name=${name}`, ...crd.metadata.resourceVersion ? { resourceVersion: crd.metadata.resourceVersion } : {} },
        (event) => {
          if (event.object.metadata.name !== name) return;
          if (event.type === "DELETED") return finish(new Error(`CustomResourceDefinition ${name} was deleted while waiting for it to be Established`));
          last = event.object;
          let v = verdict(event.object);
          v === "established" ? finish() : v !== void 0 && finish(new Error(v));
        },
        (err) => finish(err)
      ).then(
        (w) => {
          watch = w, done && w.stop();
        },
        (err) => finish(err instanceof Error ? err : new Error(String(err)))
      );
    });
  }
}

// src/kube/lock.ts
import { hostname } from "node:os";
var LEASE_API = "coordination.k8s.io/v1", DEFAULT_LEASE_SECONDS = 30, DEFAULT_RENEW_MS = 1e4, REREAD_WITHOUT_WATCH_MS = 2e3;
function runId(env = process.env) {
  let run2 = env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `.${env.GITHUB_RUN_ATTEMPT}` : ""}` : env.CI_JOB_ID ?? env.CI_PIPELINE_ID ?? "local";
  return `${hostname()}/${process.pid}/${run2}`;
}
function leaseName(environment) {
  return `rollgate-${environment.toLowerCase().replace(/[^a-z0-9.-]+/g, "-")}`.slice(0, 253);
}
function microTime(ms2) {
  return new Date(ms2).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
function leaseExpiry(spec) {
  if (!spec?.holderIdentity) return;
  let renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? "");
  return Number.isNaN(renewed) ? 0 : renewed + (spec.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS) * 1e3;
}
var DeployLock = class {
  name;
  holder;
  #options;
  #cluster;
  #logger;
  #duration;
  #renewMs;
  #lost = new AbortController();
  #lease;
  #timer;
  #lastRenewed = 0;
  #renewing;
  constructor(options) {
    this.#options = options, this.#cluster = options.cluster, this.#logger = options.logger ?? silentLogger, this.name = leaseName(options.environment), this.holder = options.holder ?? runId(), this.#duration = options.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS, this.#renewMs = options.renewIntervalMs ?? DEFAULT_RENEW_MS;
  }
  /** Aborted, with the reason, when a held lock is lost. */
  get signal() {
    return this.#lost.signal;
  }
  get held() {
    return this.#lease !== void 0;
  }
  /** Takes the lock, waiting for another run up to timeoutMs; then BlockedError naming the holder. */
  async acquire() {
    if (this.#lease) return;
    let started = Date.now(), deadline = started + this.#options.timeoutMs, announced = "", races = 0;
    for (; ; ) {
      let current = await this.#cluster.get(this.#ref()), taken = await this.#tryTake(current);
      if (taken) {
        this.#held(taken);
        return;
      }
      if (taken === !1) {
        if (++races >= 10) throw new Error(`the deploy lock Lease ${this.#options.namespace}/${this.name}: lost ${races} write races in a row; the API server's reads look stale`);
        continue;
      }
      races = 0;
      let spec = current.spec ?? {};
      if (Date.now() >= deadline)
        throw new BlockedError(
          `the deploy lock of environment "${this.#options.environment}" (Lease ${this.#options.namespace}/${this.name}) is held by ${describeHolder(spec)}; waited ${roughly(Date.now() - started)} (lockTimeout)`
        );
      announced !== spec.holderIdentity && (announced = spec.holderIdentity ?? "", this.#logger.info(`waiting for the deploy lock of "${this.#options.environment}": held by ${describeHolder(spec)}`)), await this.#waitForChange(current, Math.min(deadline, leaseExpiry(spec) ?? deadline));
    }
  }
  /** Gives the lock up (clears the holder, so a waiting run takes it at once). Safe to call when not held. */
  async release() {
    this.#stopRenewing(), await this.#renewing?.catch(() => {
    });
    let lease = this.#lease;
    if (this.#lease = void 0, !!lease)
      for (let attempt = 0; attempt < 3; attempt++) {
        let current = await this.#cluster.get(this.#ref());
        if (current?.spec?.holderIdentity !== this.holder) return;
        let { holderIdentity: _, ...rest } = current.spec;
        try {
          await this.#cluster.replace({ ...current, spec: { ...rest, renewTime: microTime(Date.now()) } });
          return;
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
      }
  }
  /** The Lease, now ours; null: nobody may take it yet; false: someone else wrote first (look again). */
  async #tryTake(current) {
    let now = Date.now(), spec = current?.spec ?? {}, mine = spec.holderIdentity === this.holder, expiry = leaseExpiry(spec);
    if (current && !mine && expiry !== void 0 && expiry > now) return null;
    let claim = {
      ...spec,
      holderIdentity: this.holder,
      leaseDurationSeconds: this.#duration,
      acquireTime: mine ? spec.acquireTime ?? microTime(now) : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (spec.leaseTransitions ?? 0) + (current && !mine && spec.holderIdentity ? 1 : 0)
    };
    try {
      return current ? (spec.holderIdentity && !mine && this.#logger.warn(`taking over the deploy lock of "${this.#options.environment}": ${describeHolder(spec)} has not renewed it`), await this.#cluster.replace({ ...current, spec: claim })) : await this.#cluster.create({
        apiVersion: LEASE_API,
        kind: "Lease",
        metadata: { name: this.name, namespace: this.#options.namespace, labels: { "app.kubernetes.io/managed-by": "rollgate" } },
        spec: claim
      });
    } catch (err) {
      if (err instanceof ConflictError) return !1;
      throw err instanceof KubeApiError && err.status === 404 && !current ? new Error(
        `the deploy lock of environment "${this.#options.environment}" lives in namespace "${this.#options.namespace}", which does not exist: apply the Namespace before taking the lock (${err.message})`
      ) : err;
    }
  }
  /** Resolves when the Lease changes, or at `until`, whichever is first. */
  async #waitForChange(lease, until) {
    let watch, timer, finished = !1;
    await new Promise((resolve) => {
      let done = () => {
        finished || (finished = !0, clearTimeout(timer), watch?.stop(), resolve());
      }, wakeAt = (at) => {
        clearTimeout(timer), timer = setTimeout(done, Math.max(0, at - Date.now()));
      };
      wakeAt(until);
      let degrade = (err) => {
        this.#logger.debug(`watching Lease ${this.#options.namespace}/${this.name}: ${err instanceof Error ? err.message : String(err)}`), wakeAt(Math.min(until, Date.now() + REREAD_WITHOUT_WATCH_MS));
      };
      this.#cluster.watch(LEASE_API, "Lease", this.#options.namespace, { fieldSelector: `metadata.name=${this.name}`, resourceVersion: lease.metadata.resourceVersion }, done, degrade).then((w) => finished ? w.stop() : void (watch = w), degrade);
    });
  }
  #held(lease) {
    this.#lease = lease, this.#lastRenewed = Date.now(), this.#logger.debug(`holding the deploy lock Lease ${this.#options.namespace}/${this.name} as ${this.holder}`), this.#timer = setInterval(() => {
      this.#renewing ??= this.#renew().finally(() => this.#renewing = void 0);
    }, this.#renewMs), this.#timer.unref();
  }
  async #renew() {
    let lease = this.#lease;
    if (lease)
      try {
        let base = lease;
        for (let attempt = 0; attempt < 3; attempt++) {
          if (base.spec?.holderIdentity !== this.holder) return this.#lose(`Lease ${this.#options.namespace}/${this.name} is now held by ${describeHolder(base.spec ?? {})}`);
          try {
            this.#lease = await this.#cluster.replace({ ...base, spec: { ...base.spec, renewTime: microTime(Date.now()) } }), this.#lastRenewed = Date.now();
            return;
          } catch (err) {
            if (!(err instanceof ConflictError)) throw err;
            let current = await this.#cluster.get(this.#ref());
            if (!current) return this.#lose(`Lease ${this.#options.namespace}/${this.name} was deleted`);
            base = current;
          }
        }
      } catch (err) {
        let silentFor = Date.now() - this.#lastRenewed;
        this.#logger.warn(`renewing the deploy lock: ${err instanceof Error ? err.message : String(err)}`), silentFor >= this.#duration * 1e3 && this.#lose(`not renewed for ${roughly(silentFor)}`);
      }
  }
  #lose(why) {
    if (!this.#lease) return;
    this.#stopRenewing(), this.#lease = void 0;
    let err = new Error(`lost the deploy lock of environment "${this.#options.environment}": ${why}`);
    this.#logger.error(err.message), this.#lost.abort(err), this.#options.onLost?.(err);
  }
  #stopRenewing() {
    clearInterval(this.#timer), this.#timer = void 0;
  }
  #ref() {
    return { apiVersion: LEASE_API, kind: "Lease", namespace: this.#options.namespace, name: this.name };
  }
};
function roughly(ms2) {
  return formatDuration(ms2 >= 1e3 ? Math.round(ms2 / 1e3) * 1e3 : ms2);
}
function describeHolder(spec) {
  let since = spec.acquireTime ? ` since ${spec.acquireTime.replace(/\.\d+Z$/, "Z")}` : "", renewed = spec.renewTime ? `, last renewed ${spec.renewTime.replace(/\.\d+Z$/, "Z")}` : "";
  return `${spec.holderIdentity ?? "nobody"}${since}${renewed}`;
}
async function acquireDeployLock(options) {
  let lock = new DeployLock(options);
  return await lock.acquire(), lock;
}

// src/kube/manifests/images-used.ts
function imagesUnusedProblem(images, env, manifests) {
  let probe = images.map((i) => ({ ...i, digest: `sha256:${"0".repeat(64)}` }));
  if (pinImages(manifests.map((m) => m.object), { images: probe, targetTag: env.targetTag }).pinned.length > 0) return;
  let wanted = images.map((i) => `${i.name} (${i.repository})`).join(" or "), containers = manifests.flatMap(containersOf), first = containers[0];
  if (!first) return { field: `environments.${env.name}.manifests`, message: `no container in the manifests of ${env.name} runs ${wanted}: they have no containers` };
  let runs = [...new Set(containers.map((c) => c.image))].join(", ");
  return {
    file: first.manifest.source.file,
    line: first.manifest.source.lineOf(first.path),
    field: first.field,
    message: `no container in the manifests of ${env.name} runs ${wanted}; they run ${runs}`
  };
}
function containersOf(manifest) {
  let specPath = podSpecPath(manifest.object);
  if (!specPath) return [];
  let podSpec = manifest.object;
  for (let key of specPath) podSpec = isPlainObject(podSpec) ? podSpec[key] : void 0;
  if (!isPlainObject(podSpec)) return [];
  let out = [];
  for (let list of CONTAINER_LISTS) {
    let containers = podSpec[list];
    if (Array.isArray(containers))
      for (let [i, c] of containers.entries())
        !isPlainObject(c) || typeof c.image != "string" || out.push({ manifest, path: [...specPath, list, i, "image"], field: `${specPath.join(".")}.${list}[${i}].image`, image: c.image });
  }
  return out;
}

// src/kube/manifests/served.ts
async function unservedKinds(manifests, cluster) {
  let declared = crdScopes(manifests.map((m) => m.object)), discovery = /* @__PURE__ */ new Map(), servedIn = (apiVersion) => {
    let pending = discovery.get(apiVersion);
    return pending || (pending = discover(cluster, apiVersion), discovery.set(apiVersion, pending)), pending;
  };
  return (await Promise.all(
    manifests.map(async ({ object, source }) => {
      let { apiVersion, kind: kind2 } = object;
      if (knownResource(apiVersion, kind2) || declared(apiVersion, kind2) !== void 0) return;
      let served = await servedIn(apiVersion), what = `${kind2} ${object.metadata.name}`;
      if (served.served === !1)
        return {
          file: source.file,
          line: source.lineOf(["apiVersion"]),
          field: "apiVersion",
          message: `${what}: the API server (context ${cluster.context}) does not serve ${apiVersion}${apiVersion.includes(".") ? " (is its CustomResourceDefinition installed?)" : ""}`
        };
      if (served.served === !0 && !served.kinds.includes(kind2))
        return {
          file: source.file,
          line: source.lineOf(["kind"]),
          field: "kind",
          message: `${what}: the API server (context ${cluster.context}) has no kind ${kind2} in ${apiVersion}${suggestion(kind2, served.kinds)}`
        };
    })
  )).filter((p) => p !== void 0);
}
async function discover(cluster, apiVersion) {
  try {
    let res = await cluster.request(groupVersionPath(apiVersion), { headers: { accept: "application/json" } });
    return res.status === 404 ? { served: !1 } : res.ok ? { served: !0, kinds: [...resourcesOf(await res.json()).keys()] } : { served: "unknown" };
  } catch {
    return { served: "unknown" };
  }
}

// src/kube/manifests/locate.ts
function locateInManifests(manifests, ref, fields = []) {
  let key = objectKey(ref), manifest = manifests.find((m) => objectKey(m.object) === key);
  if (!manifest) return;
  let field = fields.find((f) => f.trim() !== "");
  if (field === void 0) return { file: manifest.source.file, line: manifest.source.line };
  let name = field.replace(/^\./, "");
  return { file: manifest.source.file, line: manifest.source.lineOf(fieldPath(name, manifest.object)), field: name };
}
function fieldPath(field, object) {
  let path = [], at = object;
  for (let token of field.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    let step;
    if (!token.startsWith("[")) step = token;
    else {
      let inner = token.slice(1, -1), keyed = /^([^=]+)="?(.*?)"?$/.exec(inner);
      if (/^\d+$/.test(inner)) step = Number(inner);
      else if (keyed && Array.isArray(at)) {
        let index = at.findIndex((item) => String(item?.[keyed[1]]) === keyed[2]);
        step = index >= 0 ? index : void 0;
      } else step = inner;
    }
    if (step === void 0) break;
    path.push(step), at = at !== null && typeof at == "object" ? at[step] : void 0;
  }
  return path;
}

// src/smoke/clock.ts
import { setTimeout as delay } from "node:timers/promises";
var realClock = {
  now: () => performance.now(),
  sleep: (ms2, signal) => delay(ms2, void 0, { signal })
};

// src/smoke/command-step.ts
import { spawn } from "node:child_process";

// src/smoke/captures.ts
var REF = /(?<!\$)\{([A-Za-z_]\w*)\}/g, WHOLE_REF = /^\{([A-Za-z_]\w*)\}$/;
function fill(text, captures, encode = (v) => v) {
  return text.replace(REF, (whole, name) => {
    let value = captures.get(name);
    return value === void 0 ? whole : encode(value.text);
  });
}
function encodePathValue(value) {
  return value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (c) => encodeURIComponent(c));
}
function fillJson(value, captures) {
  if (typeof value == "string") {
    let whole = WHOLE_REF.exec(value), captured = whole ? captures.get(whole[1]) : void 0;
    return captured && "json" in captured ? captured.json : fill(value, captures);
  }
  return Array.isArray(value) ? value.map((v) => fillJson(v, captures)) : value && typeof value == "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, captures)])) : value;
}
function readCapture(source, from) {
  if (source === "body") return { text: from.body };
  if (source.startsWith("header.")) {
    let name = source.slice(7), value2 = from.headers.get(name);
    return value2 === null ? `the response has no ${name} header` : { text: value2 };
  }
  if (source.startsWith("cookie.")) {
    let name = source.slice(7), value2 = from.cookie(name);
    return value2 === void 0 ? `no cookie ${name} has been set` : { text: value2 };
  }
  let value;
  try {
    value = JSON.parse(from.body);
  } catch {
    return "the response is not JSON";
  }
  for (let key of jsonPath(source)) {
    let next = typeof key == "number" ? Array.isArray(value) ? value[key] : void 0 : isObject(value) ? value[key] : void 0;
    if (next === void 0) return `${source} is not in the response`;
    value = next;
  }
  return typeof value == "string" ? { text: value } : { text: JSON.stringify(value), json: value };
}
function jsonPath(source) {
  let keys = [];
  for (let m of source.slice(4).matchAll(/\.([^.[]+)|\[(\d+)\]/g))
    keys.push(m[1] !== void 0 ? m[1] : Number(m[2]));
  return keys;
}
function isObject(value) {
  return typeof value == "object" && value !== null && !Array.isArray(value);
}

// src/smoke/command-step.ts
var EX_TEMPFAIL = 75, OUTPUT_TAIL_CHARS = 8192;
function commandEnv(round, baseUrl, env) {
  let out = { ...env, SMOKE_BASE_URL: baseUrl, SMOKE_ROUND: String(round.number) };
  for (let [name, value] of round.captures) out[`SMOKE_${name.toUpperCase()}`] = value.text;
  return out;
}
function commandText(command) {
  return typeof command == "string" ? command : command.map((arg) => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
}
async function runCommandStep(step, round, ctx) {
  let argv = typeof step.command == "string" ? ["sh", "-c", fill(step.command, round.captures)] : step.command.map((a) => fill(a, round.captures)), shown = ctx.redactor.redact(commandText(step.command));
  if (ctx.signal.aborted) return { verdict: "cancelled" };
  let started = ctx.clock.now(), { exit, output } = await run(argv, commandEnv(round, ctx.baseUrl, ctx.env), ctx), latencyMs = ctx.clock.now() - started;
  if (exit.kind === "cancelled") return { verdict: "cancelled" };
  if (exit.kind === "exited" && exit.code === 0) return { verdict: "pass", latencyMs };
  let message = exit.kind === "timeout" ? `did not finish within ${ctx.timeoutMs} ms (killed)` : exit.kind === "error" ? `cannot run: ${exit.message}` : exit.kind === "signal" ? `killed by ${exit.signal}` : `exited with ${exit.code}${exit.code === EX_TEMPFAIL ? " (EX_TEMPFAIL: transient)" : ""}`;
  return {
    verdict: "fail",
    transient: exit.kind === "timeout" || exit.kind === "exited" && exit.code === EX_TEMPFAIL,
    latencyMs,
    detail: {
      message: ctx.redactor.redact(message),
      command: shown,
      ...exit.kind === "exited" ? { exitCode: exit.code } : {},
      ...output ? { responseExcerpt: ctx.redactor.redact(output).slice(-500) } : {}
    }
  };
}
function run(argv, env, ctx) {
  return new Promise((resolve) => {
    let output = "", stopped, child = spawn(argv[0], argv.slice(1), { env, cwd: ctx.cwd, detached: !0, stdio: ["ignore", "pipe", "pipe"] }), collect = (chunk) => {
      output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on("data", collect), child.stderr.on("data", collect);
    let kill = (why) => {
      stopped ??= why;
      try {
        child.pid !== void 0 && process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timer = setTimeout(() => kill("timeout"), ctx.timeoutMs), onAbort = () => kill("cancelled");
    ctx.signal.addEventListener("abort", onAbort, { once: !0 });
    let settled = !1, finish = (exit) => {
      settled || (settled = !0, clearTimeout(timer), ctx.signal.removeEventListener("abort", onAbort), resolve({ exit: stopped ? { kind: stopped } : exit, output }));
    };
    child.on("error", (err) => finish({ kind: "error", message: err.message })), child.on("exit", () => {
      setTimeout(() => {
        child.stdout.destroy(), child.stderr.destroy();
      }, 1e3).unref();
    }), child.on("close", (code, signal) => finish(signal ? { kind: "signal", signal } : { kind: "exited", code: code ?? 1 }));
  });
}

// src/smoke/cookie-jar.ts
var CookieJar = class {
  #cookies = /* @__PURE__ */ new Map();
  #now;
  constructor(now = Date.now) {
    this.#now = now;
  }
  /** Keeps what a response's Set-Cookie headers say, for a request to `requestPath` (the path, no query). */
  store(setCookies, requestPath) {
    let stored = [];
    for (let line of setCookies) {
      let cookie = parseSetCookie(line, requestPath, this.#now());
      if (!cookie) continue;
      let key = `${cookie.name}\0${cookie.path}`;
      if (cookie.expiresAt !== void 0 && cookie.expiresAt <= this.#now()) {
        this.#cookies.delete(key);
        continue;
      }
      this.#cookies.delete(key), this.#cookies.set(key, cookie), stored.push(cookie);
    }
    return stored;
  }
  /** The Cookie header for a request to `path`: longer paths first, then older first (RFC 6265 5.4). */
  header(path) {
    let matching = this.#live().filter((c) => pathMatches(path, c.path));
    return matching.sort((a, b) => b.path.length - a.path.length), matching.length > 0 ? matching.map((c) => `${c.name}=${c.value}`).join("; ") : void 0;
  }
  /** The value of cookie `name` (the most specific path, then the newest), as a capture reads it. */
  get(name) {
    let best;
    for (let c of this.#live()) c.name === name && (!best || c.path.length >= best.path.length) && (best = c);
    return best?.value;
  }
  #live() {
    let now = this.#now();
    return [...this.#cookies.values()].filter((c) => c.expiresAt === void 0 || c.expiresAt > now);
  }
};
function parseSetCookie(line, requestPath, now) {
  let [pair = "", ...attributes] = line.split(";"), eq = pair.indexOf("=");
  if (eq < 0) return;
  let name = pair.slice(0, eq).trim();
  if (!name) return;
  let cookie = { name, value: pair.slice(eq + 1).trim(), path: defaultPath(requestPath) }, maxAge, expires;
  for (let attribute of attributes) {
    let at = attribute.indexOf("="), key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase(), value = at < 0 ? "" : attribute.slice(at + 1).trim();
    if (key === "path" && value.startsWith("/")) cookie.path = value;
    else if (key === "max-age" && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === "expires") {
      let date = Date.parse(value);
      Number.isNaN(date) || (expires = date);
    }
  }
  return maxAge !== void 0 ? cookie.expiresAt = maxAge <= 0 ? now - 1 : now + maxAge * 1e3 : expires !== void 0 && (cookie.expiresAt = expires), cookie;
}
function defaultPath(requestPath) {
  if (!requestPath.startsWith("/")) return "/";
  let last = requestPath.lastIndexOf("/");
  return last <= 0 ? "/" : requestPath.slice(0, last);
}
function pathMatches(requestPath, cookiePath) {
  return requestPath === cookiePath ? !0 : requestPath.startsWith(cookiePath) ? cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/" : !1;
}

// src/smoke/forwarder.ts
import { createServer } from "node:http";

// src/smoke/transport.ts
var UnsendableRequest = class extends Error {
  name = "UnsendableRequest";
};
function urlTransport(url, fetchImpl = fetch) {
  let base = url.replace(/\/+$/, "");
  return {
    description: base,
    directUrl: base,
    send: (r) => fetchImpl(base + r.path, init(r))
  };
}
function init(r) {
  return {
    method: r.method,
    headers: r.headers,
    ...r.body !== void 0 ? { body: r.body } : {},
    signal: r.signal,
    redirect: "manual"
  };
}

// src/smoke/forwarder.ts
var NOT_FORWARDED = /* @__PURE__ */ new Set(["host", "connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "content-length", "content-encoding"]);
async function startForwarder(transport, requestTimeoutMs) {
  let server = createServer((req, res) => {
    (async () => {
      try {
        let body = await readBody(req), headers = new Headers();
        for (let [name, value] of Object.entries(req.headers))
          if (!(NOT_FORWARDED.has(name) || value === void 0))
            for (let v of Array.isArray(value) ? value : [value]) headers.append(name, v);
        let answer = await transport.send({
          method: req.method ?? "GET",
          path: req.url ?? "/",
          headers,
          ...body.length > 0 ? { body } : {},
          signal: AbortSignal.timeout(requestTimeoutMs)
        }), out = {};
        for (let [name, value] of answer.headers) name !== "set-cookie" && !NOT_FORWARDED.has(name) && (out[name] = value);
        let cookies = answer.headers.getSetCookie();
        cookies.length > 0 && (out["set-cookie"] = cookies);
        let bytes = Buffer.from(await answer.arrayBuffer());
        res.writeHead(answer.status, out).end(bytes);
      } catch (err) {
        let status = err instanceof UnsendableRequest ? 400 : 502;
        res.headersSent || res.writeHead(status, { "content-type": "text/plain" }), res.end(`rollgate smoke forwarder: ${err instanceof Error ? err.message : String(err)}
`);
      }
    })();
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject), server.listen(0, "127.0.0.1", resolve);
  });
  let { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections(), server.close(() => resolve());
    })
  };
}
async function readBody(req) {
  let chunks = [];
  for await (let chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// src/smoke/redact.ts
var SECRET_NAME = /token|passw|secret|session|cookie|csrf|auth|key|credential|bearer/i;
function isSecretName(name) {
  return SECRET_NAME.test(name);
}
var Redactor = class {
  #values = /* @__PURE__ */ new Set();
  #ordered = [];
  constructor(secrets = []) {
    for (let s of secrets) this.#add(s);
  }
  /** Hides a value learned at run time (a cookie, a captured token) from now on. */
  learn(value) {
    value.length >= 4 && this.#add(value);
  }
  redact(text) {
    let out = text;
    for (let value of this.#ordered) out.includes(value) && (out = out.replaceAll(value, "***"));
    return out;
  }
  /** Request headers for a report: credential-bearing ones hidden whole, the others with secrets hidden. */
  headers(headers) {
    let entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
    return Object.fromEntries(entries.map(([name, value]) => [name, isSecretName(name) ? "***" : this.redact(value)]));
  }
  #add(value) {
    if (value) {
      for (let form of [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), JSON.stringify(value).slice(1, -1)])
        form && this.#values.add(form);
      this.#ordered = [...this.#values].sort((a, b) => b.length - a.length);
    }
  }
};

// src/smoke/expect.ts
function statusAccepted(status, expected) {
  return expected ? expected.includes(status) : status >= 200 && status < 400;
}
function describeExpectedStatus(expected) {
  return expected ? expected.join(" or ") : "2xx or 3xx";
}
function isTransientStatus(status) {
  return status === 429 || status === 502 || status === 503 || status === 504;
}
function jsonMismatch(expected, actual, at = "$") {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at} is ${kind(actual)}, expected an array`;
    if (actual.length < expected.length) return `${at} has ${actual.length} items, expected at least ${expected.length}`;
    for (let [i, item] of expected.entries()) {
      let inner = jsonMismatch(item, actual[i], `${at}[${i}]`);
      if (inner) return inner;
    }
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return `${at} is ${kind(actual)}, expected an object`;
    for (let [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}.${key} is missing`;
      let inner = jsonMismatch(value, actual[key], `${at}.${key}`);
      if (inner) return inner;
    }
    return;
  }
  return Object.is(expected, actual) ? void 0 : `${at} is ${short(actual)}, expected ${short(expected)}`;
}
function kind(value) {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value == "object" ? "an object" : `${typeof value} ${short(value)}`;
}
function short(value) {
  let text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// src/smoke/request-step.ts
async function runRequestStep(step, round, ctx) {
  let { captures, jar } = round, { redactor, clock } = ctx, path = fill(step.path, captures, encodePathValue), pathOnly = path.split("?")[0], filled = (map) => Object.entries(map).map(([k, v]) => [k, fill(v, captures)]), query = new URLSearchParams(filled(step.query)).toString(), target = query ? `${path}${path.includes("?") ? "&" : "?"}${query}` : path, headers = new Headers();
  for (let [name, value] of Object.entries(step.headers)) headers.set(name, fill(value, captures));
  let body;
  step.form ? (body = new URLSearchParams(filled(step.form)).toString(), headers.has("content-type") || headers.set("content-type", "application/x-www-form-urlencoded")) : step.json !== void 0 && (body = JSON.stringify(fillJson(step.json, captures)), headers.has("content-type") || headers.set("content-type", "application/json"));
  let cookies = jar.header(pathOnly);
  cookies && headers.set("cookie", headers.has("cookie") ? `${headers.get("cookie")}; ${cookies}` : cookies);
  let request = () => ({ method: step.method, path: redactor.redact(target), headers: redactor.headers(headers) }), noAnswer = (transient, message) => ({ verdict: "fail", transient, detail: { message: redactor.redact(message), request: request() } }), timeout = AbortSignal.timeout(ctx.requestTimeoutMs), started = clock.now(), res, text;
  try {
    res = await ctx.transport.send({ method: step.method, path: target, headers, ...body !== void 0 ? { body } : {}, signal: AbortSignal.any([ctx.signal, timeout]) }), text = await res.text();
  } catch (err) {
    return ctx.signal.aborted ? { verdict: "cancelled" } : err instanceof UnsendableRequest ? noAnswer(!1, err.message) : timeout.aborted ? noAnswer(!0, `no answer within ${ctx.requestTimeoutMs} ms`) : noAnswer(connectionErrorCode(err) !== void 0, `no answer: ${errorText(err)}`);
  }
  let latencyMs = clock.now() - started;
  for (let cookie of jar.store(res.headers.getSetCookie(), pathOnly)) redactor.learn(cookie.value);
  let fail = (transient, message) => ({
    verdict: "fail",
    transient,
    latencyMs,
    detail: { message: redactor.redact(message), request: request(), status: res.status, responseExcerpt: redactor.redact(text).slice(0, 500) }
  });
  if (!statusAccepted(res.status, step.expect.status)) {
    let note = ctx.transport.explain?.(res.status, text);
    return fail(isTransientStatus(res.status), `status ${res.status}, expected ${describeExpectedStatus(step.expect.status)}${note ? `: ${note}` : ""}`);
  }
  if (step.expect.body !== void 0) {
    let wanted = fill(step.expect.body, captures);
    if (!text.includes(wanted)) return fail(!1, `the body does not contain "${wanted}"`);
  }
  if (step.expect.json !== void 0) {
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(!1, "the body is not JSON");
    }
    let mismatch = jsonMismatch(fillJson(step.expect.json, captures), json);
    if (mismatch) return fail(!1, `json: ${mismatch}`);
  }
  for (let [name, source] of Object.entries(step.capture)) {
    let value = readCapture(source, { headers: res.headers, body: text, cookie: (n) => jar.get(n) });
    if (typeof value == "string") return fail(!1, `capture ${name}: ${value}`);
    (isSecretName(name) || isSecretName(step.name) || source.startsWith("cookie.")) && redactor.learn(value.text), captures.set(name, value);
  }
  return { verdict: "pass", latencyMs };
}
function errorText(err) {
  if (!(err instanceof Error)) return String(err);
  let cause = err.cause instanceof Error ? err.cause.message : void 0;
  return cause && cause !== err.message ? `${err.message}: ${cause}` : err.message;
}

// src/smoke/stats.ts
function percentile(samples, p) {
  if (samples.length === 0) return 0;
  let sorted = [...samples].sort((a, b) => a - b), rank = Math.max(1, Math.ceil(p / 100 * sorted.length));
  return sorted[rank - 1];
}
function ms(value) {
  return Math.round(value);
}

// src/smoke/runner.ts
var DEFAULT_REQUEST_TIMEOUT_MS = 1e4, DEFAULT_COMMAND_TIMEOUT_MS = 3e4;
async function runSmoke(spec, options) {
  let clock = options.clock ?? realClock, signal = options.signal ?? new AbortController().signal, logger = options.logger ?? silentLogger, redactor = new Redactor(spec.secrets), tallies = new Map(spec.steps.map((s) => [s.name, { kind: s.kind, requests: 0, failures: 0, latencies: [] }])), latencies = [], tolerated = [], forwarder, baseUrl = async () => options.transport.directUrl ? options.transport.directUrl : (forwarder ??= await startForwarder(options.transport, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS), forwarder.url), runStep = async (step, round) => {
    let run2 = { clock, redactor, signal };
    return step.kind === "request" ? runRequestStep(step, round, { ...run2, transport: options.transport, requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS }) : runCommandStep(step, round, {
      ...run2,
      baseUrl: await baseUrl(),
      env: options.env ?? process.env,
      cwd: options.cwd,
      timeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS
    });
  }, runRound = async (number) => {
    let round = { number, jar: new CookieJar(), captures: /* @__PURE__ */ new Map() };
    for (let step of spec.steps) {
      let outcome = await runStep(step, round);
      if (outcome.verdict === "cancelled") return { kind: "cancelled" };
      let tally = tallies.get(step.name);
      if (tally.requests++, outcome.latencyMs !== void 0 && (tally.latencies.push(outcome.latencyMs), step.kind === "request" && latencies.push(outcome.latencyMs)), outcome.verdict === "fail")
        return tally.failures++, { kind: "failed", failure: { step: step.name, round: number, transient: outcome.transient, ...outcome.detail } };
    }
    return { kind: "passed" };
  }, start = clock.now(), rounds = 0, passedRounds = 0, firstFailure, cancelled = !1;
  try {
    let roundStart = start;
    for (; ; ) {
      if (signal.aborted) {
        cancelled = !0;
        break;
      }
      rounds++;
      let end = await runRound(rounds);
      if (end.kind === "cancelled") {
        cancelled = !0;
        break;
      }
      if (end.kind === "passed")
        passedRounds++, logger.debug(`smoke: round ${rounds} passed`);
      else if (!end.failure.transient || tolerated.length >= spec.maxFailures) {
        firstFailure = end.failure;
        break;
      } else
        tolerated.push(end.failure), logger.warn(`smoke: round ${rounds}, step "${end.failure.step}": ${end.failure.message} (transient, ${tolerated.length} of ${spec.maxFailures} tolerated)`);
      let next = roundStart + spec.intervalMs;
      if (next >= start + spec.durationMs) break;
      let wait = next - clock.now();
      if (wait > 0)
        try {
          await clock.sleep(wait, signal);
        } catch {
          cancelled = !0;
          break;
        }
      roundStart = Math.max(next, clock.now());
    }
  } finally {
    await forwarder?.close();
  }
  let result = summarize(spec, { tallies, latencies, rounds, passedRounds, cancelled, firstFailure, tolerated }, {
    target: options.transport.description,
    durationMs: clock.now() - start
  });
  return result.message = redactor.redact(result.message), result.passed ? logger.info(`smoke: ${result.message}`) : logger.error(`smoke: ${result.message}`), result;
}
function summarize(spec, run2, about) {
  let { rounds, cancelled, firstFailure } = run2, p95 = percentile(run2.latencies, 95), steps = spec.steps.map((s) => {
    let t = run2.tallies.get(s.name);
    return {
      name: s.name,
      kind: t.kind,
      requests: t.requests,
      failures: t.failures,
      p50Ms: ms(percentile(t.latencies, 50)),
      p95Ms: ms(percentile(t.latencies, 95)),
      totalMs: ms(t.latencies.reduce((a, b) => a + b, 0))
    };
  }), requests = steps.filter((s) => s.kind === "request").reduce((n, s) => n + s.requests, 0), failures = steps.reduce((n, s) => n + s.failures, 0), overP95 = spec.p95Ms !== void 0 && run2.latencies.length > 0 && p95 > spec.p95Ms, message = cancelled ? `cancelled after ${plural(rounds, "round")}` : firstFailure ? failureLine(firstFailure) : overP95 ? `p95 latency ${ms(p95)} ms is above the limit of ${spec.p95Ms} ms` : run2.passedRounds === 0 ? `no round passed (${plural(failures, "transient failure")} tolerated)` : `passed: ${plural(rounds, "round")}, ${plural(requests, "request")}, p95 ${ms(p95)} ms`;
  return {
    passed: !cancelled && !firstFailure && !overP95 && run2.passedRounds > 0,
    ...cancelled ? { cancelled: !0 } : {},
    message,
    target: about.target,
    rounds,
    requests,
    failures,
    maxFailures: spec.maxFailures,
    p95Ms: ms(p95),
    ...spec.p95Ms !== void 0 ? { p95LimitMs: spec.p95Ms } : {},
    durationMs: ms(about.durationMs),
    steps,
    ...firstFailure ? { firstFailure } : {},
    tolerated: run2.tolerated
  };
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function failureLine(f) {
  return `${f.transient ? "transient failures beyond maxFailures; last" : "failed"}: step "${f.step}" in round ${f.round}: ${f.message}`;
}

// src/smoke/service-proxy.ts
var NULL_BODY_STATUSES = /* @__PURE__ */ new Set([101, 204, 205, 304]);
function serviceProxyPath(namespace, service, port) {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;
}
function serviceProxyTransport(target) {
  let server = new URL(target.apiServer), base = target.apiServer.replace(/\/+$/, ""), proxyPath = serviceProxyPath(target.namespace, target.service, target.port), prefixes = [.../* @__PURE__ */ new Set([server.pathname.replace(/\/+$/, "") + proxyPath, proxyPath])], unprefix = (path) => {
    for (let prefix of prefixes) {
      if (path === prefix) return "/";
      if (path.startsWith(`${prefix}/`)) return path.slice(prefix.length);
    }
  };
  return {
    description: `service ${target.service}:${target.port} in namespace ${target.namespace} (through the API server's service proxy)`,
    async send(r) {
      if (r.headers.has("authorization"))
        throw new UnsendableRequest(
          "an Authorization header cannot reach a Service through the API server's service proxy (the API server takes it as its own credential and removes it); use a url target, or a header of the app's own"
        );
      let res = await target.fetch(base + proxyPath + r.path, init(r)), headers = new Headers();
      for (let [name, value] of res.headers) name !== "set-cookie" && name !== "location" && headers.append(name, value);
      let location = res.headers.get("location");
      location !== null && headers.set("location", logicalLocation(location, server, unprefix));
      for (let cookie of res.headers.getSetCookie()) headers.append("set-cookie", logicalCookiePath(cookie, unprefix));
      return new Response(NULL_BODY_STATUSES.has(res.status) ? null : res.body, { status: res.status, statusText: res.statusText, headers });
    },
    explain(status, body) {
      let problem = apiServerStatus(body);
      if (problem === void 0) return;
      let rbac = status === 401 || status === 403 ? `; the kubeconfig's user needs RBAC on services/proxy in namespace ${target.namespace}` : "";
      return `the API server answered, not the app: ${problem}${rbac}`;
    }
  };
}
function logicalLocation(location, server, unprefix) {
  let url;
  try {
    url = new URL(location, server);
  } catch {
    return location;
  }
  if (url.host !== server.host) return location;
  let path = unprefix(url.pathname);
  return path === void 0 ? location : path + url.search + url.hash;
}
function logicalCookiePath(setCookie, unprefix) {
  return setCookie.replace(/(;\s*path\s*=\s*)([^;]*)/i, (whole, attribute, path) => {
    let logical = unprefix(path.trim());
    return logical === void 0 ? whole : attribute + logical;
  });
}
function apiServerStatus(body) {
  if (body.includes('"Status"'))
    try {
      let status = JSON.parse(body);
      if (status.kind === "Status" && status.apiVersion === "v1") return typeof status.message == "string" ? status.message : "no message";
    } catch {
    }
}

// src/smoke/target.ts
function transportFor(target, cluster) {
  if ("url" in target) return urlTransport(target.url);
  if (!cluster) throw new Error(`the smoke target is Service ${target.service}:${target.port}, which needs a cluster connection; none was given`);
  return serviceProxyTransport({ ...cluster, service: target.service, port: target.port });
}

// src/deploy/namespace.ts
async function ensureNamespace(cluster, env, objects, logger) {
  if (await cluster.get({ apiVersion: "v1", kind: "Namespace", name: env.namespace })) return;
  let declared = objects.find((o) => o.apiVersion === "v1" && o.kind === "Namespace" && o.metadata.name === env.namespace);
  if (!declared)
    throw new InputError({
      field: `environments.${env.name}.namespace`,
      message: `namespace "${env.namespace}" does not exist in the cluster (context ${cluster.context}) and the manifests do not declare it; add a Namespace manifest or create it first`
    });
  await cluster.apply(declared, { fieldManager: FIELD_MANAGER }), logger.info(`namespace ${env.namespace} created (first deploy)`);
}

// src/deploy/pushed-images.ts
function versionTagsToFind(templates, version, sha) {
  let known = templates.filter((t) => !t.includes("{date}") && (sha !== void 0 || !t.includes("{sha}")));
  if (!known.length)
    throw new InputError({ field: "tags", message: `--no-build needs a version tag it can find; every template (${templates.join(", ")}) depends on the build date or commit` });
  return renderVersionTags(known, { version: parseBuildVersion(version), ...sha !== void 0 ? { sha } : {} });
}
async function findPushedImages(input) {
  let tags = versionTagsToFind(input.config.tags, input.version, input.sha), problems = [], images = await Promise.all(
    input.config.images.map(async (image) => {
      let registry = await input.registryFor(image.repository), found = await Promise.all(tags.map(async (tag) => ({ tag, digest: (await registry.resolve(image.repository, tag))?.digest }))), missing = found.filter((f) => f.digest === void 0).map((f) => f.tag), digests = [...new Set(found.map((f) => f.digest).filter((d) => d !== void 0))];
      if (missing.length)
        problems.push({ field: `images.${image.name}`, message: `${image.repository} has no tag ${missing.join(", ")}: build and push version ${input.version} first (rollgate build)` });
      else if (digests.length > 1) {
        let where = found.map((f) => `${f.tag} -> ${f.digest}`).join(", ");
        problems.push({ field: `images.${image.name}`, message: `the version tags of ${image.repository} disagree (${where}); rebuild version ${input.version}` });
      }
      return { name: image.name, repository: image.repository, digest: digests[0] ?? "", tags };
    })
  );
  if (problems.length) throw new InputError(problems);
  return images;
}

// src/commands/deploy.ts
async function deploy(input) {
  return new DeployRun(input).run();
}
var StageFailure = class extends Error {
  stage;
  constructor(stage, message) {
    super(message), this.stage = stage;
  }
}, DeployRun = class {
  #input;
  #env;
  #log;
  #signal;
  #registryFor;
  #started = Date.now();
  #timings = {};
  #cluster;
  #lock;
  #state;
  #images = [];
  /** As read, with where each object is in the files. */
  #manifests = [];
  #tags = [];
  #snapshot;
  #applyStarted = !1;
  #current = "validate";
  #version;
  #report = {};
  #unchanged;
  #section;
  constructor(input) {
    this.#input = input;
    let env = input.config.environments[input.environment];
    if (!env) throw new InputError({ field: "env", message: `environment "${input.environment}" is not in ${input.config.file}` });
    this.#env = env, this.#version = input.version, this.#log = input.logger, this.#signal = input.signal ?? new AbortController().signal, this.#registryFor = registryLookup(input.config, input);
  }
  async run() {
    try {
      return await this.#steps(), this.#unchanged !== void 0 ? this.#end("unchanged", this.#unchanged) : this.#end("deployed", `deployed ${this.#version} to ${this.#env.name}: ${this.#images.map((i) => `${i.name} ${i.digest}`).join(", ")}`);
    } catch (err) {
      if (!this.#changed) {
        if (err instanceof InputError) throw new InputError(locateInConfig(err.problems, this.#input.config.file));
        if (err instanceof BlockedError) throw err;
        let { stage, message } = this.#describe(err);
        return this.#end("failed", `${headline(stage, message)}; nothing was changed`, stage, message);
      }
      return this.#revert(err);
    } finally {
      await this.#close();
    }
  }
  async #steps() {
    let read = await this.#stage("validate", () => this.#validate());
    this.#manifests = read;
    let manifests = read.map((m) => m.object);
    if (this.#cluster = await this.#stage("connect", () => this.#connect()), await this.#stage("connect", () => this.#checkServed(read)), this.#images = await this.#stage("build", () => this.#buildOrFind()), this.#unchanged !== void 0) return;
    await this.#stage("lock", () => this.#lockEnvironment(manifests)), this.#tags = await this.#stage("registry", () => this.#recordTargetTags());
    let plan = await this.#stage("plan", () => this.#plan(manifests));
    await this.#stage("tag", () => this.#moveTags((t) => movesBeforeVerify(this.#input.config.tagPolicy, t))), await this.#stage("apply", () => this.#apply(plan)), await this.#stage("rollout", () => this.#track(plan)), await this.#stage("smoke", () => this.#smoke()), await this.#stage("tag", async () => {
      await confirmTargetTags(this.#tags, this.#registryFor), await this.#moveTags(() => !0);
    });
  }
  /** Config is already loaded; the manifests and the images they run are checked here, before any write. */
  async #validate() {
    let manifests = await readManifests(this.#env), unused = imagesUnusedProblem(this.#input.config.images, this.#env, manifests);
    if (unused) throw new InputError(unused);
    return manifests;
  }
  /** Kinds the cluster does not serve are input mistakes too, found by discovery before the build. */
  async #checkServed(manifests) {
    let problems = await unservedKinds(manifests, this.#cluster);
    if (problems.length) throw new InputError(problems);
  }
  /** The cluster guard runs here: a wrong context or API server is refused (exit 4) before the build. */
  async #connect() {
    let cluster = await connectCluster({
      ...this.#input.kubeconfig !== void 0 ? { kubeconfig: this.#input.kubeconfig } : {},
      ...this.#input.kubeconfigContents !== void 0 ? { kubeconfigContents: this.#input.kubeconfigContents } : {},
      environment: this.#env,
      env: this.#input.env,
      logger: this.#log
    });
    return this.#log.info(`deploying ${this.#version} to ${this.#env.name}: namespace ${this.#env.namespace}, context ${cluster.context}`), cluster;
  }
  async #lockEnvironment(manifests) {
    await ensureNamespace(this.#cluster, this.#env, manifests, this.#log);
    let acquiring = acquireDeployLock({
      cluster: this.#cluster,
      environment: this.#env.name,
      namespace: this.#env.namespace,
      timeoutMs: this.#env.rollout.lockTimeoutMs,
      holder: runId(this.#input.env),
      logger: this.#log
    }), cancelled = new Promise((_, reject) => {
      let stop = () => reject(new StageFailure("cancelled", "the run was cancelled while waiting for the deploy lock"));
      this.#signal.aborted ? stop() : this.#signal.addEventListener("abort", stop, { once: !0 });
    });
    cancelled.catch(() => acquiring.then((late) => this.#lock === late ? void 0 : late.release(), () => {
    })), this.#lock = await Promise.race([acquiring, cancelled]);
  }
  get #changed() {
    return this.#applyStarted || this.#tags.some((t) => t.moved);
  }
  async #buildOrFind() {
    let { config, version, sha } = this.#input;
    if (this.#input.images) {
      let found = await this.#input.images(this.#registryFor);
      found.version !== void 0 && (this.#version = found.version), found.unchanged !== void 0 && (this.#unchanged = found.unchanged);
      for (let i of found.images) this.#log.info(`${i.name}: ${i.repository}@${i.digest}${i.tags.length ? ` (${i.tags.join(", ")})` : ""}`);
      return found.images;
    }
    if (this.#input.noBuild) {
      let found = await findPushedImages({ config, version, ...sha !== void 0 ? { sha } : {}, registryFor: this.#registryFor });
      for (let i of found) this.#log.info(`${i.name}: ${i.repository} ${i.tags.join(", ")} -> ${i.digest} (pushed earlier)`);
      return found;
    }
    if (sha === void 0) throw new InputError({ field: "sha", message: "building needs the commit (GITHUB_SHA, CI_COMMIT_SHA or a git work tree)" });
    return build({
      config,
      version,
      sha,
      logger: this.#log,
      env: this.#input.env,
      signal: this.#signal,
      registryFor: this.#registryFor,
      ...this.#input.builder ? { builder: this.#input.builder } : {},
      ...this.#input.buildFlags ? { flags: this.#input.buildFlags } : {}
    });
  }
  async #recordTargetTags() {
    let tag = this.#env.targetTag;
    return Promise.all(
      this.#images.map(async (image) => {
        let previous = previousOf(await currentManifest(await this.#registryFor(image.repository), image.repository, tag));
        return this.#log.info(`${image.repository}:${tag} ${previous.previousDigest ? `is on ${previous.previousDigest}` : "does not exist yet (first deploy)"}`), { image: image.name, repository: image.repository, tag, digest: image.digest, ...previous, moved: !1 };
      })
    );
  }
  async #plan(manifests) {
    let pinned = pinImages(manifests, { images: this.#images, targetTag: this.#env.targetTag });
    for (let w of pinned.warnings) this.#log.warn(w);
    let dryRunNew = this.#tags.some((t) => t.previousDigest !== void 0), plan = await planApply(this.#cluster, pinned.objects, { force: this.#input.forceConflicts ?? !1, dryRunNew });
    this.#report.changes = plan.changes, this.#log.info(formatChangesText(plan.changes));
    let refused = refusals(plan);
    if (refused.length)
      throw new InputError(
        refused.map((c) => ({
          ...locateInManifests(this.#manifests, c.ref, c.refusedFields),
          message: `${c.ref.kind} ${c.ref.namespace ? `${c.ref.namespace}/` : ""}${c.ref.name}: the API server refuses it: ${c.note ?? "no reason given"}`
        }))
      );
    return this.#snapshot = plan.snapshot, plan;
  }
  /** Moves the chosen tags that have not moved yet; the restore state is saved after each. */
  async #moveTags(which) {
    for (let tag of this.#tags.filter((t) => !t.moved && t.previousDigest !== t.digest && which(t))) {
      try {
        await moveTargetTag(await this.#registryFor(tag.repository), tag);
      } catch (err) {
        throw err instanceof TagMovedError ? new StageFailure("tag", err.message) : new StageFailure("tag", `moving ${tag.repository}:${tag.tag} to ${tag.digest}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.#log.info(`${tag.repository}:${tag.tag} -> ${tag.digest}${tag.previousDigest ? ` (was ${tag.previousDigest})` : ""}`), await this.#saveState();
    }
  }
  async #apply(plan) {
    this.#applyStarted = !0, await this.#saveState();
    let result = await applyPlan(this.#cluster, plan, { force: this.#input.forceConflicts ?? !1, logger: this.#log });
    if (result.failures.length) {
      let where = (f) => {
        let at = locateInManifests(this.#manifests, f.ref, f.error instanceof KubeApiError ? f.error.fields : []);
        return at ? ` (${at.file}:${at.line}${at.field ? ` ${at.field}` : ""})` : "";
      };
      throw new StageFailure("apply", result.failures.map((f) => `${f.message}${where(f)}`).join("; "));
    }
    if (this.#signal.aborted) throw new StageFailure("cancelled", "the run was cancelled during the apply");
  }
  async #track(plan) {
    let since = Date.now(), workloads = workloadsOf(plan.groups.flatMap((g) => g.objects)), rollout = await trackRollout(this.#cluster, workloads, { timeoutMs: this.#env.rollout.timeoutMs, rules: this.#rules, since, logger: this.#log, signal: this.#signal });
    if (this.#report.rollout = rollout, rollout.status === "cancelled") throw new StageFailure("cancelled", "the run was cancelled during the rollout");
    if (rollout.status === "failed")
      throw this.#log.error(rollout.failure?.diagnosis ?? "the rollout failed"), new StageFailure("rollout", `${rollout.failure?.rule}: ${rollout.failure?.message}`);
  }
  async #smoke() {
    let spec = this.#env.smoke;
    if (!spec) return this.#log.info(`no smoke test for ${this.#env.name}; the rollout is the verification`);
    let cluster = this.#cluster, transport = transportFor(spec.target, { apiServer: cluster.server, namespace: this.#env.namespace, fetch: (url, init2) => cluster.request(url, init2) }), result = await runSmoke(spec, { transport, signal: this.#signal, logger: this.#log, env: this.#input.env, cwd: dirname(this.#input.config.file) });
    if (this.#report.smoke = result, this.#log.info(formatSmokeResult(result).trimEnd()), result.cancelled) throw new StageFailure("cancelled", "the run was cancelled during the smoke test");
    if (!result.passed) throw new StageFailure("smoke", result.message);
  }
  async #revert(err) {
    let verdictAt = Date.now(), { stage, message } = this.#describe(err);
    this.#log.section?.("revert"), this.#log.error(`${headline(stage, message)}; reverting`);
    let revert = await revertDeploy({
      tags: this.#tags,
      ...this.#applyStarted && this.#snapshot ? { snapshot: this.#snapshot } : {},
      ...this.#cluster ? { cluster: this.#cluster, context: this.#cluster.context } : {},
      registryFor: this.#registryFor,
      logger: this.#log,
      rules: this.#rules,
      ...this.#input.restoreTimeoutMs !== void 0 ? { timeoutMs: this.#input.restoreTimeoutMs } : {},
      ...this.#state ? { writeDir: this.#state.dir, previousObjectsFile: this.#state.previousObjectsFile } : {},
      insecure: insecureRepository(this.#input.config),
      verdictAt
    });
    if (this.#timings.revertSeconds = revert.timeToSafeSeconds, this.#report.revert = revert, revert.leftovers.length)
      return this.#log.error(formatLeftovers(revert.leftovers)), this.#end("revert-failed", `${headline(stage, message)}; the revert did not finish (${revert.leftovers.length} left to do by hand)`, stage, message);
    let others = revert.tags.filter((t) => t.result.status === "moved-by-someone-else").map((t) => `${t.repository}:${t.tag}`), note = others.length ? `; ${others.join(", ")} moved by someone else meanwhile, left alone` : "";
    return this.#end("reverted", `${headline(stage, message)}; reverted in ${revert.timeToSafeSeconds} s${note}`, stage, message);
  }
  async #end(outcome, message, failedStage, failure) {
    return this.#timings.totalSeconds = seconds(Date.now() - this.#started), this.#log.section?.(void 0), outcome !== "revert-failed" && await this.#state?.remove(), this.#state && await this.#input.onRestoreState?.(void 0), {
      command: this.#input.command ?? "deploy",
      outcome,
      environment: this.#env.name,
      version: this.#version,
      images: this.#images,
      targetTags: this.#tags,
      ...this.#report,
      ...failedStage ? { failedStage } : {},
      ...failure ? { failure } : {},
      timings: this.#timings,
      message
    };
  }
  async #saveState() {
    let cluster = this.#cluster;
    this.#state ??= await SavedState.create(
      { environment: this.#env.name, namespace: this.#env.namespace, context: cluster.context, server: cluster.server, startedAt: new Date(this.#started).toISOString(), tags: this.#tags },
      this.#input.env
    );
    let file = await this.#state.save({ tags: this.#tags, applying: this.#applyStarted, ...this.#snapshot ? { snapshot: this.#snapshot } : {} });
    await this.#input.onRestoreState?.(file);
  }
  #describe(err) {
    if (err instanceof StageFailure) return { stage: err.stage, message: err.message };
    let message = err instanceof Error ? err.message : String(err);
    return this.#signal.aborted ? { stage: "cancelled", message: `the run was cancelled during the ${this.#current} step (${message})` } : { stage: this.#current, message };
  }
  get #rules() {
    let { allowRestarts, unschedulableWindowMs, pullErrorBudget } = this.#env.rollout;
    return { allowRestarts, unschedulableWindowMs, pullErrorBudget };
  }
  /** Runs one step: a cancellation stops the run before it, and its time is counted under its name. */
  async #stage(name, work) {
    if (this.#signal.aborted) throw new StageFailure("cancelled", `the run was cancelled before the ${name} step`);
    let section = SECTIONS[name];
    section && section !== this.#section && this.#log.section?.(this.#section = section), this.#current = name;
    let started = Date.now();
    try {
      return await work();
    } finally {
      let key = `${name}Seconds`;
      this.#timings[key] = seconds((this.#timings[key] ?? 0) * 1e3 + Date.now() - started);
    }
  }
  async #close() {
    await this.#lock?.release().catch((err) => this.#log.warn(`releasing the deploy lock: ${err instanceof Error ? err.message : String(err)}`)), await this.#cluster?.close();
  }
}, SECTIONS = {
  validate: "validate",
  build: "build and push",
  plan: "plan (what the apply changes)",
  apply: "apply",
  rollout: "rollout",
  smoke: "smoke test"
};
function headline(stage, message) {
  return stage === "cancelled" ? message : `${stage} failed: ${message}`;
}
function seconds(ms2) {
  return Math.round(ms2 / 100) / 10;
}

export {
  findPushedImages,
  deploy
};
