import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  require_dist
} from "./chunk-TGZGNZ2L.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import {
  __toESM
} from "./chunk-JGF3FBHV.js";

// src/kube/manifests/load.ts
var import_yaml = __toESM(require_dist(), 1);
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join as join2 } from "node:path";

// src/kube/manifests/kustomize.ts
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
var KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
function kustomizationFile(dir) {
  return KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((file) => existsSync(file));
}
function renderKustomization(dir, kubectl = "kubectl") {
  return new Promise((resolve) => {
    execFile(kubectl, ["kustomize", dir], { maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (!error) return resolve({ yaml: stdout });
      if (error.code === "ENOENT")
        return resolve({ problem: `kubectl renders kustomize folders, and "${kubectl}" was not found on PATH` });
      resolve({ problem: `kubectl kustomize failed: ${kustomizeMessage(stderr) ?? error.message}` });
    });
  });
}
function kustomizeMessage(stderr) {
  let last = stderr.trim().split(`
`).filter(Boolean).at(-1);
  if (last === void 0) return;
  let quoted = /\berr=("(?:[^"\\]|\\.)*")/.exec(last)?.[1];
  if (quoted !== void 0)
    try {
      return JSON.parse(quoted);
    } catch {
    }
  return last.replace(/^error: /, "");
}

