import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  refOf
} from "./chunk-DKP2MMLE.js";
import {
  isPlainObject,
  loadManifests,
  typeName
} from "./chunk-LIPN2H4P.js";
import {
  InvalidReferenceError,
  isValidDigest,
  parseImageRef,
  parseRepository,
  sameRepository
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";

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

// src/kube/pin.ts
var CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"], POD_SPEC_PATHS = {
  "/Pod": ["spec"],
  "/PodTemplate": ["template", "spec"],
  "/ReplicationController": ["spec", "template", "spec"],
  "apps/Deployment": ["spec", "template", "spec"],
  "apps/StatefulSet": ["spec", "template", "spec"],
  "apps/DaemonSet": ["spec", "template", "spec"],
  "apps/ReplicaSet": ["spec", "template", "spec"],
  "batch/Job": ["spec", "template", "spec"],
  "batch/CronJob": ["spec", "jobTemplate", "spec", "template", "spec"]
};
function podSpecPath(object) {
  return POD_SPEC_PATHS[`${apiGroupOf(object.apiVersion)}/${object.kind}`];
}
function pinImages(objects, options) {
  let images = options.images.map((image) => {
    if (!isValidDigest(image.digest)) throw new Error(`image ${image.name}: cannot pin to "${image.digest}", not a digest`);
    return { image, ref: parseRepository(image.repository), pinned: `${image.repository}:${options.targetTag}@${image.digest}` };
  }), pinned = [], out = objects.map((object) => {
    let specPath = podSpecPath(object), podSpec = specPath ? dig(object, specPath) : void 0;
    if (!podSpec) return object;
    let copy;
    for (let list of CONTAINER_LISTS) {
      let containers = podSpec[list];
      Array.isArray(containers) && containers.forEach((container, i) => {
        if (!isRecord(container) || typeof container.image != "string") return;
        let ref = parseOrUndefined(container.image), match = ref && images.find((candidate) => sameRepository(candidate.ref, ref));
        if (!match) return;
        copy ??= structuredClone(object);
        let target = dig(copy, specPath)[list][i];
        target.image = match.pinned;
        let name = typeof container.name == "string" ? container.name : String(i);
        pinned.push({
          object: refOf(object),
          path: `${specPath.join(".")}.${list}[${name}]`,
          container: name,
          image: match.image.name,
          from: container.image,
          to: match.pinned
        });
      });
    }
    return copy ?? object;
  }), used = new Set(pinned.map((p) => p.image)), unreferenced = options.images.filter((image) => !used.has(image.name)).map((image) => image.name), warnings = options.images.filter((image) => !used.has(image.name)).map((image) => `image ${image.name} (${image.repository}) is not used by any container in the manifests, so this deploy does not run it`);
  return { objects: out, pinned, unreferenced, warnings };
}
function parseOrUndefined(image) {
  try {
    return parseImageRef(image);
  } catch {
    return;
  }
}
function dig(object, path) {
  let node = object;
  for (let key of path) node = isRecord(node) ? node[key] : void 0;
  return isRecord(node) ? node : void 0;
}
function isRecord(v) {
  return typeof v == "object" && v !== null && !Array.isArray(v);
}

