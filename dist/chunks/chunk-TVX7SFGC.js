import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  describeRef
} from "./chunk-DKP2MMLE.js";
import {
  formatDuration
} from "./chunk-R7NFTJUE.js";

// src/kube/rollout/diagnosis.ts
var HEADLINE = {
  failed: "will not become ready",
  "needs-confirmation": "may not become ready",
  progressing: "is still rolling out",
  done: "is ready"
};
function formatDiagnosis(verdict, logLines = []) {
  let { workload: w } = verdict, headline = w.kind === "Job" && verdict.status === "failed" ? "will not complete" : w.kind === "Job" && verdict.status === "done" ? "is complete" : HEADLINE[verdict.status], rule = verdict.rule ? ` [${verdict.rule}]` : "", lines2 = [`${w.kind} ${w.namespace}/${w.name} ${headline}${rule}: ${sentence(verdict.message)}`];
  if (verdict.status === "needs-confirmation" && verdict.confirm) {
    let c = verdict.confirm;
    lines2.push(`  Checking whether ${c.kind} ${c.namespace}/${c.name}${c.key ? ` (key ${c.key})` : ""} exists before calling it a failure.`);
  }
  if (verdict.hint && lines2.push(`  Hint: ${verdict.hint}`), verdict.signalAt && lines2.push(`  Signal at: ${verdict.signalAt}${verdict.windowMs ? ` (window ${Math.round(verdict.windowMs / 1e3)}s)` : ""}`), verdict.events.length) {
    lines2.push("  Events (newest first):");
    for (let e of verdict.events)
      lines2.push(`    ${e.at ?? "-"} ${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ""} ${e.object}: ${oneLine(e.message)}`);
  }
  let shown = trimTrailingEmpty(logLines).slice(-20);
  if (verdict.needsLogs && shown.length) {
    let { container, previous } = verdict.needsLogs;
    lines2.push(`  Last log lines of ${container}${previous ? " (previous container)" : ""}:`);
    for (let l of shown) lines2.push(`    | ${l}`);
  }
  return lines2.join(`
`);
}
function sentence(message) {
  let text = oneLine(message);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
function oneLine(text) {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
function trimTrailingEmpty(lines2) {
  let out = [...lines2];
  for (; out.length && out[out.length - 1].trim() === ""; ) out.pop();
  return out;
}

// src/kube/rollout/objects.ts
function conditionOf(conditions, type) {
  return conditions?.find((c) => c.type === type);
}
function timeOf(stamp) {
  if (!stamp) return;
  let ms = Date.parse(stamp);
  return Number.isNaN(ms) || ms <= 0 ? void 0 : ms;
}
function isControlledBy(meta, owner, kind) {
  let ref = meta?.ownerReferences?.find((r) => r.controller !== !1 && r.kind === kind);
  return !ref || !owner ? !1 : ref.uid && owner.uid ? ref.uid === owner.uid : ref.name === owner.name;
}

// src/kube/rollout/events.ts
function eventSubject(e) {
  return e.involvedObject ?? e.regarding;
}
function eventMessage(e) {
  return e.message ?? e.note ?? "";
}
function eventTime(e) {
  return timeOf(e.series?.lastObservedTime) ?? timeOf(e.lastTimestamp) ?? timeOf(e.deprecatedLastTimestamp) ?? timeOf(e.eventTime) ?? timeOf(e.firstTimestamp) ?? timeOf(e.deprecatedFirstTimestamp) ?? timeOf(e.metadata?.creationTimestamp);
}
function eventCount(e) {
  return Math.max(1, e.series?.count ?? e.count ?? e.deprecatedCount ?? 1);
}
function eventContainer(e) {
  let path = eventSubject(e)?.fieldPath;
  return path ? /^spec\.(?:init|ephemeral)?[cC]ontainers\{(.+)\}$/.exec(path)?.[1] : void 0;
}
function isAbout(e, kind, meta) {
  let s = eventSubject(e);
  return !s || !meta || s.kind !== kind || s.name !== meta.name || s.namespace && meta.namespace && s.namespace !== meta.namespace ? !1 : !(s.uid && meta.uid && s.uid !== meta.uid);
}
function newestFirst(events) {
  return [...events].sort((a, b) => (eventTime(b) ?? -1 / 0) - (eventTime(a) ?? -1 / 0));
}
function eventsAbout(events, kind, meta) {
  return newestFirst(events.filter((e) => isAbout(e, kind, meta)));
}
function summarize(e) {
  let s = eventSubject(e), at = eventTime(e);
  return {
    object: `${s?.kind ?? "?"}/${s?.name ?? "?"}`,
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    message: eventMessage(e),
    count: eventCount(e),
    ...at !== void 0 ? { at: new Date(at).toISOString() } : {}
  };
}

// src/kube/rollout/memory.ts
function emptyMemory() {
  return { containers: {}, lookups: {} };
}
function lookupKey(o) {
  return `${o.kind}/${o.namespace}/${o.name}${o.key ? `#${o.key}` : ""}`;
}
function recordLookup(memory, object, missing, now) {
  return { ...memory, lookups: { ...memory.lookups, [lookupKey(object)]: { missing, checkedAt: now } } };
}
function containerMemory(memory, key) {
  let m = memory.containers[key];
  return m || (m = { firstSeen: {}, pullFailures: 0 }, memory.containers[key] = m), m;
}
function firstSeen(m, reason, now) {
  return m.firstSeen[reason] ??= now;
}

// src/kube/rollout/observe.ts
async function openFeed(cluster, spec, onChange, onError) {
  let keep = spec.keep ?? (() => !0), objects = /* @__PURE__ */ new Map(), listed = await cluster.list(spec.apiVersion, spec.kind, spec.namespace, spec.options);
  for (let o of listed.items) keep(o) && objects.set(keyOf(o), o);
  let stopped = !1, watch = await cluster.watch(
    spec.apiVersion,
    spec.kind,
    spec.namespace,
    { ...spec.options, resourceVersion: listed.resourceVersion },
    (e) => {
      stopped || !applyEvent(objects, e, keep) || onChange();
    },
    (err) => {
      stopped || onError(err);
    }
  );
  return {
    items: () => [...objects.values()],
    stop() {
      stopped = !0, watch.stop();
    }
  };
}
function applyEvent(objects, e, keep = () => !0) {
  let key = keyOf(e.object);
  if (e.type === "DELETED" || !keep(e.object)) return objects.delete(key);
  let known = objects.get(key);
  return known && known.metadata.resourceVersion !== void 0 && known.metadata.resourceVersion === e.object.metadata.resourceVersion ? !1 : (objects.set(key, e.object), !0);
}
function keyOf(o) {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}
var FeedHub = class {
  #cluster;
  #onChange;
  #onError;
  #feeds = /* @__PURE__ */ new Map();
  #open = /* @__PURE__ */ new Map();
  #stopped = !1;
  constructor(cluster, onChange, onError) {
    this.#cluster = cluster, this.#onChange = onChange, this.#onError = onError;
  }
  /** Opens the feed unless it is open (or opening). */
  async open(spec) {
    let key = feedKey(spec.apiVersion, spec.kind, spec.namespace), feed = this.#feeds.get(key);
    if (!feed) {
      feed = openFeed(this.#cluster, spec, () => this.#onChange(spec.namespace), this.#onError), this.#feeds.set(key, feed);
      let opened = await feed;
      this.#stopped ? opened.stop() : this.#open.set(key, opened);
    }
    await feed;
  }
  items(apiVersion, kind, namespace) {
    return this.#open.get(feedKey(apiVersion, kind, namespace))?.items() ?? [];
  }
  stop() {
    this.#stopped = !0;
    for (let feed of this.#open.values()) feed.stop();
    this.#open.clear();
  }
};
function feedKey(apiVersion, kind, namespace) {
  return `${apiVersion}/${kind}/${namespace}`;
}
function matchesSelector(selector, labels) {
  if (!selector) return !1;
  let l = labels ?? {};
  for (let [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return !1;
  for (let { key, operator, values = [] } of selector.matchExpressions ?? []) {
    let has = key in l;
    if (!(operator === "In" ? has && values.includes(l[key]) : operator === "NotIn" ? !has || !values.includes(l[key]) : operator === "Exists" ? has : operator === "DoesNotExist" ? !has : !1)) return !1;
  }
  return !0;
}

// src/kube/rollout/progress.ts
var isReady = (p) => conditionOf(p.status?.conditions, "Ready")?.status === "True";
function progressOf(workload, revision, since, now) {
  let name = workload.metadata?.name ?? "?", elapsedMs = since === void 0 ? void 0 : Math.max(0, now - since), elapsed = elapsedMs === void 0 ? "" : `, ${formatDuration(Math.floor(elapsedMs / 1e3) * 1e3)}`;
  if (workload.kind === "Job") {
    let s = workload.status ?? {}, desired2 = workload.spec?.completions ?? workload.spec?.parallelism ?? 1, succeeded = s.succeeded ?? 0, active = s.active ?? 0;
    return {
      name,
      updated: succeeded,
      desired: desired2,
      ready: active,
      ...elapsedMs !== void 0 ? { elapsedMs } : {},
      text: `${name}: ${succeeded}/${desired2} succeeded, ${active} active${s.failed ? `, ${s.failed} failed` : ""}${elapsed}`
    };
  }
  let [updated, desired, readyFromStatus] = counts(workload), ready = revision.revision !== void 0 ? revision.pods.filter(isReady).length : readyFromStatus;
  return {
    name,
    updated,
    desired,
    ready,
    ...elapsedMs !== void 0 ? { elapsedMs } : {},
    text: `${name}: ${updated}/${desired} updated, ${ready} ready${elapsed}`
  };
}
function counts(workload) {
  switch (workload.kind) {
    case "Deployment": {
      let s = workload.status ?? {};
      return [s.updatedReplicas ?? 0, workload.spec?.replicas ?? 1, s.readyReplicas ?? 0];
    }
    case "StatefulSet": {
      let s = workload.status ?? {};
      return [s.updatedReplicas ?? 0, workload.spec?.replicas ?? 1, s.readyReplicas ?? 0];
    }
    case "DaemonSet": {
      let s = workload.status ?? {};
      return [s.updatedNumberScheduled ?? 0, s.desiredNumberScheduled ?? 0, s.numberReady ?? 0];
    }
  }
}

// src/kube/rollout/revision.ts
import { isDeepStrictEqual } from "node:util";
var DEPLOYMENT_REVISION_ANNOTATION = "deployment.kubernetes.io/revision", POD_TEMPLATE_HASH_LABEL = "pod-template-hash", CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash", CONTROLLER_REVISION_OWN_HASH_LABEL = "controller.kubernetes.io/hash", DAEMONSET_TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation", DAEMONSET_TEMPLATE_GENERATION_LABEL = "pod-template-generation";
function isObserved(workload) {
  if (workload.kind === "Job") return !0;
  let generation = workload.metadata?.generation ?? 0;
  return (workload.status?.observedGeneration ?? 0) >= generation;
}
var FINDERS = {
  Deployment: deploymentRevision,
  StatefulSet: statefulSetRevision,
  DaemonSet: daemonSetRevision,
  Job: jobPods
};
function newRevision(workload, related) {
  let find = FINDERS[workload.kind];
  return { observed: isObserved(workload), ...find(workload, related) };
}
function split(pods, isNew) {
  let fresh = [], old = [];
  for (let p of pods) (isNew(p) ? fresh : old).push(p);
  return { pods: fresh, oldPods: old };
}
function newReplicaSet(deployment, replicaSets) {
  let owned = replicaSets.filter((rs) => isControlledBy(rs.metadata, deployment.metadata, "Deployment")), revision = deployment.metadata?.annotations?.[DEPLOYMENT_REVISION_ANNOTATION];
  return revision !== void 0 ? owned.filter((rs) => rs.metadata?.annotations?.[DEPLOYMENT_REVISION_ANNOTATION] === revision).sort((a, b) => created(b) - created(a))[0] : owned.filter((rs) => sameTemplateIgnoringHash(rs.spec?.template, deployment.spec?.template)).sort((a, b) => created(a) - created(b))[0];
}
function deploymentRevision(deployment, related) {
  let owned = (related.replicaSets ?? []).filter((r) => isControlledBy(r.metadata, deployment.metadata, "Deployment")), rs = newReplicaSet(deployment, owned), mine = related.pods.filter((p) => owned.some((r) => belongsTo(p, r)));
  return rs ? { revision: rs.metadata?.name, replicaSet: rs, ...split(mine, (p) => belongsTo(p, rs)) } : { pods: [], oldPods: mine };
}
function belongsTo(pod, rs) {
  if (pod.metadata?.ownerReferences?.length) return isControlledBy(pod.metadata, rs.metadata, "ReplicaSet");
  let hash = rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  return hash !== void 0 && pod.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === hash;
}
function statefulSetRevision(sts, related) {
  let revision = sts.status?.updateRevision, mine = related.pods.filter((p) => isControlledBy(p.metadata, sts.metadata, "StatefulSet"));
  return {
    ...revision ? { revision } : {},
    ...split(mine, (p) => revision !== void 0 && p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === revision)
  };
}
function daemonSetRevision(ds, related) {
  let newest = (related.controllerRevisions ?? []).filter((cr) => isControlledBy(cr.metadata, ds.metadata, "DaemonSet")).sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0))[0], prefix = `${ds.metadata?.name}-`, crName = newest?.metadata?.name, hash = newest?.metadata?.labels?.[CONTROLLER_REVISION_OWN_HASH_LABEL] ?? (crName?.startsWith(prefix) ? crName.slice(prefix.length) : void 0), generation = ds.metadata?.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION] ?? (ds.spec?.templateGeneration ?? (hash === void 0 ? ds.metadata?.generation : void 0))?.toString(), mine = related.pods.filter((p) => isControlledBy(p.metadata, ds.metadata, "DaemonSet"));
  return {
    ...hash ? { revision: hash } : generation ? { revision: `generation ${generation}` } : {},
    ...split(mine, (p) => {
      let labels = p.metadata?.labels ?? {};
      return hash !== void 0 && labels[CONTROLLER_REVISION_HASH_LABEL] === hash || generation !== void 0 && labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] === generation;
    })
  };
}
function jobPods(job, related) {
  let uid = job.metadata?.uid;
  return split(
    related.pods.filter(
      (p) => isControlledBy(p.metadata, job.metadata, "Job") || uid !== void 0 && !p.metadata?.ownerReferences?.length && (p.metadata?.labels?.["batch.kubernetes.io/controller-uid"] ?? p.metadata?.labels?.["controller-uid"]) === uid
    ),
    () => !0
  );
}
function created(o) {
  return timeOf(o.metadata?.creationTimestamp) ?? 0;
}
function sameTemplateIgnoringHash(a, b) {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}
function withoutHash(t) {
  let labels = t?.metadata?.labels;
  if (!t || !labels || !(POD_TEMPLATE_HASH_LABEL in labels)) return t;
  let { [POD_TEMPLATE_HASH_LABEL]: _, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

// src/kube/rollout/hints.ts
function pick(table, text) {
  return table.find(([re]) => re.test(text ?? ""))?.[1];
}
var PULL = [
  [
    /unauthorized|denied|forbidden|\b40[13]\b|authenticat/i,
    "The node cannot read the image: check imagePullSecrets on the pod or its ServiceAccount (on GKE, the node service account needs roles/artifactregistry.reader on the repository)."
  ],
  [/InvalidImageName|invalid reference format/i, "The image reference is malformed: check the image field in the manifest."],
  [
    /not found|manifest unknown|name unknown|NotFound/i,
    "The repository or tag does not exist in the registry: was the image pushed, and does the manifest name the same repository?"
  ],
  [/too ?many ?requests|\b429\b/i, "The registry rate-limits this node: authenticate pulls or mirror the image."]
];
function pullHint(cause) {
  return pick(PULL, cause);
}
var CREATE = [
  [
    /executable file not found|no such file or directory/i,
    "The command does not exist in the image: check the container's command/args and the image's ENTRYPOINT."
  ],
  [/runAsNonRoot/i, "The pod requires runAsNonRoot but the image runs as root: set securityContext.runAsUser or add a USER to the Dockerfile."],
  [/permission denied/i, "The entrypoint is not executable for the container user: check file modes and securityContext."],
  [/read-only file system/i, "The runtime could not write into the container filesystem (readOnlyRootFilesystem or a mount over a file)."]
];
function createHint(message) {
  return pick(CREATE, message);
}
var EXIT = {
  126: "Exit 126: the command is not executable.",
  127: "Exit 127: the command was not found in the image.",
  137: "Exit 137: killed by SIGKILL (out of memory, or a failing liveness probe).",
  139: "Exit 139: segmentation fault.",
  143: "Exit 143: stopped by SIGTERM."
};
function exitHint(exitCode, reason, livenessKilled) {
  return livenessKilled ? "The liveness probe kills the container before it is healthy: fix the probe (path, port) or give it a startupProbe / longer initialDelaySeconds." : reason === "Completed" || exitCode === 0 ? "The main process exits with 0: a Deployment container must keep running (a one-off task belongs in a Job)." : exitCode !== void 0 ? EXIT[exitCode] : void 0;
}
function oomHint(container) {
  let limit = container?.resources?.limits?.memory;
  return `The container uses more memory than its limit${limit ? ` (${limit})` : ""}: raise resources.limits.memory or lower what the app uses.`;
}
function configHint(kind, name, namespace, key) {
  let what = kind === "PersistentVolumeClaim" ? "PersistentVolumeClaim" : kind;
  return key ? `${what} ${namespace}/${name} has no key "${key}": add the key, or fix the name the pod refers to.` : kind === "PersistentVolumeClaim" ? `Create the PersistentVolumeClaim "${name}" in ${namespace} (or fix claimName).` : `Create the ${what} "${name}" in ${namespace} with the manifests (rollgate applies ConfigMaps and Secrets before workloads), or fix the name the pod refers to.`;
}
function describeProbe(probe) {
  if (probe) {
    if (probe.httpGet) return `${probe.httpGet.scheme === "HTTPS" ? "HTTPS " : ""}GET ${probe.httpGet.path ?? "/"} on port ${probe.httpGet.port}`;
    if (probe.tcpSocket) return `TCP connect to port ${probe.tcpSocket.port}`;
    if (probe.grpc) return `gRPC health check on port ${probe.grpc.port}`;
    if (probe.exec) return `exec ${JSON.stringify(probe.exec.command ?? [])}`;
  }
}
function readinessHint(unhealthy, container) {
  let probe = container?.readinessProbe, port = probe?.httpGet?.port ?? probe?.tcpSocket?.port, where = probe?.httpGet ? `${probe.httpGet.path ?? "/"} port ${port}` : `port ${port}`, ports = container?.ports ?? [], probed = ports.some((p) => p.containerPort === port || typeof port == "string" && p.name === port), declared = ports.length && !probed ? ` (the container declares ${ports.map((p) => p.containerPort).join(", ")})` : "", text = unhealthy ?? "";
  if (/statuscode: 404/.test(text))
    return `readiness probe 404 on ${where}: the app does not serve that path on that port; a wrong path, or the app listens on another port${declared}.`;
  if (/connection refused/.test(text))
    return `Nothing listens on ${`port ${port}`} when the probe runs${declared}: the app uses another port, binds 127.0.0.1 only, or has not started.`;
  if (/statuscode: 5\d\d/.test(text))
    return "The app answers the probe with a server error: its logs usually say why (a database it cannot reach, a missing setting).";
  if (/timeout|deadline exceeded|Client\.Timeout/i.test(text))
    return `The probe times out (timeoutSeconds: ${probe?.timeoutSeconds ?? 1}): the app is slow to answer or blocked; check its logs.`;
  if (!unhealthy) return "No probe failure was reported: the readiness window may be too short for this app (raise initialDelaySeconds or failureThreshold).";
}
var SCHEDULING = [
  [
    /didn't match Pod's node affinity|node\(s\) didn't match node selector|node affinity\/selector/i,
    "No node matches the pod's nodeSelector/affinity: check the labels it asks for."
  ],
  [/untolerated taint|had taint/i, "The nodes are tainted and the pod has no matching toleration."],
  [/topology spread constraints/i, "The pod's topologySpreadConstraints cannot be met with the nodes there are."],
  [/didn't have free ports|free ports/i, "The hostPort the pod asks for is taken on every node."]
];
function schedulingHint(message, surgeBlocked2) {
  return /Insufficient (cpu|memory|ephemeral-storage|pods)/i.test(message ?? "") ? surgeBlocked2 ? "No room for the surge pods: the nodes fit the old pods but not old and new together. Add capacity, lower the requests, or set strategy.rollingUpdate.maxSurge: 0 with maxUnavailable: 1." : "No node has room for the pod's resource requests: lower the requests or add nodes." : pick(SCHEDULING, message);
}

// src/kube/rollout/windows.ts
var DEFAULT_RULE_OPTIONS = {
  allowRestarts: 0,
  unschedulableWindowMs: 15e3,
  pullErrorBudget: 3
};
function probeBudgetMs(probe) {
  if (!probe) return 0;
  let period = probe.periodSeconds ?? 10, failures = probe.failureThreshold ?? 3;
  return ((probe.initialDelaySeconds ?? 0) + period * failures) * 1e3;
}
function readinessWindowMs(container) {
  return probeBudgetMs(container.startupProbe) + probeBudgetMs(container.readinessProbe) + 5e3;
}

// src/kube/rollout/pod-context.ts
var PULL_FAILED = /* @__PURE__ */ new Set(["ErrImagePull", "RegistryUnavailable", "SignatureValidationFailed", "InvalidImageName", "ErrImageNeverPull"]), PULL_REASONS = /* @__PURE__ */ new Set([...PULL_FAILED, "ImagePullBackOff"]);
function podKey(pod) {
  return pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
}
function containersOf(pod, memory) {
  let views = [], key = podKey(pod);
  for (let [init, statuses, specs] of [
    [!0, pod.status?.initContainerStatuses, pod.spec?.initContainers],
    [!1, pod.status?.containerStatuses, pod.spec?.containers]
  ])
    for (let status of statuses ?? []) {
      let spec = specs?.find((c) => c.name === status.name);
      views.push({
        status,
        ...spec ? { spec } : {},
        init,
        sidecar: init && spec?.restartPolicy === "Always",
        memory: containerMemory(memory, `${key}/${status.name}`)
      });
    }
  return views;
}
function observePod(pod, memory, now, since) {
  let created2 = timeOf(pod.metadata?.creationTimestamp), preexisting = since !== void 0 && created2 !== void 0 && created2 < since;
  for (let c of containersOf(pod, memory)) {
    let m = c.memory, waiting2 = c.status.state?.waiting;
    m.restartBaseline ??= preexisting ? c.status.restartCount ?? 0 : 0, waiting2?.reason && firstSeen(m, waiting2.reason, now), c.status.state?.running && c.status.ready === !1 && firstSeen(m, "RunningNotReady", now);
    let reason = waiting2?.reason;
    if (reason && PULL_REASONS.has(reason)) {
      let wasPulling = m.lastWaiting !== void 0 && PULL_REASONS.has(m.lastWaiting);
      (PULL_FAILED.has(reason) && m.lastWaiting !== reason || reason === "ImagePullBackOff" && !wasPulling) && (m.pullFailures += 1);
    }
    m.lastWaiting = reason;
  }
  let scheduled = pod.status?.conditions?.find((x) => x.type === "PodScheduled");
  scheduled?.status === "False" && firstSeen(containerMemory(memory, `${podKey(pod)}/`), scheduled.reason ?? "Unscheduled", now);
}
function isTolerated(pod, workload) {
  if (pod.metadata?.deletionTimestamp) return "being deleted";
  let phase = pod.status?.phase;
  if (phase === "Failed" && pod.status?.reason) return `failed as a whole (${pod.status.reason})`;
  if (phase === "Succeeded" && workload.kind !== "Job") return "completed";
}
function seconds(ms) {
  return formatDuration(Math.max(0, Math.round(ms / 1e3)) * 1e3);
}
function iso(ms) {
  return ms === void 0 ? void 0 : new Date(ms).toISOString();
}
function containerEvents(ctx, container) {
  return ctx.events.filter((e) => container === void 0 || [void 0, container].includes(eventContainer(e))).slice(0, 5).map(summarize);
}
function newestEvent(ctx, match, container) {
  return ctx.events.find((e) => match(e) && (container === void 0 || eventContainer(e) === container));
}
function eventIso(e) {
  return iso(e ? eventTime(e) : void 0);
}
function confirmMissing(ctx, object, failure) {
  let answer = ctx.memory.lookups[lookupKey(object)];
  return answer?.missing ? { ...failure, status: "failed", confirm: object } : answer && ctx.now - answer.checkedAt < 1e4 ? { status: "pending", until: answer.checkedAt + 1e4 } : { ...failure, status: "needs-confirmation", confirm: object };
}
function strongest(outcomes) {
  let question, pending;
  for (let o of outcomes)
    if (o) {
      if (o.status === "failed") return o;
      o.status === "needs-confirmation" ? question ??= o : o.status === "pending" && (!pending || o.until < pending.until) && (pending = o);
    }
  return question ?? pending;
}

// src/kube/rollout/pull-errors.ts
var PERMANENT_REASONS = /* @__PURE__ */ new Set(["InvalidImageName", "ErrImageNeverPull", "SignatureValidationFailed"]), TRANSIENT_REASONS = /* @__PURE__ */ new Set(["RegistryUnavailable"]), PERMANENT = [
  /\bnot found\b/i,
  /code = NotFound/,
  /manifest unknown/i,
  /name unknown/i,
  /unauthorized/i,
  /\bdenied\b/i,
  /\bforbidden\b/i,
  /\b40[13]\b/,
  /invalid reference format/i,
  /InvalidImageName/,
  /repository does not exist/i,
  /no matching manifest for/i
], TRANSIENT = [
  /\b429\b/,
  /too ?many ?requests/i,
  /timeout|timed out|deadline exceeded/i,
  /connection (reset|refused)/i,
  /\b5\d\d\b/,
  /service unavailable|bad gateway/i,
  /unexpected EOF/i,
  /no such host|temporary failure in name resolution/i
];
function classifyPullError(reason, message) {
  if (reason && PERMANENT_REASONS.has(reason)) return "permanent";
  if (reason && TRANSIENT_REASONS.has(reason)) return "transient";
  let text = message ?? "";
  return TRANSIENT.some((re) => re.test(text)) ? "transient" : PERMANENT.some((re) => re.test(text)) ? "permanent" : "transient";
}
function backOffCause(message) {
  let m = /^Back-off pulling image "[^"]*"(?::\s*(.*))?$/s.exec(message ?? "");
  return m ? m[1] || void 0 : message || void 0;
}
function pullEventCause(message) {
  return /^Failed to pull image "[^"]*": (.*)$/s.exec(message)?.[1];
}

// src/kube/rollout/container-rules.ts
function eachContainer(ctx, rule) {
  return strongest(containersOf(ctx.pod, ctx.memory).map(rule));
}
function imagePull(ctx) {
  return eachContainer(ctx, (c) => {
    let waiting2 = c.status.state?.waiting, reason = waiting2?.reason;
    if (!reason || !PULL_REASONS.has(reason)) return;
    let name = c.status.name, mine = ctx.events.filter(
      (e) => e.reason === "Failed" && pullEventCause(eventMessage(e)) !== void 0 && (eventContainer(e) ?? name) === name
    ), latest = mine[0], cause = (reason === "ImagePullBackOff" ? backOffCause(waiting2.message) : waiting2.message) ?? (latest ? pullEventCause(eventMessage(latest)) : void 0) ?? c.memory.pullCause;
    cause && (c.memory.pullCause = cause);
    let attempts = Math.max(c.memory.pullFailures, mine.reduce((n, e) => n + eventCount(e), 0)), kind = classifyPullError(reason, cause), budget = ctx.options.pullErrorBudget;
    if (kind === "transient" && attempts <= budget) return;
    let image = c.status.image ?? c.spec?.image ?? "?", hint = pullHint(cause ?? reason);
    return {
      status: "failed",
      rule: "image-pull",
      container: name,
      reason,
      message: kind === "permanent" ? `container ${name} in pod ${ctx.podName} cannot pull image "${image}": ${cause ?? reason}` : `container ${name} in pod ${ctx.podName} cannot pull image "${image}": ${attempts} failed attempts (pullErrorBudget: ${budget})${cause ? `, last: ${cause}` : ""}`,
      signalAt: eventIso(latest) ?? iso(firstPullSignal(c, reason, ctx.now)),
      events: containerEvents(ctx, name),
      ...hint ? { hint } : {}
    };
  });
}
function firstPullSignal(c, reason, now) {
  let seen = Object.entries(c.memory.firstSeen).filter(([r]) => PULL_REASONS.has(r)).map(([, at]) => at);
  return seen.length ? Math.min(...seen) : firstSeen(c.memory, reason, now);
}
var TRANSIENT_CREATE = /failed to sync (configmap|secret) cache|context deadline exceeded|failed to reserve container name|is reserved for/i;
function missingConfigReference(message, namespace) {
  let text = message ?? "", object = /\b(configmap|secret)s? "([^"]+)" not found/i.exec(text);
  if (object) return { kind: object[1].toLowerCase() === "secret" ? "Secret" : "ConfigMap", namespace, name: object[2] };
  let key = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/.exec(text);
  if (key) return { kind: key[2], namespace: key[3], name: key[4], key: key[1] };
}
function configMissing(ctx) {
  return eachContainer(ctx, (c) => {
    let waiting2 = c.status.state?.waiting;
    if (waiting2?.reason !== "CreateContainerConfigError") return;
    let ref = missingConfigReference(waiting2.message, ctx.namespace);
    if (!ref) return;
    let { kind, namespace, name, key } = ref, failedEvent = newestEvent(ctx, (e) => e.reason === "Failed" && eventMessage(e).includes(name), c.status.name);
    return confirmMissing(ctx, { kind, namespace, name, ...key ? { key } : {} }, {
      rule: "config-missing",
      container: c.status.name,
      reason: waiting2.reason,
      message: `container ${c.status.name} in pod ${ctx.podName} refers to ${key ? `key "${key}" of ` : ""}${kind} ${namespace}/${name}, which does not exist (${waiting2.message})`,
      signalAt: eventIso(failedEvent) ?? iso(firstSeen(c.memory, waiting2.reason, ctx.now)),
      events: containerEvents(ctx, c.status.name),
      hint: configHint(kind, name, namespace, key)
    });
  });
}
var CREATE_WAITING = /* @__PURE__ */ new Set(["CreateContainerError", "RunContainerError", "PreStartHookError", "CreateContainerConfigError"]), START_TERMINATED = /* @__PURE__ */ new Set(["StartError", "ContainerCannotRun"]);
function containerCreate(ctx) {
  return eachContainer(ctx, (c) => {
    let { state, lastState } = c.status, waiting2 = state?.waiting, terminated = state?.terminated ?? (state?.running ? void 0 : lastState?.terminated), startFailed = terminated?.reason && START_TERMINATED.has(terminated.reason) ? terminated : void 0, reason, message;
    if (waiting2?.reason && CREATE_WAITING.has(waiting2.reason)) {
      if (TRANSIENT_CREATE.test(waiting2.message ?? "") || waiting2.reason === "CreateContainerConfigError" && missingConfigReference(waiting2.message, ctx.namespace)) return;
      reason = waiting2.reason, message = waiting2.message ?? startFailed?.message;
    } else if (startFailed)
      reason = startFailed.reason, message = startFailed.message;
    else
      return;
    let name = c.status.name, hint = createHint(message), failedEvent = newestEvent(ctx, (e) => e.reason === "Failed", name);
    return {
      status: "failed",
      rule: "container-create",
      container: name,
      reason,
      message: `container ${name} in pod ${ctx.podName} cannot start: ${message ?? reason}`,
      ...startFailed?.exitCode !== void 0 ? { exitCode: startFailed.exitCode } : {},
      signalAt: iso(timeOf(startFailed?.finishedAt)) ?? eventIso(failedEvent) ?? iso(firstSeen(c.memory, reason, ctx.now)),
      events: containerEvents(ctx, name),
      ...hint ? { hint } : {}
    };
  });
}
function restartPolicyOf(ctx, c) {
  if (c.sidecar) return "Always";
  let policy = ctx.pod.spec?.restartPolicy ?? "Always";
  return c.init ? policy === "Never" ? "Never" : "OnFailure" : policy === "OnFailure" || policy === "Never" ? policy : "Always";
}
function willRestart(policy, t) {
  return policy === "Always" || policy === "OnFailure" && (t.exitCode ?? 0) !== 0;
}
function restarts(ctx) {
  return eachContainer(ctx, (c) => {
    let policy = restartPolicyOf(ctx, c);
    if (policy === "Never") return;
    let { state, lastState } = c.status, count = c.status.restartCount ?? 0, pendingRestart = state?.terminated && willRestart(policy, state.terminated) ? 1 : 0;
    if (count - (c.memory.restartBaseline ?? 0) + pendingRestart <= ctx.options.allowRestarts) return;
    let last = state?.terminated ?? lastState?.terminated, name = c.status.name, oom = last?.reason === "OOMKilled", livenessKilled = newestEvent(ctx, (e) => e.reason === "Killing" && /liveness probe/i.test(eventMessage(e)), name) !== void 0, ran = duration(last), limit = c.spec?.resources?.limits?.memory, when = ran === void 0 ? "" : ran < 1e4 ? " at start" : ` after ${seconds(ran)}`, how = oom ? `is OOMKilled${when} (${limit ? `memory limit ${limit}, ` : ""}` : `crashes${when} (exit code ${last?.exitCode ?? "?"}${last?.reason && last.reason !== "Error" ? ` ${last.reason}` : ""}, `;
    return {
      status: "failed",
      rule: oom ? "oom-killed" : "crash-loop",
      container: name,
      reason: state?.waiting?.reason === "CrashLoopBackOff" ? "CrashLoopBackOff" : last?.reason ?? "Error",
      message: `container ${name} in pod ${ctx.podName} ${how}${count} restart${count === 1 ? "" : "s"}, allowRestarts: ${ctx.options.allowRestarts})`,
      ...last?.exitCode !== void 0 ? { exitCode: last.exitCode } : {},
      restarts: count,
      ...timeOf(last?.finishedAt) !== void 0 ? { signalAt: iso(timeOf(last?.finishedAt)) } : {},
      events: containerEvents(ctx, name),
      needsLogs: { namespace: ctx.namespace, pod: ctx.podName, container: name, previous: !state?.terminated && lastState?.terminated !== void 0 },
      ...oom ? { hint: oomHint(c.spec) } : withHint(exitHint(last?.exitCode, last?.reason, livenessKilled))
    };
  });
}
function duration(t) {
  let start = timeOf(t?.startedAt), end = timeOf(t?.finishedAt);
  return start !== void 0 && end !== void 0 ? end - start : void 0;
}
function withHint(hint) {
  return hint ? { hint } : {};
}

// src/kube/rollout/pod-rules.ts
var MOUNT_OBJECT = /for volume "([^"]+)" : (configmap|secret) "([^"]+)" not found/i, MOUNT_KEY = /for volume "([^"]+)" : (configmap|secret) references non-existent (?:config|secret) key: (\S+)/i, PVC_MISSING = /persistentvolumeclaim "([^"]+)" not found/i;
function mountMissing(ctx) {
  let { pod } = ctx;
  if (containersOf(pod, ctx.memory).some((c) => c.status.state?.running || c.status.state?.terminated)) return;
  let outcomes = [], mountEvent = newestEvent(ctx, (e) => e.reason === "FailedMount" && (MOUNT_OBJECT.test(eventMessage(e)) || MOUNT_KEY.test(eventMessage(e))));
  if (mountEvent) {
    let text = eventMessage(mountEvent), target = mountTarget(pod, text, ctx.namespace);
    target && outcomes.push(
      confirmMissing(ctx, target, {
        rule: "mount-missing",
        reason: "FailedMount",
        message: `pod ${ctx.podName}: ${text}`,
        signalAt: eventIso(mountEvent),
        events: containerEvents(ctx),
        hint: configHint(target.kind, target.name, target.namespace, target.key)
      })
    );
  }
  let scheduled = conditionOf(pod.status?.conditions, "PodScheduled"), schedulingEvent = newestEvent(ctx, (e) => e.reason === "FailedScheduling" && PVC_MISSING.test(eventMessage(e))), schedulingText = [scheduled?.status === "False" ? scheduled.message : void 0, schedulingEvent && eventMessage(schedulingEvent)].find((t) => t && PVC_MISSING.test(t)), claim = schedulingText ? PVC_MISSING.exec(schedulingText)?.[1] : void 0;
  return claim && outcomes.push(
    confirmMissing(ctx, { kind: "PersistentVolumeClaim", namespace: ctx.namespace, name: claim }, {
      rule: "mount-missing",
      reason: scheduled?.reason ?? "FailedScheduling",
      message: `pod ${ctx.podName} cannot be scheduled: ${schedulingText}`,
      signalAt: eventIso(schedulingEvent) ?? iso(timeOf(scheduled?.lastTransitionTime)),
      events: containerEvents(ctx),
      hint: configHint("PersistentVolumeClaim", claim, ctx.namespace, void 0)
    })
  ), strongest(outcomes);
}
function mountTarget(pod, text, namespace) {
  let object = MOUNT_OBJECT.exec(text);
  if (object) return { kind: object[2].toLowerCase() === "secret" ? "Secret" : "ConfigMap", namespace, name: object[3] };
  let key = MOUNT_KEY.exec(text);
  if (!key) return;
  let volume = pod.spec?.volumes?.find((v) => v.name === key[1]), secret = key[2].toLowerCase() === "secret", name = secret ? volume?.secret?.secretName : volume?.configMap?.name;
  return name ? { kind: secret ? "Secret" : "ConfigMap", namespace, name, key: key[3] } : void 0;
}
function unschedulable(ctx) {
  let { pod, now } = ctx, c = conditionOf(pod.status?.conditions, "PodScheduled");
  if (c?.status !== "False" || c.reason !== "Unschedulable" || PVC_MISSING.test(c.message ?? "")) return;
  let failedScheduling = newestEvent(ctx, (e) => e.reason === "FailedScheduling"), scheduler = failedScheduling && eventMessage(failedScheduling) || c.message || "the pod cannot be scheduled", autoscaler = newestEvent(ctx, (e) => e.reason === "NotTriggerScaleUp" || e.reason === "TriggeredScaleUp"), noNodeComing = autoscaler?.reason === "NotTriggerScaleUp", window = autoscaler?.reason === "TriggeredScaleUp" ? 18e4 : ctx.options.unschedulableWindowMs, since = timeOf(c.lastTransitionTime) ?? timeOf(pod.metadata?.creationTimestamp) ?? firstSeen(containerMemory(ctx.memory, `${podKey(pod)}/`), "Unschedulable", now);
  if (!noNodeComing && now - since < window) return { status: "pending", until: since + window };
  let hint = schedulingHint(scheduler, surgeBlocked(ctx));
  return {
    status: "failed",
    rule: "unschedulable",
    reason: noNodeComing ? "NotTriggerScaleUp" : "Unschedulable",
    message: noNodeComing ? `pod ${ctx.podName} cannot be scheduled and no node is coming: ${scheduler}; cluster autoscaler: ${eventMessage(autoscaler)}` : `pod ${ctx.podName} has been unschedulable for ${seconds(now - since)}: ${scheduler}`,
    signalAt: noNodeComing ? eventIso(autoscaler) ?? iso(since) : iso(since),
    ...noNodeComing ? {} : { windowMs: window },
    events: containerEvents(ctx),
    ...hint ? { hint } : {}
  };
}
function surgeBlocked(ctx) {
  let { workload } = ctx;
  if (workload.kind !== "Deployment" || workload.spec?.strategy?.type === "Recreate") return !1;
  let surge = workload.spec?.strategy?.rollingUpdate?.maxSurge ?? "25%";
  return ctx.oldPods.some((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp) && surge !== 0 && surge !== "0" && surge !== "0%";
}
function readiness(ctx) {
  return strongest(
    containersOf(ctx.pod, ctx.memory).map((c) => {
      let running = c.status.state?.running;
      if (c.init || !running || c.status.ready !== !1) return;
      let started = timeOf(running.startedAt) ?? firstSeen(c.memory, "RunningNotReady", ctx.now), dropped = conditionOf(ctx.pod.status?.conditions, "ContainersReady"), droppedAt = dropped?.status === "False" ? timeOf(dropped.lastTransitionTime) : void 0, since = Math.max(started, droppedAt ?? started), everReady = droppedAt !== void 0 && droppedAt > started, window = c.spec ? readinessWindowMs(c.spec) : readinessWindowMs({ name: c.status.name, readinessProbe: {} });
      if (ctx.now - since < window) return { status: "pending", until: since + window };
      let name = c.status.name, unhealthy = newestEvent(ctx, (e) => e.reason === "Unhealthy" && /^(Readiness|Startup) probe/.test(eventMessage(e)), name), probe = c.spec?.readinessProbe, described = describeProbe(probe), budget = probe ? `, probe ${described}, every ${probe.periodSeconds ?? 10}s, ${probe.failureThreshold ?? 3} failures allowed` : "", hint = readinessHint(unhealthy && eventMessage(unhealthy), c.spec);
      return {
        status: "failed",
        rule: "readiness",
        container: name,
        reason: "NotReady",
        message: `container ${name} in pod ${ctx.podName} ${everReady ? `has not been Ready for ${seconds(ctx.now - since)}` : `has run for ${seconds(ctx.now - since)} without becoming Ready`} (window ${seconds(window)}${budget})${unhealthy ? `: ${eventMessage(unhealthy)}` : ""}`,
        signalAt: iso(since),
        windowMs: window,
        events: containerEvents(ctx, name),
        needsLogs: { namespace: ctx.namespace, pod: ctx.podName, container: name, previous: !1 },
        ...hint ? { hint } : {}
      };
    })
  );
}

// src/kube/rollout/workload-status.ts
var COMPLETION = {
  Deployment: deploymentCompletion,
  StatefulSet: statefulSetCompletion,
  DaemonSet: daemonSetCompletion,
  Job: jobCompletion
};
function completion(workload) {
  return COMPLETION[workload.kind](workload);
}
var waiting = (message) => ({ done: !1, message });
function deploymentCompletion(d) {
  let name = d.metadata?.name, s = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0))
    return waiting("Waiting for deployment spec update to be observed...");
  if (conditionOf(s.conditions, "Progressing")?.reason === "ProgressDeadlineExceeded")
    return waiting(`deployment "${name}" exceeded its progress deadline`);
  let replicas = d.spec?.replicas ?? 1, updated = s.updatedReplicas ?? 0, total = s.replicas ?? 0, available = s.availableReplicas ?? 0;
  return updated < replicas ? waiting(`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`) : total > updated ? waiting(`Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`) : available < updated ? waiting(`Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`) : { done: !0, message: `deployment "${name}" successfully rolled out` };
}
function statefulSetCompletion(sts) {
  let strategy = sts.spec?.updateStrategy;
  if ((strategy?.type ?? "RollingUpdate") !== "RollingUpdate")
    return { done: !0, message: `statefulset "${sts.metadata?.name}" uses ${strategy?.type}: pods update only when deleted` };
  let s = sts.status ?? {}, observed = s.observedGeneration ?? 0;
  if (observed === 0 || (sts.metadata?.generation ?? 0) > observed)
    return waiting("Waiting for statefulset spec update to be observed...");
  let replicas = sts.spec?.replicas ?? 1, ready = s.readyReplicas ?? 0, updated = s.updatedReplicas ?? 0;
  if (ready < replicas) return waiting(`Waiting for ${replicas - ready} pods to be ready...`);
  if (strategy?.rollingUpdate) {
    let partition = strategy.rollingUpdate.partition;
    return partition !== void 0 && updated < replicas - partition ? waiting(`Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`) : { done: !0, message: `partitioned roll out complete: ${updated} new pods have been updated...` };
  }
  return s.updateRevision !== s.currentRevision ? waiting(`waiting for statefulset rolling update to complete ${updated} pods at revision ${s.updateRevision}...`) : { done: !0, message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...` };
}
function daemonSetCompletion(ds) {
  let name = ds.metadata?.name, type = ds.spec?.updateStrategy?.type ?? "RollingUpdate";
  if (type !== "RollingUpdate")
    return { done: !0, message: `daemon set "${name}" uses ${type}: pods update only when deleted` };
  let s = ds.status ?? {};
  if ((ds.metadata?.generation ?? 0) > (s.observedGeneration ?? 0))
    return waiting("Waiting for daemon set spec update to be observed...");
  let desired = s.desiredNumberScheduled ?? 0, updated = s.updatedNumberScheduled ?? 0, available = s.numberAvailable ?? 0;
  return updated < desired ? waiting(`Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`) : available < desired ? waiting(`Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`) : { done: !0, message: `daemon set "${name}" successfully rolled out` };
}
function jobCompletion(job) {
  let s = job.status ?? {}, name = job.metadata?.name;
  if (conditionOf(s.conditions, "Complete")?.status === "True")
    return { done: !0, message: `job "${name}" completed: ${s.succeeded ?? 0} succeeded` };
  if (job.spec?.suspend === !0) return { done: !0, message: `job "${name}" is suspended (spec.suspend)` };
  let completions = job.spec?.completions ?? job.spec?.parallelism ?? 1;
  return waiting(`Waiting for job "${name}" to complete: ${s.succeeded ?? 0} of ${completions} succeeded, ${s.active ?? 0} active...`);
}

// src/kube/rollout/workload-rules.ts
var WORKLOAD_RULES = [jobFailed, replicaFailure, progressDeadline], iso2 = (ms) => ms === void 0 ? void 0 : new Date(ms).toISOString();
function progressDeadline({ workload }) {
  if (workload.kind !== "Deployment") return;
  let c = conditionOf(workload.status?.conditions, "Progressing");
  if (c?.status !== "False" || c.reason !== "ProgressDeadlineExceeded") return;
  let seconds2 = workload.spec?.progressDeadlineSeconds;
  return {
    status: "failed",
    rule: "progress-deadline",
    reason: c.reason,
    message: `${c.message ?? "the rollout made no progress"}${seconds2 !== void 0 ? ` (progressDeadlineSeconds: ${seconds2})` : ""}`,
    ...signal(c)
  };
}
function replicaFailure({ workload, revision, events, since }) {
  let condition = [workload.status?.conditions, revision.replicaSet?.status?.conditions].map((cs) => conditionOf(cs, "ReplicaFailure")).find((c) => c?.status === "True");
  if (condition)
    return {
      status: "failed",
      rule: "replica-failure",
      reason: condition.reason ?? "FailedCreate",
      message: condition.message ?? "the controller could not create pods",
      ...hintFor(condition.message),
      ...signal(condition)
    };
  let subjects = [
    eventsAbout(events, workload.kind, workload.metadata),
    revision.replicaSet ? eventsAbout(events, "ReplicaSet", revision.replicaSet.metadata) : []
  ].flat(), failed = subjects.find(
    (e) => e.type === "Warning" && e.reason === "FailedCreate" && (since === void 0 || (eventTime(e) ?? 0) >= since)
  );
  if (!failed) return;
  let message = eventMessage(failed);
  return {
    status: "failed",
    rule: "replica-failure",
    reason: "FailedCreate",
    message,
    ...hintFor(message),
    ...eventTime(failed) !== void 0 ? { signalAt: iso2(eventTime(failed)) } : {},
    events: subjects.slice(0, 5).map(summarize)
  };
}
function jobFailed({ workload, revision }) {
  if (workload.kind !== "Job") return;
  let conditions = workload.status?.conditions, c = [conditionOf(conditions, "Failed"), conditionOf(conditions, "FailureTarget")].find((x) => x?.status === "True");
  if (!c) return;
  let culprit = lastFailedContainer(revision.pods), counts2 = jobCounts(workload);
  return {
    status: "failed",
    rule: "job-failed",
    reason: c.reason ?? "Failed",
    message: `${c.message ?? "the Job failed"} (${counts2})`,
    ...signal(c),
    ...culprit ? {
      pod: culprit.pod,
      container: culprit.container,
      ...culprit.exitCode !== void 0 ? { exitCode: culprit.exitCode } : {},
      needsLogs: { namespace: workload.metadata?.namespace ?? "", pod: culprit.pod, container: culprit.container, previous: !1 }
    } : {}
  };
}
function jobCounts(job) {
  let s = job.status ?? {}, limit = job.spec?.backoffLimit;
  return `${s.failed ?? 0} failed${limit !== void 0 ? ` of backoffLimit ${limit}` : ""}, ${s.succeeded ?? 0} succeeded`;
}
function lastFailedContainer(pods) {
  let best;
  for (let pod of pods)
    for (let cs of [...pod.status?.initContainerStatuses ?? [], ...pod.status?.containerStatuses ?? []]) {
      let t = cs.state?.terminated;
      if (!t || (t.exitCode ?? 0) === 0) continue;
      let at = timeOf(t.finishedAt) ?? 0;
      (!best || at > best.at) && (best = { pod: pod.metadata?.name ?? "", container: cs.name, at, ...t.exitCode !== void 0 ? { exitCode: t.exitCode } : {} });
    }
  if (!best) return;
  let { at: _, ...rest } = best;
  return rest;
}
function signal(c) {
  let at = timeOf(c.lastTransitionTime) ?? timeOf(c.lastUpdateTime);
  return at !== void 0 ? { signalAt: iso2(at) } : {};
}
var HINTS = [
  [
    /exceeded quota/i,
    "The namespace's ResourceQuota has no room for the new pods (surge pods count too): raise the quota, lower the pods' requests, or set strategy.rollingUpdate.maxSurge: 0."
  ],
  [/serviceaccount "[^"]+" not found/i, "The ServiceAccount does not exist in this namespace: add it to the manifests."],
  [/violates PodSecurity/i, "The namespace's Pod Security level forbids this pod spec: the message names the fields to change."],
  [/admission webhook "[^"]+" denied/i, "An admission webhook (a policy engine) rejected the pod: its message names the policy."],
  [/LimitRange|must be less than or equal to|minimum \w+ usage/i, "The pod's resources break the namespace's LimitRange."]
];
function hintFor(message) {
  let hit = HINTS.find(([re]) => re.test(message ?? ""));
  return hit ? { hint: hit[1] } : {};
}

// src/kube/rollout/rules.ts
var POD_RULES = [
  { rules: ["image-pull"], judge: imagePull },
  { rules: ["config-missing"], judge: configMissing },
  { rules: ["container-create"], judge: containerCreate },
  { rules: ["mount-missing"], judge: mountMissing },
  { rules: ["oom-killed", "crash-loop"], judge: restarts },
  { rules: ["unschedulable"], judge: unschedulable },
  { rules: ["readiness"], judge: readiness }
];
function judgeWorkload(observation, context) {
  let { now, memory = emptyMemory(), options = DEFAULT_RULE_OPTIONS } = context, { workload, since } = observation, events = observation.events ?? [], next = structuredClone(memory), ref = workloadRef(workload), revision = newRevision(workload, observation), progress = progressOf(workload, revision, since, now), verdict = (v) => ({
    verdict: { ...v, workload: ref, events: v.events ?? [] },
    progress,
    memory: next
  });
  if (!revision.observed) {
    let generation = workload.metadata?.generation ?? 0, observed = workload.kind === "Job" ? generation : workload.status?.observedGeneration ?? 0;
    return verdict({ status: "progressing", message: `waiting for the controller to observe generation ${generation} (observed: ${observed})` });
  }
  let judged = revision.pods.filter((p) => isTolerated(p, workload) === void 0);
  for (let pod of judged) observePod(pod, next, now, since);
  let firstPending, question, failure;
  for (let pod of sortByName(judged)) {
    let outcome = applyPodRules(podContext(pod, workload, events, revision.oldPods, next, options, now));
    outcome?.status === "failed" && (!failure || earlier(outcome, failure)) && (failure = outcome), outcome?.status === "needs-confirmation" && (question ??= outcome), outcome?.status === "pending" && (!firstPending || outcome.until < firstPending.until) && (firstPending = outcome);
  }
  if (failure) return verdict(failure);
  let ruleContext = { workload, revision, events, ...since !== void 0 ? { since } : {} };
  for (let rule of WORKLOAD_RULES) {
    let finding = rule(ruleContext);
    if (finding) return verdict({ ...finding, events: finding.events ?? workloadEvents(workload, revision.pods, events) });
  }
  if (question) return verdict(question);
  let done = completion(workload);
  return done.done ? verdict({ status: "done", message: done.message }) : verdict({
    status: "progressing",
    message: done.message,
    ...firstPending ? { nextCheckAt: firstPending.until } : {}
  });
}
function earlier(a, b) {
  let at = (f) => f.signalAt ? Date.parse(f.signalAt) : 1 / 0;
  return at(a) < at(b);
}
function podContext(pod, workload, events, oldPods, memory, options, now) {
  return {
    pod,
    podName: pod.metadata?.name ?? "?",
    namespace: pod.metadata?.namespace ?? workload.metadata?.namespace ?? "default",
    events: eventsAbout(events, "Pod", pod.metadata),
    memory,
    options,
    now,
    workload,
    oldPods
  };
}
function applyPodRules(ctx) {
  let outcome = strongest(POD_RULES.map((r) => r.judge(ctx)));
  return outcome && outcome.status !== "pending" ? { ...outcome, pod: ctx.podName } : outcome;
}
function workloadRef(workload) {
  return { kind: workload.kind, namespace: workload.metadata?.namespace ?? "default", name: workload.metadata?.name ?? "?" };
}
function workloadEvents(workload, pods, events) {
  let about = [eventsAbout(events, workload.kind, workload.metadata), ...pods.map((p) => eventsAbout(events, "Pod", p.metadata))].flat();
  return newestFirst(about).slice(0, 5).map(summarize);
}
function sortByName(pods) {
  return [...pods].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
}

// src/kube/rollout/tracker-evidence.ts
var LOG_TIMEOUT_MS = 5e3, API_VERSION = { ConfigMap: "v1", Secret: "v1", PersistentVolumeClaim: "v1" };
async function isMissing(cluster, o) {
  let found = await cluster.get({ apiVersion: API_VERSION[o.kind], kind: o.kind, namespace: o.namespace, name: o.name });
  if (!found) return !0;
  if (o.key === void 0) return !1;
  let data = found.data ?? {}, binary = found.binaryData ?? {};
  return !(o.key in data) && !(o.key in binary);
}
async function lastLogLines(cluster, request) {
  let read = async (previous) => lines(await cluster.podLogs(request.namespace, request.pod, { container: request.container, previous, tailLines: 20 }).catch(() => "")), timer, timeout = new Promise((resolve) => timer = setTimeout(() => resolve([]), LOG_TIMEOUT_MS)), both = async () => {
    let first = await read(request.previous);
    return first.length ? first : read(!request.previous);
  };
  try {
    return await Promise.race([both(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
function lines(text) {
  return text === "" ? [] : text.replace(/\n$/, "").split(`
`).slice(-20);
}

// src/kube/rollout/tracker-result.ts
function failureOf(result) {
  let v = result.verdict;
  return {
    rule: v.rule ?? "rollout-timeout",
    resource: describeRef({ apiVersion: "", kind: v.workload.kind, namespace: v.workload.namespace, name: v.workload.name }),
    ...v.pod !== void 0 ? { pod: v.pod } : {},
    ...v.container !== void 0 ? { container: v.container } : {},
    ...v.reason !== void 0 ? { reason: v.reason } : {},
    message: v.message,
    ...v.exitCode !== void 0 ? { exitCode: v.exitCode } : {},
    ...v.signalAt !== void 0 ? { signalAt: v.signalAt } : {},
    ...v.windowMs !== void 0 ? { windowMs: v.windowMs } : {},
    detectedAt: result.detectedAt ?? (/* @__PURE__ */ new Date()).toISOString(),
    events: v.events,
    logLines: result.logLines ?? [],
    ...v.hint !== void 0 ? { hint: v.hint } : {},
    diagnosis: result.diagnosis ?? v.message
  };
}
function timeoutVerdict(last, timeoutMs, deadline, events, stuck) {
  return {
    status: "failed",
    workload: last.workload,
    rule: "rollout-timeout",
    reason: "RolloutTimeout",
    message: `not ready within the rollout timeout (${formatDuration(timeoutMs)}): ${last.message}`,
    signalAt: new Date(deadline).toISOString(),
    events,
    ...stuck ? { pod: stuck.pod, container: stuck.container, needsLogs: stuck } : {},
    hint: "No fail-fast rule fired: the pods may be slow rather than broken. Read the events and logs below; raise rollout.timeout if the workload needs longer."
  };
}
function pendingSummary(timedOut, timeoutMs) {
  let names = timedOut.map((r) => `${r.workload.kind} ${r.workload.namespace}/${r.workload.name}${r.progress ? ` (${r.progress})` : ""}`);
  return `rollout timeout ${formatDuration(timeoutMs)} reached; still waiting for ${names.join(", ")}`;
}
function stuckContainer(pods, namespace) {
  for (let pod of [...pods].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""))) {
    if (conditionOf(pod.status?.conditions, "Ready")?.status === "True") continue;
    let c = [...pod.status?.initContainerStatuses ?? [], ...pod.status?.containerStatuses ?? []].find((s) => !s.ready && (s.state?.running || s.lastState?.terminated || s.state?.terminated));
    if (!(!c || !pod.metadata?.name))
      return { namespace, pod: pod.metadata.name, container: c.name, previous: !c.state?.running && !c.state?.terminated && c.lastState?.terminated !== void 0 };
  }
}
function progressKey(p) {
  return p.elapsedMs === void 0 ? p.text : p.text.replace(/, [0-9hms]+$/, "");
}

// src/kube/rollout/tracker.ts
var TRACKED_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job"], API_VERSIONS = { Deployment: "apps/v1", StatefulSet: "apps/v1", DaemonSet: "apps/v1", Job: "batch/v1" }, EVENT_HISTORY_MS = 5 * 6e4;
function workloadsOf(objects) {
  return objects.map((o) => "metadata" in o ? { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...o.metadata.namespace ? { namespace: o.metadata.namespace } : {} } : o).filter((r) => TRACKED_KINDS.includes(r.kind));
}
function trackRollout(cluster, workloads, options) {
  return new Rollout(cluster, workloads, options).run();
}
var Rollout = class {
  #cluster;
  #refs;
  #options;
  #now;
  #trackers = [];
  #feeds;
  #deadline;
  #settle = () => {
  };
  #ended = !1;
  #startedAt = 0;
  constructor(cluster, refs, options) {
    this.#cluster = cluster, this.#refs = refs, this.#options = options, this.#now = options.now ?? Date.now;
  }
  run() {
    let settled = new Promise((resolve) => this.#settle = resolve);
    this.#startedAt = this.#now();
    let { signal: signal2 } = this.#options;
    if (signal2?.aborted) return Promise.resolve(this.#result("cancelled"));
    let onAbort = () => this.#end("cancelled");
    return signal2?.addEventListener("abort", onAbort, { once: !0 }), this.#deadline = setTimeout(() => {
      this.#timeout();
    }, this.#options.timeoutMs), this.#start(), settled.then((r) => {
      if (signal2?.removeEventListener("abort", onAbort), r instanceof Error) throw r;
      return r;
    });
  }
  async #start() {
    let since = Math.floor((this.#options.since ?? this.#startedAt) / 1e3) * 1e3, feeds = new FeedHub(
      this.#cluster,
      (ns) => {
        for (let t of this.#trackers) t.ref.namespace === ns && t.poke();
      },
      (err) => this.#fail(err)
    );
    this.#feeds = feeds;
    let shared = {
      cluster: this.#cluster,
      feeds,
      options: { ...DEFAULT_RULE_OPTIONS, ...this.#options.rules },
      since,
      now: this.#now,
      startedAt: this.#startedAt,
      logger: this.#options.logger,
      prefix: this.#options.progressPrefix ?? "",
      finished: () => this.#check()
    };
    try {
      for (let ref of this.#refs) this.#trackers.push(new WorkloadTracker(ref, shared));
      if (!this.#trackers.length) return this.#end("done");
      let recent = (o) => (eventTime(o) ?? 1 / 0) >= since - EVENT_HISTORY_MS;
      await Promise.all(
        this.#trackers.flatMap(
          (t) => feedsFor(t.ref.kind).map((f) => feeds.open({ ...f, namespace: t.ref.namespace, ...f.kind === "Event" ? { keep: recent } : {} }))
        )
      );
      for (let t of this.#trackers) t.poke();
    } catch (err) {
      this.#fail(err instanceof Error ? err : new Error(String(err)));
    }
  }
  /** After each workload ends: the first failure ends the rollout, all done ends it too. */
  #check() {
    if (!this.#ended) {
      if (this.#trackers.some((t) => t.result?.status === "failed")) return this.#end("failed");
      this.#trackers.every((t) => t.result?.status === "done") && this.#end("done");
    }
  }
  async #timeout() {
    if (this.#ended) return;
    let deadline = this.#now(), waiting2 = this.#trackers.filter((t) => !t.result);
    for (let t of waiting2) t.halt();
    await Promise.all(waiting2.map((t) => t.timeOut(this.#options.timeoutMs, deadline))), this.#trackers.some((t) => t.finishing) || this.#end("failed");
  }
  #end(status) {
    this.#ended || this.#settle(this.#result(status));
  }
  #fail(err) {
    this.#ended || (this.#stopAll(), this.#settle(err));
  }
  #stopAll() {
    this.#ended = !0, clearTimeout(this.#deadline);
    for (let t of this.#trackers) t.halt();
    this.#feeds?.stop();
  }
  #result(status) {
    this.#stopAll();
    let workloads = this.#trackers.map((t) => t.result ?? t.stoppedResult()), elapsedMs = this.#now() - this.#startedAt;
    if (status !== "failed") return { status, workloads, elapsedMs };
    let failed = workloads.filter((w) => w.status === "failed").sort((a, b) => (a.detectedAt ?? "").localeCompare(b.detectedAt ?? ""))[0];
    if (failed) return { status, workloads, failure: failureOf(failed), elapsedMs };
    let timedOut = workloads.filter((w) => w.status === "timed-out"), first = failureOf(timedOut[0]), summary = pendingSummary(timedOut, this.#options.timeoutMs);
    return { status, workloads, failure: { ...first, message: summary, diagnosis: [summary, ...timedOut.map((w) => w.diagnosis)].join(`
`) }, elapsedMs };
  }
}, WorkloadTracker = class {
  ref;
  #apiVersion;
  #shared;
  #memory = emptyMemory();
  #last;
  #progress;
  #printed;
  #timer;
  #queued = !1;
  #halted = !1;
  /** A failure verdict is reached and its logs are being read. */
  #finishing = !1;
  #asking = /* @__PURE__ */ new Set();
  result;
  constructor(ref, shared) {
    if (!TRACKED_KINDS.includes(ref.kind)) throw new Error(`${ref.kind} ${ref.name} is not a workload the tracker follows (${TRACKED_KINDS.join(", ")})`);
    if (!ref.namespace) throw new Error(`${ref.kind} ${ref.name} has no namespace`);
    this.ref = { kind: ref.kind, namespace: ref.namespace, name: ref.name }, this.#apiVersion = API_VERSIONS[this.ref.kind], this.#shared = shared, this.#last = { status: "progressing", workload: this.ref, message: `waiting for ${ref.kind} ${ref.namespace}/${ref.name} to be read`, events: [] };
  }
  get finishing() {
    return this.#finishing && !this.result;
  }
  /** Something changed: judge once after the current burst of watch events. */
  poke() {
    this.#queued || this.result || this.#halted || (this.#queued = !0, setImmediate(() => {
      this.#queued = !1, this.#judge();
    }));
  }
  #workload() {
    let { kind, namespace, name } = this.ref;
    return this.#shared.feeds.items(this.#apiVersion, kind, namespace).find((w) => w.metadata?.name === name);
  }
  #observation(workload) {
    let { feeds } = this.#shared, ns = this.ref.namespace, selector = workload.spec?.selector, selected = (items) => items.filter((o) => matchesSelector(selector, o.metadata?.labels));
    return {
      workload,
      pods: selected(feeds.items("v1", "Pod", ns)),
      ...workload.kind === "Deployment" ? { replicaSets: selected(feeds.items("apps/v1", "ReplicaSet", ns)) } : {},
      ...workload.kind === "DaemonSet" ? { controllerRevisions: selected(feeds.items("apps/v1", "ControllerRevision", ns)) } : {},
      events: feeds.items("v1", "Event", ns),
      since: this.#shared.since
    };
  }
  #judge() {
    if (this.result || this.#halted) return;
    let workload = this.#workload();
    if (!workload) {
      this.#last = { ...this.#last, status: "progressing", message: `${this.ref.kind} ${this.ref.namespace}/${this.ref.name} does not exist` };
      return;
    }
    let now = this.#shared.now(), { verdict, progress, memory } = judgeWorkload(this.#observation(workload), { now, memory: this.#memory, options: this.#shared.options });
    this.#memory = memory, this.#last = verdict, this.#progress = progress.text;
    let key = progressKey(progress);
    switch (key !== this.#printed && (this.#printed = key, this.#shared.logger?.info(`${this.#shared.prefix}${progress.text}`)), clearTimeout(this.#timer), verdict.status) {
      case "done":
      case "failed":
        return void this.#finish(verdict.status, verdict, now);
      case "needs-confirmation":
        return void this.#confirm(verdict);
      case "progressing":
        verdict.nextCheckAt !== void 0 && (this.#timer = setTimeout(() => this.poke(), Math.max(0, verdict.nextCheckAt - now) + 5));
    }
  }
  /** needs-confirmation: look the object up, remember the answer, judge again. */
  async #confirm(verdict) {
    let object = verdict.confirm, key = lookupKey(object);
    if (this.#asking.has(key)) return;
    this.#asking.add(key);
    let missing;
    try {
      missing = await isMissing(this.#shared.cluster, object);
    } catch (err) {
      this.#shared.logger?.debug(`could not look up ${object.kind} ${object.namespace}/${object.name}: ${err.message}`), missing = !0;
    } finally {
      this.#asking.delete(key);
    }
    if (this.#memory = recordLookup(this.#memory, object, missing, this.#shared.now()), !missing) {
      let what = `${object.kind} ${object.namespace}/${object.name}${object.key ? ` (key ${object.key})` : ""}`;
      this.#shared.logger?.info(`${this.#shared.prefix}${this.ref.name}: ${what} exists; the kubelet has not caught up yet`);
    }
    this.poke();
  }
  async #finish(status, verdict, now) {
    this.halt();
    let base = { workload: this.ref, verdict, ...this.#progress ? { progress: this.#progress } : {}, elapsedMs: now - this.#shared.startedAt };
    if (status === "done")
      return this.result = { ...base, status }, this.#shared.finished();
    let detectedAt = new Date(now).toISOString();
    this.#finishing = !0;
    let logLines = verdict.needsLogs ? await lastLogLines(this.#shared.cluster, verdict.needsLogs) : [];
    this.result = { ...base, status, detectedAt, diagnosis: formatDiagnosis(verdict, logLines), logLines }, this.#shared.finished();
  }
  /** The deadline came first: a failure naming what it still waited for, with the newest events and logs. */
  async timeOut(timeoutMs, deadline) {
    if (this.#finishing || this.result) return;
    let workload = this.#workload(), events = [], stuck;
    if (workload) {
      let observation = this.#observation(workload), revision = newRevision(workload, observation);
      events = workloadEvents(workload, revision.pods, observation.events ?? []), stuck = stuckContainer(revision.pods, this.ref.namespace), this.#progress = progressOf(workload, revision, this.#shared.since, deadline).text;
    }
    let verdict = timeoutVerdict(this.#last, timeoutMs, this.#shared.startedAt + timeoutMs, events, stuck), logLines = stuck ? await lastLogLines(this.#shared.cluster, stuck) : [];
    this.result = {
      workload: this.ref,
      status: "timed-out",
      verdict,
      ...this.#progress ? { progress: this.#progress } : {},
      elapsedMs: deadline - this.#shared.startedAt,
      detectedAt: new Date(deadline).toISOString(),
      diagnosis: formatDiagnosis(verdict, logLines),
      logLines
    };
  }
  /** Where it stood when the rollout ended without it (another workload failed first, or the run was cancelled). */
  stoppedResult() {
    return { workload: this.ref, status: "stopped", verdict: this.#last, ...this.#progress ? { progress: this.#progress } : {}, elapsedMs: this.#shared.now() - this.#shared.startedAt };
  }
  /** No more judgements. */
  halt() {
    this.#halted = !0, clearTimeout(this.#timer);
  }
};
function feedsFor(kind) {
  return [
    { apiVersion: API_VERSIONS[kind], kind },
    { apiVersion: "v1", kind: "Pod" },
    { apiVersion: "v1", kind: "Event" },
    ...kind === "Deployment" ? [{ apiVersion: "apps/v1", kind: "ReplicaSet" }] : [],
    ...kind === "DaemonSet" ? [{ apiVersion: "apps/v1", kind: "ControllerRevision" }] : []
  ];
}

export {
  formatDiagnosis,
  timeOf,
  recordLookup,
  newRevision,
  DEFAULT_RULE_OPTIONS,
  judgeWorkload,
  isMissing,
  lastLogLines,
  stuckContainer,
  TRACKED_KINDS,
  workloadsOf,
  trackRollout
};
