import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  versionOn,
  versionTagsOf,
  versionsOn
} from "./chunk-ZJUFLAIK.js";
import {
  readImageLabels
} from "./chunk-6FNNVD6X.js";
import "./chunk-BIB7UNEJ.js";
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
  OCI_REVISION_LABEL
} from "./chunk-HEIWUJ7H.js";
import {
  describeRef
} from "./chunk-DKP2MMLE.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-RZET367P.js";
import {
  parseImageRef,
  parseRepository,
  sameRepository
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/commands/status.ts
async function status(config, envName, cluster, options = {}) {
  let env = environmentOf(config, envName), now = options.now ?? Date.now(), ns = env.namespace, [tags, workloads, pods, replicaSets, revisions, events] = await Promise.all([
    options.registryFor ? readTargetTags(config, env, options.registryFor) : void 0,
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
  }, statuses = await Promise.all(workloads.map((w) => "missing" in w ? missing(w.missing) : workloadStatus(cluster, w, related, env, now))), report = {
    environment: env.name,
    namespace: ns,
    context: cluster.context,
    ...tags ? { targetTags: compareWithCluster(tags, statuses) } : {},
    workloads: statuses
  };
  return { report, text: formatStatus(report) };
}
async function readTargetTags(config, env, registryFor) {
  return Promise.all(
    config.images.map(async (image) => {
      let base = { image: image.name, repository: image.repository, tag: env.targetTag, versions: [] };
      try {
        let registry = await registryFor(image.repository), [found, history] = await Promise.all([registry.resolve(image.repository, env.targetTag), versionTagsOf(registry, image.repository)]);
        if (!found) return { status: base, history };
        let versions = versionsOn(history, found.digest), revision = (await readImageLabels(registry, image.repository, found.digest).catch(() => ({})))[OCI_REVISION_LABEL];
        return { status: { ...base, digest: found.digest, versions, ...revision ? { revision } : {} }, history };
      } catch (err) {
        return { status: { ...base, error: err.message }, history: [] };
      }
    })
  );
}
function compareWithCluster(tags, workloads) {
  return tags.map(({ status: status2, history }) => {
    let runningIn = /* @__PURE__ */ new Set(), drift = [];
    for (let w of workloads)
      for (let i of w.images) {
        if (!i.digest || !isOfRepository(i.image, status2.repository)) continue;
        let version = versionOn(history, i.digest)?.tag;
        version && (i.version = version), i.digest === status2.digest ? runningIn.add(`${w.kind} ${w.name}`) : status2.digest && drift.push({ workload: `${w.kind} ${w.name}`, container: i.container, digest: i.digest, ...version ? { version } : {} });
      }
    return { ...status2, runningIn: [...runningIn], drift };
  });
}
function isOfRepository(image, repository) {
  try {
    return sameRepository(image, parseRepository(repository));
  } catch {
    return !1;
  }
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
function statusMessage(r) {
  let stuck = r.workloads.filter((w) => w.state !== "ready"), drifted = (r.targetTags ?? []).filter((t) => t.drift.length > 0), parts = [
    stuck.length ? `${stuck.length} of ${r.workloads.length} workloads not ready: ${stuck.map((w) => `${w.name} ${w.state}`).join(", ")}` : `all ${r.workloads.length} workloads ready`,
    ...drifted.map((t) => `${t.image} drifted from ${t.tag} (${t.drift.map((d) => d.workload).join(", ")})`)
  ], version = statusVersion(r).version;
  return `${version ? `${r.environment} runs ${version}; ` : ""}${parts.join("; ")}`;
}
function statusVersion(r) {
  let versions = (r.targetTags ?? []).map((t) => t.versions[0]), first = versions[0];
  return first !== void 0 && versions.every((v) => v === first) ? { version: first } : {};
}
var STATE_WORD = { ready: "rolled out", progressing: "rolling out", failed: "STUCK", missing: "MISSING" };
function formatStatus(r) {
  let lines = [`environment ${r.environment}: namespace ${r.namespace}${r.context ? `, context ${r.context}` : ""}`];
  for (let t of r.targetTags ?? []) lines.push(...formatTargetTag(t));
  r.workloads.length || lines.push("  no Deployments, StatefulSets or DaemonSets");
  for (let w of r.workloads) {
    let counts = w.state === "missing" ? "" : `, ${w.ready}/${w.desired} ready, ${w.updated} updated`, since = w.since ? `, since ${w.since}` : "";
    lines.push(`${w.kind} ${w.name}: ${STATE_WORD[w.state]}${counts}${w.revision ? `, revision ${w.revision}` : ""}${since}`);
    for (let i of w.images) {
      let running = i.digest && !i.image.includes(i.digest) ? `running ${i.digest}` : void 0, about = [i.version, running].filter(Boolean).join(", ");
      lines.push(`  ${i.container}: ${i.image}${about ? ` (${about})` : ""}`);
    }
    w.diagnosis ? lines.push(...w.diagnosis.split(`
`).map((l) => `  ${l}`)) : w.state === "missing" && lines.push(`  ${w.message}`);
  }
  return lines.join(`
`);
}
function formatTargetTag(t) {
  let ref = `${t.repository}:${t.tag}`;
  if (t.error) return [`${t.image}: ${ref}: the registry could not be read: ${t.error}`];
  if (!t.digest) return [`${t.image}: ${ref} does not exist: nothing deployed to this environment yet`];
  let what = [t.versions.length ? t.versions.join(", ") : "no version tag", t.digest, t.revision ? `commit ${t.revision.slice(0, 12)}` : void 0], where = t.runningIn.length ? `, running in ${t.runningIn.join(", ")}` : ", run by no workload", lines = [`${t.image}: ${ref} -> ${what.filter(Boolean).join(", ")}${where}`];
  for (let d of t.drift)
    lines.push(
      `  DRIFT: ${d.workload} (${d.container}) runs ${d.version ?? d.digest}${d.version ? ` (${d.digest})` : ""}, not what ${t.tag} points at: a deploy that did not finish, or a change by hand; deploy again, or rollback to what should run`
    );
  return lines;
}
export {
  formatStatus,
  status,
  statusMessage,
  statusVersion
};
