import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  RegistryError
} from "./chunk-Y3S6HAY2.js";
import {
  describeRef
} from "./chunk-DKP2MMLE.js";

// src/deploy/target-tags.ts
async function currentManifest(registry, repository, tag) {
  try {
    return await registry.getManifest(repository, tag);
  } catch (err) {
    if (err instanceof RegistryError && err.status === 404) return;
    throw err;
  }
}
function previousOf(manifest) {
  return manifest ? { previousDigest: manifest.digest, previousManifest: { mediaType: manifest.mediaType, bytes: manifest.bytes.toString("base64") } } : {};
}
function movesBeforeVerify(policy, tag) {
  return policy === "before-verify" && tag.previousDigest !== void 0;
}
var TagMovedError = class extends Error {
  name = "TagMovedError";
  current;
  constructor(tag, current) {
    super(`${tag.repository}:${tag.tag} was moved by someone else to ${current ?? "nothing (deleted)"} during the run; it is left to them`), this.current = current;
  }
};
async function moveTargetTag(registry, tag) {
  if (tag.previousDigest === tag.digest) return;
  let current = (await registry.resolve(tag.repository, tag.tag))?.digest;
  if (current !== tag.previousDigest) throw new TagMovedError(tag, current);
  await registry.moveTag(tag.repository, tag.tag, tag.digest), tag.moved = !0;
}
async function confirmTargetTags(tags, registryFor) {
  for (let t of tags.filter((t2) => t2.moved)) {
    let current = (await (await registryFor(t.repository)).resolve(t.repository, t.tag))?.digest;
    if (current !== t.digest) throw new TagMovedError(t, current);
  }
}
async function revertTargetTags(tags, registryFor) {
  return Promise.all(
    tags.filter((t) => t.moved).map(async (t) => {
      try {
        let registry = await registryFor(t.repository);
        return t.previousDigest && t.previousManifest && registry.rememberManifest?.(t.repository, { digest: t.previousDigest, mediaType: t.previousManifest.mediaType, bytes: Buffer.from(t.previousManifest.bytes, "base64") }), { ...t, result: await registry.revertTag(t.repository, t.tag, t.digest, t.previousDigest) };
      } catch (err) {
        return { ...t, result: { status: "failed", message: err instanceof Error ? err.message : String(err) } };
      }
    })
  );
}
function isRestored(r) {
  return r.result.status === "restored" || r.result.status === "deleted";
}
function describeTagRevert(r) {
  let ref = `${r.repository}:${r.tag}`;
  switch (r.result.status) {
    case "restored":
      return `${ref} is back on ${r.result.digest}`;
    case "deleted":
      return `${ref} removed (it did not exist before the run)`;
    case "moved-by-someone-else":
      return `${ref} was moved by someone else to ${r.result.current ?? "nothing (deleted)"} since this run set it; left alone`;
    case "not-removed":
      return `${ref} is still on ${r.result.current}: ${r.result.reason}`;
    case "failed":
      return `${ref} could not be reverted to ${r.previousDigest ?? "nothing"}: ${r.result.message}`;
  }
}

// src/kube/restore-plan.ts
var NEVER_DELETED = {
  PersistentVolumeClaim: "PersistentVolumeClaims are never deleted: the volume may already hold data",
  Namespace: "Namespaces are never deleted: everything in them would go too",
  Secret: "Secrets are never deleted: they may have been filled in by hand or by another tool",
  CustomResourceDefinition: "CustomResourceDefinitions are never deleted: every custom resource of the kind would go too"
}, RESTORED_WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet"], CONTROLLER_ANNOTATIONS = ["deployment.kubernetes.io/revision", "deprecated.daemonset.template.generation"], SERVER_METADATA = ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"];
function planRestore(entries) {
  let applies = [], deletes = [];
  for (let s of entries)
    s.previous ? applies.push({ action: "apply", ref: s.ref, body: restoreBody(s.previous) }) : NEVER_DELETED[s.ref.kind] ? deletes.push({ action: "leave", ref: s.ref, reason: NEVER_DELETED[s.ref.kind] }) : deletes.push({ action: "delete", ref: s.ref });
  let workload = (step) => isWorkload(step.ref);
  return [...applies.filter((s) => !workload(s)), ...applies.filter(workload), ...deletes.reverse()];
}
function isWorkload(ref) {
  return ["Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"].includes(ref.kind);
}
function restoreBody(before) {
  let body = structuredClone(before);
  delete body.status;
  let meta = body.metadata;
  for (let field of SERVER_METADATA) delete meta[field];
  let annotations = body.metadata.annotations;
  if (annotations) {
    for (let a of CONTROLLER_ANNOTATIONS) delete annotations[a];
    Object.keys(annotations).length || delete body.metadata.annotations;
  }
  return body;
}
function restorableContent(o) {
  let { metadata, status: _status, ...rest } = restoreBody(o);
  return { ...rest, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} };
}
function extraKeys(live, before) {
  let keys = (o) => [...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {})], wanted = new Set(keys(before));
  return keys(live).filter((k) => !wanted.has(k));
}
function kubectlName(ref) {
  let group = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ""}/${ref.name}`;
}
function kubectlPrefix(ref, context) {
  return `kubectl${context ? ` --context ${context}` : ""}${ref.namespace ? ` -n ${ref.namespace}` : ""}`;
}
function finishCommands(stage, ref, context, file) {
  let k = kubectlPrefix(ref, context), name = kubectlName(ref);
  switch (stage) {
    case "apply": {
      let commands = file ? [`${k} apply --server-side --force-conflicts --field-manager=rollgate -f ${file}`] : [`${k} edit ${name}   # put back the state before the deploy (${describeRef(ref)})`];
      return RESTORED_WORKLOAD_KINDS.includes(ref.kind) && !file && commands.unshift(`${k} rollout undo ${name}`), commands;
    }
    case "delete":
      return [`${k} delete ${name}`];
    case "rollout":
      return [`${k} rollout status ${name} --timeout=5m`, `${k} describe ${name}`];
  }
}