// src/kube/manifests/object-rules.ts
var DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/, NAME_RULES = {
  "/Namespace": "label",
  "/Service": "dns1035",
  "/ConfigMap": "subdomain",
  "/Secret": "subdomain",
  "/ServiceAccount": "subdomain",
  "/PersistentVolumeClaim": "subdomain",
  "/Pod": "subdomain",
  "apps/Deployment": "subdomain",
  "apps/StatefulSet": "subdomain",
  "apps/DaemonSet": "subdomain",
  "apps/ReplicaSet": "subdomain",
  "batch/Job": "subdomain",
  "batch/CronJob": "subdomain",
  "networking.k8s.io/Ingress": "subdomain",
  "policy/PodDisruptionBudget": "subdomain",
  "autoscaling/HorizontalPodAutoscaler": "subdomain"
}, NAME_RULE_TEXT = {
  label: "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 (an RFC 1123 label)",
  subdomain: "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 (an RFC 1123 subdomain)",
  dns1035: "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 (an RFC 1035 label)"
}, SELECTED_BY_LABELS = /* @__PURE__ */ new Set(["apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet"]);
function objectRuleProblems(object) {
  return [...nameProblems(object), ...selectorProblems(object), ...containerProblems(object), ...serviceProblems(object)];
}
function nameProblems(object) {
  let rule = NAME_RULES[kindKey(object.apiVersion, object.kind)], name = object.metadata.name;
  return !rule || validName(name, rule) ? [] : [{ field: "metadata.name", path: ["metadata", "name"], message: `"${name}" is not a valid ${object.kind} name: ${NAME_RULE_TEXT[rule]}` }];
}
function validName(name, rule) {
  return rule === "subdomain" ? name.length <= 253 && DNS1123_SUBDOMAIN.test(name) : name.length <= 63 && (rule === "label" ? DNS1123_LABEL : DNS1035_LABEL).test(name);
}
function selectorProblems(object) {
  if (!SELECTED_BY_LABELS.has(kindKey(object.apiVersion, object.kind))) return [];
  let spec = isPlainObject(object.spec) ? object.spec : {}, selector = isPlainObject(spec.selector) ? spec.selector : void 0, matchLabels = isPlainObject(selector?.matchLabels) ? selector.matchLabels : {}, expressions = Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0)
    return [{ field: "spec.selector", path: ["spec", "selector"], message: `a ${object.kind} needs spec.selector.matchLabels naming its pod template's labels` }];
  let template = isPlainObject(spec.template) ? spec.template : {}, metadata = isPlainObject(template.metadata) ? template.metadata : {}, labels = isPlainObject(metadata.labels) ? metadata.labels : {};
  if (Object.entries(matchLabels).filter(([key, value]) => labels[key] !== value).length === 0) return [];
  let selectorText = Object.entries(matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(","), labelText = Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(",") || "none";
  return [{
    field: "spec.template.metadata.labels",
    path: ["spec", "template", "metadata", "labels"],
    message: `the selector ${selectorText} does not match the template's labels (${labelText}); the ${object.kind} would never find its pods`
  }];
}
function containerProblems(object) {
  let specPath = podSpecPath(object);
  if (!specPath) return [];
  let podSpec = object;
  for (let key of specPath) podSpec = isPlainObject(podSpec) ? podSpec[key] : void 0;
  if (!isPlainObject(podSpec)) return [];
  let problems = [], at = (path, message, missing) => problems.push({ field: fieldOf([...specPath, ...path, ...missing ? [missing] : []]), path: [...specPath, ...path], message });
  (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0) && at(["containers"], "a pod template needs at least one container");
  for (let list of ["initContainers", "containers"]) {
    let containers = podSpec[list];
    Array.isArray(containers) && containers.forEach((c, i) => {
      let container = isPlainObject(c) ? c : {}, { name, image } = container;
      if (typeof name != "string" || name === "" ? at([list, i], "the container needs a name", "name") : name.length <= 63 && DNS1123_LABEL.test(name) || at([list, i, "name"], `"${name}" is not a valid container name: ${NAME_RULE_TEXT.label}`), typeof image != "string" || image === "") at([list, i], "the container needs an image", "image");
      else {
        let problem = imageProblem(image);
        problem && at([list, i, "image"], `"${image}" is not an image reference the kubelet can pull: ${problem}`);
      }
    });
  }
  return problems;
}
function serviceProblems(object) {
  if (kindKey(object.apiVersion, object.kind) !== "/Service") return [];
  let spec = isPlainObject(object.spec) ? object.spec : {};
  return spec.type === "ExternalName" || spec.clusterIP === "None" ? [] : Array.isArray(spec.ports) && spec.ports.length > 0 ? [] : [{ field: "spec.ports", path: ["spec", "ports"], message: "a Service needs at least one port (only a headless or ExternalName Service may have none)" }];
}
function imageProblem(image) {
  try {
    parseImageRef(image);
    return;
  } catch (err) {
    if (err instanceof InvalidReferenceError) return err.reason;
    throw err;
  }
}
function fieldOf(path) {
  return path.reduce((out, seg) => typeof seg == "number" ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg, "");
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
    for (let rule of objectRuleProblems(object)) problems.push(at(rule.field, rule.path, rule.message));
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
    throw new InputError({ field: `environments.${env.name}.manifests`, message: `environment ${env.name}: the manifests hold no objects (${env.manifests.join(", ") || "none listed"})` });
  return checked.manifests;
}

export {
  APPLY_GROUPS,
  kindKey,
  applyGroupOf,
  crdScopes,
  CONTAINER_LISTS,
  podSpecPath,
  pinImages,
  dig,
  objectKey,
  readManifests
};
