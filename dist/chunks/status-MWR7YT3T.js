import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  DEFAULT_RULE_OPTIONS,
  TRACKED_KINDS,
  formatDiagnosis,
  isMissing,
  judgeWorkload,
  lastLogLines,
  newRevision,
  recordLookup,
  stuckContainer,
  timeOf
} from "./chunk-TVX7SFGC.js";
import {
  describeRef
} from "./chunk-DKP2MMLE.js";
import "./chunk-R7NFTJUE.js";
import {
  parseImageRef
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/commands/status.ts
async function status(config, envName, cluster, options = {}) {
  let env = environmentOf(config, envName), now = options.now ?? Date.now(), ns = env.namespace, [workloads, pods, replicaSets, revisions, events] = await Promise.all([
    options.workloads ? readWorkloads(cluster, options.workloads, ns) : listWorkloads(cluster, ns),
    cluster.list("v1", "Pod", ns),
    cluster.list("apps/v1", "ReplicaSet", ns),
    cluster.list("apps/v1", "ControllerRevision", ns),
    cluster.list("v1", "Event", ns)
  ]), related = {
    pods: pods.items,
    replicaSets: replicaSets.items,
    controllerRevisions: revisions.items,
    events: events.items
  }, report = {
    environment: env.name,
    namespace: ns,
    context: cluster.context,
    workloads: await Promise.all(workloads.map((w) => "missing" in w ? missing(w.missing) : workloadStatus(cluster, w, related, env, now)))
  };
  return { report, text: formatStatus(report) };
}
function environmentOf(config, name) {
  let env = config.environments[name];
  if (!env) throw new InputError(`environment "${name}" is not in ${config.file} (known: ${Object.keys(config.environments).join(", ") || "none"})`);
  return env;
}
async function listWorkloads(cluster, ns) {
  let kinds = ["Deployment", "StatefulSet", "DaemonSet"];
  return (await Promise.all(kinds.map((k) => cluster.list("apps/v1", k, ns)))).flatMap((l) => l.items.sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "")));
}
async function readWorkloads(cluster, refs, ns) {
  let tracked = refs.filter((r) => TRACKED_KINDS.includes(r.kind)).map((r) => ({ ...r, namespace: r.namespace ?? ns }));
  return Promise.all(tracked.map(async (ref) => await cluster.get(ref) ?? { missing: ref }));
}
function missing(ref) {
  return {
    kind: ref.kind,
    namespace: ref.namespace ?? "",
    name: ref.name,
    state: "missing",
    images: [],
    desired: 0,
    updated: 0,
    ready: 0,
    message: `${describeRef(ref)} is in the manifests but not in the cluster`
  };
}
async function workloadStatus(cluster, workload, related, env, now) {
  let revision = newRevision(workload, related), since = revisionSince(workload, revision, related), observation = { workload, ...related, ...since !== void 0 ? { since } : {} }, options = { ...DEFAULT_RULE_OPTIONS, allowRestarts: env.rollout.allowRestarts, unschedulableWindowMs: env.rollout.unschedulableWindowMs, pullErrorBudget: env.rollout.pullErrorBudget }, judged = judgeWorkload(observation, { now, options });
  if (judged.verdict.status === "needs-confirmation" && judged.verdict.confirm) {
    let answer = await isMissing(cluster, judged.verdict.confirm).catch(() => !0);
    judged = judgeWorkload(observation, { now, options, memory: recordLookup(judged.memory, judged.verdict.confirm, answer, now) });
  }
  let { verdict, progress } = judged, state = verdict.status === "done" ? "ready" : verdict.status === "failed" ? "failed" : "progressing", diagnosis;
  if (state !== "ready") {
    let logs = verdict.needsLogs ?? stuckContainer(revision.pods, workload.metadata?.namespace ?? env.namespace), lines = logs ? await lastLogLines(cluster, logs) : [];
    diagnosis = formatDiagnosis(logs && !verdict.needsLogs ? { ...verdict, needsLogs: logs } : verdict, lines);
  }
  return {
    kind: workload.kind,
    namespace: workload.metadata?.namespace ?? env.namespace,
    name: workload.metadata?.name ?? "?",
    state,
    images: imagesOf(workload, revision.pods),
    desired: progress.desired,
    updated: progress.updated,
    ready: progress.ready,
    ...revision.revision !== void 0 ? { revision: revision.revision } : {},
    ...since !== void 0 ? { since: new Date(since).toISOString() } : {},
    message: verdict.message,
    ...diagnosis ? { diagnosis } : {},
    verdict
  };
}
function revisionSince(workload, revision, related) {
  let created = (o) => timeOf(o?.metadata?.creationTimestamp);
  if (revision.replicaSet) return created(revision.replicaSet);
  if (workload.kind === "Job") return timeOf(workload.status?.startTime) ?? created(workload);
  let cr = related.controllerRevisions.find((c) => c.metadata?.name === revision.revision || c.metadata?.name === `${workload.metadata?.name}-${revision.revision}`);
  if (cr) return created(cr);
  let pods = revision.pods.map(created).filter((t) => t !== void 0);
  return pods.length ? Math.min(...pods) : created(workload);
}
function imagesOf(workload, pods) {
  return [...workload.spec?.template?.spec?.initContainers ?? [], ...workload.spec?.template?.spec?.containers ?? []].map((c) => {
    let image = c.image ?? "", digest = pinnedDigest(image) ?? runningDigest(pods, c.name);
    return { container: c.name, image, ...digest ? { digest } : {} };
  });
}
function pinnedDigest(image) {
  try {
    return parseImageRef(image).digest;
  } catch {
    return;
  }
}
function runningDigest(pods, container) {
  for (let pod of pods) {
    let id = [...pod.status?.initContainerStatuses ?? [], ...pod.status?.containerStatuses ?? []].find((s) => s.name === container)?.imageID, digest = id ? /@(sha256:[0-9a-f]{64})$/.exec(id)?.[1] : void 0;
    if (digest) return digest;
  }
}
var STATE_WORD = { ready: "rolled out", progressing: "rolling out", failed: "STUCK", missing: "MISSING" };
function formatStatus(r) {
  let lines = [`environment ${r.environment}: namespace ${r.namespace}${r.context ? `, context ${r.context}` : ""}`];
  r.workloads.length || lines.push("  no Deployments, StatefulSets or DaemonSets");
  for (let w of r.workloads) {
    let counts = w.state === "missing" ? "" : `, ${w.ready}/${w.desired} ready, ${w.updated} updated`, since = w.since ? `, since ${w.since}` : "";
    lines.push(`${w.kind} ${w.name}: ${STATE_WORD[w.state]}${counts}${w.revision ? `, revision ${w.revision}` : ""}${since}`);
    for (let i of w.images) lines.push(`  ${i.container}: ${i.image}${i.digest && !i.image.includes(i.digest) ? ` (running ${i.digest})` : ""}`);
    w.diagnosis ? lines.push(...w.diagnosis.split(`
`).map((l) => `  ${l}`)) : w.state === "missing" && lines.push(`  ${w.message}`);
  }
  return lines.join(`
`);
}
export {
  formatStatus,
  status
};