// src/deploy/leftovers.ts
function tagLeftovers(reverts, insecure = () => !1) {
  let out = [];
  for (let r of reverts) {
    let { status } = r.result;
    if (status === "restored" || status === "deleted" || status === "moved-by-someone-else") continue;
    let plain = insecure(r.repository), skopeo = `skopeo copy --all${plain ? " --src-tls-verify=false --dest-tls-verify=false" : ""}`;
    if (r.previousDigest === void 0) {
      out.push({
        what: describeTagRevert(r),
        commands: [`# the tag did not exist before the run; point it where it should be, e.g.: ${skopeo} docker://${r.repository}@<digest> docker://${r.repository}:${r.tag}`]
      });
      continue;
    }
    out.push({
      what: describeTagRevert(r),
      commands: [
        `${skopeo} docker://${r.repository}@${r.previousDigest} docker://${r.repository}:${r.tag}`,
        `# or: crane tag${plain ? " --insecure" : ""} ${r.repository}@${r.previousDigest} ${r.tag}`
      ]
    });
  }
  return out;
}
function restoreLeftovers(result) {
  return result.problems.map((p) => ({ what: `${describeRef(p.ref)}: ${p.stage === "rollout" ? "not Available again" : `${p.stage} failed`}: ${firstLine(p.message)}`, commands: p.commands }));
}
function unrestoredLeftovers(snapshot, previousObjectsFile, context, why) {
  let changed = snapshot.entries.filter((e) => e.previous), created = snapshot.entries.filter((e) => !e.previous), out = [];
  if (changed.length) {
    let ns = changed[0].ref, k = kubectlPrefix(ns, context), workloads = changed.filter((e) => ["Deployment", "StatefulSet", "DaemonSet"].includes(e.ref.kind));
    out.push({
      what: `the objects this run changed are not restored (${why}): ${changed.map((e) => describeRef(e.ref)).join(", ")}`,
      commands: [
        ...previousObjectsFile ? [`${k} apply --server-side --force-conflicts --field-manager=rollgate -f ${previousObjectsFile}`] : [],
        ...workloads.map((e) => `${kubectlPrefix(e.ref, context)} rollout ${previousObjectsFile ? "status" : "undo"} ${kubectlName(e.ref)}`)
      ]
    });
  }
  let deletable = created.filter((e) => !["PersistentVolumeClaim", "Namespace", "Secret", "CustomResourceDefinition"].includes(e.ref.kind));
  return deletable.length && out.push({
    what: `objects this run created may still exist: ${deletable.map((e) => describeRef(e.ref)).join(", ")}`,
    commands: deletable.map((e) => `${kubectlPrefix(e.ref, context)} delete --ignore-not-found ${kubectlName(e.ref)}`)
  }), out;
}
function formatLeftovers(leftovers) {
  let lines = ["The revert did not finish. Left to do, by hand:"];
  for (let l of leftovers) {
    lines.push(`  - ${l.what}`);
    for (let c of l.commands) lines.push(`      ${c}`);
  }
  return lines.join(`
`);
}
function firstLine(text) {
  return text.split(`
`, 1)[0] ?? "";
}

export {
  RESTORED_WORKLOAD_KINDS,
  planRestore,
  restoreBody,
  restorableContent,
  extraKeys,
  kubectlName,
  finishCommands,
  currentManifest,
  previousOf,
  movesBeforeVerify,
  TagMovedError,
  moveTargetTag,
  confirmTargetTags,
  revertTargetTags,
  isRestored,
  describeTagRevert,
  tagLeftovers,
  restoreLeftovers,
  unrestoredLeftovers,
  formatLeftovers
};