// src/kube/manifests/load.ts
var MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];
async function loadManifests(paths, options = {}) {
  let problems = [], units = [];
  for (let path of paths) collectUnits(path, !0, units);
  let loaded = await Promise.all(units.map((unit) => loadUnit(unit, options))), manifests = [];
  for (let result of loaded)
    manifests.push(...result.manifests), problems.push(...result.problems);
  return { manifests, problems };
}
function collectUnits(path, named, units) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    units.push({ type: "missing", path });
    return;
  }
  if (stats.isFile() && named && KUSTOMIZATION_FILES.includes(basename(path))) {
    units.push({ type: "kustomize", dir: dirname(path), file: path });
    return;
  }
  if (stats.isFile()) {
    MANIFEST_EXTENSIONS.includes(extname(path).toLowerCase()) ? units.push({ type: "file", path }) : named && units.push({ type: "not-manifest", path });
    return;
  }
  if (!stats.isDirectory()) return;
  let kustomization = kustomizationFile(path);
  if (kustomization) {
    units.push({ type: "kustomize", dir: path, file: kustomization });
    return;
  }
  let names = readdirSync(path).filter((name) => !name.startsWith(".")).sort();
  for (let name of names) collectUnits(join2(path, name), !1, units);
}
async function loadUnit(unit, options) {
  if (unit.type === "missing") return { manifests: [], problems: [{ file: unit.path, message: "no such file or folder" }] };
  if (unit.type === "not-manifest")
    return { manifests: [], problems: [{ file: unit.path, message: "not a manifest: name a .yaml, .yml or .json file, or a folder" }] };
  if (unit.type === "file") return parseManifests(unit.path, readFileSync(unit.path, "utf8"));
  let rendered = await renderKustomization(unit.dir, options.kubectl);
  if ("problem" in rendered) return { manifests: [], problems: [{ file: unit.file, line: 1, message: rendered.problem }] };
  let parsed = parseManifests(unit.file, rendered.yaml);
  for (let m of parsed.manifests) m.source = { file: unit.file, line: 1, kustomized: !0, lineOf: () => 1 };
  for (let p of parsed.problems)
    p.line = 1, delete p.column, p.message = `${p.message} (in the output of kubectl kustomize ${basename(unit.dir)})`;
  return parsed;
}
var YAML_OPTIONS = {
  version: "1.1",
  customTags: (tags) => tags.filter((t) => t.tag !== "tag:yaml.org,2002:timestamp"),
  uniqueKeys: !0,
  merge: !0,
  prettyErrors: !1
};
function parseManifests(file, text) {
  let lines = new import_yaml.LineCounter(), docs = (0, import_yaml.parseAllDocuments)(text, { ...YAML_OPTIONS, lineCounter: lines }), manifests = [], problems = [];
  if (!Array.isArray(docs)) return { manifests, problems };
  let lineAt = (offset) => lines.linePos(offset).line;
  for (let doc of docs) {
    if (doc.errors.length > 0) {
      let seen = /* @__PURE__ */ new Set();
      for (let err of doc.errors) {
        let { line: line2, col } = lines.linePos(err.pos[0]);
        seen.has(line2) || (seen.add(line2), problems.push({ file, line: line2, column: col, message: `YAML: ${err.message.split(`
`)[0].replace(/ at line \d+, column \d+:?$/, "")}` }));
      }
      continue;
    }
    let contents = doc.contents;
    if (contents === null || isEmptyScalar(contents)) continue;
    let line = lineAt(contents.range?.[0] ?? 0);
    if (!(0, import_yaml.isMap)(contents)) {
      problems.push({ file, line, message: `a manifest must be a mapping (apiVersion, kind, metadata, ...), not ${describeNode(contents)}` });
      continue;
    }
    let value = doc.toJS({ maxAliasCount: 1e3 }), kind = value.kind;
    if (typeof kind == "string" && kind.endsWith("List") && Array.isArray(value.items)) {
      let itemsNode = contents.get("items", !0);
      value.items.forEach((item, i) => {
        let node = (0, import_yaml.isSeq)(itemsNode) ? itemsNode.items[i] : void 0, itemLine = node?.range ? lineAt(node.range[0]) : line;
        if (!isPlainObject(item)) {
          problems.push({ file, line: itemLine, field: `items[${i}]`, message: `a List item must be a mapping (apiVersion, kind, metadata, ...), not ${typeName(item)}` });
          return;
        }
        manifests.push({ value: item, source: { file, line: itemLine, lineOf: fieldLines(node ?? contents, itemLine, lineAt) } });
      });
      continue;
    }
    manifests.push({ value, source: { file, line, lineOf: fieldLines(contents, line, lineAt) } });
  }
  return { manifests, problems };
}
function fieldLines(root, line, lineAt) {
  return (path) => {
    let node = root, found = line;
    for (let segment of path)
      if ((0, import_yaml.isMap)(node)) {
        let pair = node.items.find((p) => ((0, import_yaml.isScalar)(p.key) ? p.key.value : p.key) === segment);
        if (!pair) break;
        let key = pair.key;
        key?.range && (found = lineAt(key.range[0])), node = pair.value;
      } else if ((0, import_yaml.isSeq)(node) && typeof segment == "number") {
        let item = node.items[segment];
        if (!item) break;
        item.range && (found = lineAt(item.range[0])), node = item;
      } else
        break;
    return found;
  };
}
function isEmptyScalar(node) {
  return !(0, import_yaml.isCollection)(node) && node.value === null;
}
function describeNode(node) {
  return (0, import_yaml.isSeq)(node) ? "a list" : `a scalar (${JSON.stringify(node.value)})`;
}
function isPlainObject(v) {
  return typeof v == "object" && v !== null && !Array.isArray(v);
}
function typeName(v) {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v == "object" ? "a mapping" : `a ${typeof v}`;
}

// src/kube/manifests/kinds.ts
var APPLY_GROUPS = ["namespaces", "crds", "access", "config", "storage", "services", "workloads", "rest"], cluster = (group = "rest") => ({ namespaced: !1, group }), namespaced = (group = "rest") => ({ namespaced: !0, group }), RBAC = "rbac.authorization.k8s.io", KINDS = {
  "/Namespace": cluster("namespaces"),
  "apiextensions.k8s.io/CustomResourceDefinition": cluster("crds"),
  "/ServiceAccount": namespaced("access"),
  [`${RBAC}/Role`]: namespaced("access"),
  [`${RBAC}/RoleBinding`]: namespaced("access"),
  [`${RBAC}/ClusterRole`]: cluster("access"),
  [`${RBAC}/ClusterRoleBinding`]: cluster("access"),
  "/ResourceQuota": namespaced("access"),
  "/LimitRange": namespaced("access"),
  "scheduling.k8s.io/PriorityClass": cluster("access"),
  "/ConfigMap": namespaced("config"),
  "/Secret": namespaced("config"),
  "storage.k8s.io/StorageClass": cluster("storage"),
  "/PersistentVolume": cluster("storage"),
  "/PersistentVolumeClaim": namespaced("storage"),
  "/Service": namespaced("services"),
  "apps/Deployment": namespaced("workloads"),
  "apps/StatefulSet": namespaced("workloads"),
  "apps/DaemonSet": namespaced("workloads"),
  "apps/ReplicaSet": namespaced("workloads"),
  "batch/Job": namespaced("workloads"),
  "batch/CronJob": namespaced("workloads"),
  "/Pod": namespaced("workloads"),
  "/ReplicationController": namespaced("workloads"),
  // The rest: only the scope matters.
  "/Node": cluster(),
  "/Endpoints": namespaced(),
  "/Event": namespaced(),
  "/PodTemplate": namespaced(),
  "apps/ControllerRevision": namespaced(),
  "autoscaling/HorizontalPodAutoscaler": namespaced(),
  "policy/PodDisruptionBudget": namespaced(),
  "networking.k8s.io/Ingress": namespaced(),
  "networking.k8s.io/IngressClass": cluster(),
  "networking.k8s.io/NetworkPolicy": namespaced(),
  "discovery.k8s.io/EndpointSlice": namespaced(),
  "coordination.k8s.io/Lease": namespaced(),
  "events.k8s.io/Event": namespaced(),
  "node.k8s.io/RuntimeClass": cluster(),
  "storage.k8s.io/CSIDriver": cluster(),
  "storage.k8s.io/CSINode": cluster(),
  "storage.k8s.io/VolumeAttachment": cluster(),
  "admissionregistration.k8s.io/MutatingWebhookConfiguration": cluster(),
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration": cluster(),
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy": cluster(),
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding": cluster(),
  "apiregistration.k8s.io/APIService": cluster(),
  "certificates.k8s.io/CertificateSigningRequest": cluster(),
  "flowcontrol.apiserver.k8s.io/FlowSchema": cluster(),
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration": cluster()
};
function apiGroupOf(apiVersion) {
  let slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
function kindKey(apiVersion, kind) {
  return `${apiGroupOf(apiVersion)}/${kind}`;
}
function applyGroupOf(object) {
  return KINDS[kindKey(object.apiVersion, object.kind)]?.group ?? "rest";
}
function builtinScope(apiVersion, kind) {
  return KINDS[kindKey(apiVersion, kind)]?.namespaced;
}
function crdScopes(objects) {
  let scopes = /* @__PURE__ */ new Map();
  for (let o of objects) {
    if (kindKey(o.apiVersion, o.kind) !== "apiextensions.k8s.io/CustomResourceDefinition") continue;
    let spec = o.spec;
    typeof spec?.group != "string" || typeof spec.names?.kind != "string" || scopes.set(`${spec.group}/${spec.names.kind}`, spec.scope !== "Cluster");
  }
  return (apiVersion, kind) => scopes.get(kindKey(apiVersion, kind));
}
function combineScopes(...lookups) {
  return (apiVersion, kind) => {
    for (let lookup of lookups) {
      let known = lookup(apiVersion, kind);
      if (known !== void 0) return known;
    }
  };
}

// src/kube/manifests/identity.ts
function objectKey(o) {
  let ref = "metadata" in o ? { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace } : o;
  return `${apiGroupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

// src/kube/manifests/validate.ts
function validateManifests(raw, options) {
  let problems = [], shaped = [];
  for (let m of raw) {
    let shapeProblems = shapeOf(m);
    shapeProblems.length > 0 ? problems.push(...shapeProblems) : shaped.push({ object: structuredClone(m.value), source: m.source });
  }
  let scopes = combineScopes(builtinScope, crdScopes(shaped.map((m) => m.object)), options.scopes ?? (() => {
  })), { name: envName, namespace } = options.environment, seen = /* @__PURE__ */ new Map(), manifests = [];
  for (let m of shaped) {
    let { object, source } = m, at = (field, path, message) => ({
      file: source.file,
      line: source.lineOf(path),
      field,
      message: `${object.kind} ${object.metadata.name}: ${message}`
    }), namespaced2 = scopes(object.apiVersion, object.kind) ?? !0, written = object.metadata.namespace;
    if (!namespaced2)
      delete object.metadata.namespace;
    else if (written == null || written === "")
      object.metadata.namespace = namespace;
    else if (written !== namespace) {
      problems.push(
        at("metadata.namespace", ["metadata", "namespace"], `"${String(written)}" contradicts environment ${envName}'s namespace "${namespace}" (leave it out to use the environment's)`)
      );
      continue;
    }
    object.kind === "Secret" && object.apiVersion === "v1" && problems.push(...secretProblems(object, at));
    let key = objectKey(object), first = seen.get(key);
    if (first) {
      problems.push(at("metadata.name", ["metadata", "name"], `defined twice, first at ${first.file}:${first.line}`));
      continue;
    }
    seen.set(key, source), manifests.push({ object, source });
  }
  return { manifests, problems };
}
function shapeOf(m) {
  let { value, source } = m, problems = [], report = (field, path, message) => problems.push({ file: source.file, line: source.lineOf(path), field, message }), what = typeof value.kind == "string" && value.kind ? `this ${value.kind}` : "this object", needs = "every object needs apiVersion, kind and metadata.name";
  for (let field of ["apiVersion", "kind"]) {
    let v = value[field];
    v == null || v === "" ? report(field, [field], `missing in ${what}; ${needs}`) : typeof v != "string" && report(field, [field], `must be a string, not ${typeName(v)}`);
  }
  let metadata = value.metadata;
  if (metadata == null)
    report("metadata.name", ["metadata"], `missing in ${what}; ${needs}`);
  else if (!isPlainObject(metadata))
    report("metadata", ["metadata"], `must be a mapping, not ${typeName(metadata)}`);
  else {
    let name = metadata.name;
    if (name == null || name === "") {
      let why = metadata.generateName !== void 0 ? "server-side apply needs a fixed name (generateName is not enough)" : needs;
      report("metadata.name", ["metadata", "name"], `missing in ${what}; ${why}`);
    } else typeof name != "string" && report("metadata.name", ["metadata", "name"], `must be a string, not ${typeName(name)}`);
    let ns = metadata.namespace;
    ns != null && typeof ns != "string" && report("metadata.namespace", ["metadata", "namespace"], `must be a string, not ${typeName(ns)}`);
  }
  return problems;
}
var BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function secretProblems(secret, at) {
  let data = secret.data;
  if (data == null) return [];
  if (!isPlainObject(data)) return [at("data", ["data"], `data must be a mapping of keys to base64 values, not ${typeName(data)}`)];
  let problems = [];
  for (let [key, value] of Object.entries(data))
    value !== null && (typeof value != "string" ? problems.push(at(`data.${key}`, ["data", key], `must be a base64 string, not ${typeName(value)}`)) : BASE64.test(value.replace(/[\r\n]/g, "")) || problems.push(at(`data.${key}`, ["data", key], "not valid base64 (write plain text under stringData instead)")));
  return problems;
}

// src/kube/manifests/read.ts
async function readManifests(env, options = {}) {
  let loaded = await loadManifests(env.manifests, options), checked = validateManifests(loaded.manifests, {
    environment: { name: env.name, namespace: env.namespace },
    ...options.scopes ? { scopes: options.scopes } : {}
  }), problems = [...loaded.problems, ...checked.problems];
  if (problems.length > 0) throw new InputError(problems);
  if (checked.manifests.length === 0)
    throw new InputError({ message: `environment ${env.name}: the manifests hold no objects (${env.manifests.join(", ") || "none listed"})` });
  return checked.manifests;
}

export {
  APPLY_GROUPS,
  apiGroupOf,
  kindKey,
  applyGroupOf,
  crdScopes,
  objectKey,
  readManifests
};
