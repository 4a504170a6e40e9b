import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  suggestion
} from "./chunk-QAZIYCV3.js";
import {
  KUSTOMIZATION_FILES,
  MANIFEST_EXTENSIONS,
  childPath,
  syntaxErrorPlace
} from "./chunk-LIPN2H4P.js";
import {
  require_dist
} from "./chunk-ZT2TC3RN.js";
import {
  DurationError,
  parseDuration
} from "./chunk-R7NFTJUE.js";
import {
  parseBuildVersion,
  renderVersionTags,
  validateTagTemplate
} from "./chunk-MCV24WYC.js";
import {
  InvalidReferenceError,
  parseImageRef,
  repositoryOf,
  tagProblem
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import {
  __toESM
} from "./chunk-K5Q2ZJ2S.js";

// src/config/load.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { basename as basename2, dirname, resolve as resolve2 } from "node:path";

// src/config/read-build.ts
import { isAbsolute, join, resolve } from "node:path";

// src/config/paths.ts
import { readFileSync, statSync } from "node:fs";
function pathProblem(written, absolute, kind) {
  let stat;
  try {
    stat = statSync(absolute);
  } catch {
    return `"${written}" does not exist (looked for ${absolute})`;
  }
  if (kind === "directory" && !stat.isDirectory()) return `"${written}" is not a directory (${absolute})`;
  if (kind === "file" && !stat.isFile()) return `"${written}" is not a file (${absolute})`;
}
function dockerfileStages(absolute) {
  let text;
  try {
    text = readFileSync(absolute, "utf8");
  } catch {
    return [];
  }
  let stages = [];
  for (let m of text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$/gim)) stages.push(m[1].toLowerCase());
  return stages;
}

// src/config/read-build.ts
var IMAGE_KEYS = ["repository", "context", "dockerfile", "target", "buildArgs", "secrets", "platforms", "network"], BUILD_NETWORKS = ["default", "host", "none"], REGISTRY_KEYS = ["insecure", "endpoint", "apiEndpoint"], DEFAULT_TAGS = ["{version}"], DEFAULT_PLATFORMS = ["linux/amd64"], IMAGE_NAME = /^[A-Za-z0-9][\w.-]*$/, VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/, PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, HOST = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:\d{1,5})?$/;
function resolvePath(baseDir, written) {
  return isAbsolute(written) ? written : resolve(baseDir, written);
}
function readImages(r, field, baseDir, buildOnly = r) {
  let entries = r.entries(field);
  if (entries.length === 0)
    return r.isAbsent(field) ? r.report(field, "missing; rollgate.yml needs at least one image under images:") : r.report(field, "no images; add at least one (name: { repository, context, ... })"), [];
  let images = [], repositories = /* @__PURE__ */ new Map();
  for (let [name, imageField] of entries) {
    IMAGE_NAME.test(name) || r.report(imageField, `"${name}" cannot name an image (letters, digits, _, . and -)`, "key");
    let image = readImage(r, name, imageField, baseDir, buildOnly);
    if (!image) continue;
    let other = repositories.get(image.repository);
    other !== void 0 && r.report({ ...imageField, path: `${imageField.path}.repository` }, `images ${other} and ${name} push to the same repository ${image.repository}; their tags would overwrite each other`), repositories.set(image.repository, name), images.push(image);
  }
  return images;
}
function readImage(r, name, field, baseDir, buildOnly) {
  let f = r.fields(field, IMAGE_KEYS);
  if (!f) return;
  let repository = readRepository(r, f.repository), contextWritten = r.string(f.context) ?? ".", context = resolvePath(baseDir, contextWritten), contextProblem = pathProblem(contextWritten, context, "directory");
  contextProblem && r.report(f.context, `build context ${contextProblem}`);
  let dockerfileWritten = r.string(f.dockerfile), dockerfile = dockerfileWritten === void 0 ? join(context, "Dockerfile") : resolvePath(baseDir, dockerfileWritten), dockerfileProblem = contextProblem && dockerfileWritten === void 0 ? void 0 : pathProblem(dockerfileWritten ?? join(contextWritten, "Dockerfile"), dockerfile, "file");
  dockerfileProblem && r.report(f.dockerfile, `Dockerfile ${dockerfileProblem}`);
  let target = r.string(f.target);
  if (target !== void 0 && !dockerfileProblem) {
    let stages = dockerfileStages(dockerfile);
    stages.includes(target.toLowerCase()) || r.report(f.target, `the Dockerfile has no stage "${target}"${stages.length ? ` (its stages: ${stages.join(", ")})` : " (it names no stages with FROM ... AS name)"}`);
  }
  let buildArgs = buildOnly.stringMap(f.buildArgs);
  for (let [arg, child] of r.entries(f.buildArgs))
    VARIABLE_NAME.test(arg) || r.report(child, `"${arg}" cannot be a build argument name (letters, digits and _)`, "key");
  let secrets = r.stringList(f.secrets) ?? [];
  r.items(f.secrets).forEach((item, i) => {
    let s = secrets[i];
    s !== void 0 && !VARIABLE_NAME.test(s) && r.report(item, `"${s}" is not an environment variable name; a build secret's value comes from the variable of that name`);
  });
  let platforms = r.stringList(f.platforms) ?? DEFAULT_PLATFORMS;
  r.items(f.platforms).forEach((item, i) => {
    let p = platforms[i];
    p !== void 0 && !PLATFORM.test(p) && r.report(item, `"${p}" is not a platform (os/arch[/variant], e.g. linux/amd64)`);
  }), !r.isAbsent(f.platforms) && platforms.length === 0 && r.report(f.platforms, "the list is empty; leave it out to build for linux/amd64");
  let network = r.oneOf(f.network, BUILD_NETWORKS);
  if (repository !== void 0)
    return {
      name,
      repository,
      context,
      dockerfile,
      ...target !== void 0 ? { target } : {},
      buildArgs,
      secrets: [...new Set(secrets)],
      platforms,
      ...network !== void 0 && network !== "default" ? { network } : {}
    };
}
function readRepository(r, field) {
  let written = r.string(field, { required: "every image needs a repository, e.g. us-docker.pkg.dev/acme/apps/invoice" });
  if (written !== void 0)
    try {
      let ref = parseImageRef(written);
      if (ref.tag !== void 0 || ref.digest !== void 0) {
        let extra = ref.digest !== void 0 ? `digest @${ref.digest}` : `tag :${ref.tag}`;
        r.report(field, `"${written}" carries a ${extra}; write the repository alone: tags come from tags: and each environment's targetTag`);
        return;
      }
      return repositoryOf(ref);
    } catch (err) {
      if (!(err instanceof InvalidReferenceError)) throw err;
      r.report(field, `"${written}" is not a valid repository: ${err.reason}`);
      return;
    }
}
function readTags(r, field) {
  if (r.isAbsent(field)) return [...DEFAULT_TAGS];
  let tags = r.stringList(field);
  if (tags === void 0) return [...DEFAULT_TAGS];
  tags.length === 0 && r.report(field, 'the list is empty; every deploy needs at least one version tag, e.g. "{version}"');
  let seen = /* @__PURE__ */ new Set();
  return r.items(field).forEach((item, i) => {
    let template = tags[i];
    if (template === void 0) return;
    let problem = validateTagTemplate(template);
    problem && r.report(item, `"${template}" can never be a valid tag: ${problem}`), seen.has(template) && r.report(item, `"${template}" is listed twice`), seen.add(template);
  }), tags;
}
function readRegistries(r, field) {
  let out = {};
  for (let [host, registryField] of r.entries(field)) {
    HOST.test(host) || r.report(registryField, `"${host}" is not a registry host (host or host:port, as written in image references)`, "key");
    let f = r.fields(registryField, REGISTRY_KEYS);
    if (!f) continue;
    let settings = { insecure: r.boolean(f.insecure) ?? !1 }, endpoint = readUrl(r, f.endpoint, "the URL of the registry API, e.g. https://mirror.internal:5000");
    endpoint !== void 0 && (settings.endpoint = endpoint);
    let apiEndpoint = readUrl(r, f.apiEndpoint, "the Artifact Registry API base URL, e.g. https://artifactregistry.googleapis.com");
    apiEndpoint !== void 0 && (settings.apiEndpoint = apiEndpoint), out[host] = settings;
  }
  return out;
}
function readUrl(r, field, what) {
  let url = r.string(field);
  if (url !== void 0) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      r.report(field, `"${url}" is not an http(s) URL; expected ${what}`);
      return;
    }
    return url.replace(/\/+$/, "");
  }
}

// src/config/read-environment.ts
import { statSync as statSync2 } from "node:fs";
import { basename, extname } from "node:path";

// src/config/smoke-schema.ts
var import_yaml = __toESM(require_dist(), 1), HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], SMOKE_DEFAULTS = { durationMs: 6e4, intervalMs: 5e3, maxFailures: 0 }, SMOKE_KEYS = ["target", "duration", "interval", "maxFailures", "p95Ms", "steps"], STEP_KEYS = ["name", "command", "method", "path", "headers", "query", "form", "json", "expect", "capture"], REQUEST_KEYS = ["method", "path", "headers", "query", "form", "json", "expect", "capture"], CAPTURE_SOURCE = /^(json(\.[A-Za-z_][\w-]*|\[\d+\])*|header\.[A-Za-z0-9-]+|body|cookie\.[\w.-]+)$/, CAPTURE_NAME = /^[A-Za-z_]\w*$/, CAPTURE_REF = /(?<!\$)\{([A-Za-z_]\w*)\}/g;
function readSmokeSection(reader, field) {
  if (reader.isAbsent(field)) return;
  let secrets = /* @__PURE__ */ new Set(), r = reader.withScope(reader.scope, (_name, value) => secrets.add(value)), f = r.fields(field, SMOKE_KEYS);
  if (!f) return;
  let section = { field, targetWritten: !r.isAbsent(f.target), secrets: [] }, target = readTarget(r, f.target);
  target && (section.target = target);
  let durationMs = positive(r, f.duration, r.duration(f.duration));
  durationMs !== void 0 && (section.durationMs = durationMs);
  let intervalMs = positive(r, f.interval, r.duration(f.interval));
  intervalMs !== void 0 && (section.intervalMs = intervalMs, section.intervalField = f.interval);
  let maxFailures = r.integer(f.maxFailures, { min: 0 });
  maxFailures !== void 0 && (section.maxFailures = maxFailures);
  let p95Ms = r.integer(f.p95Ms, { min: 1 });
  return p95Ms !== void 0 && (section.p95Ms = p95Ms), r.isAbsent(f.steps) || (section.steps = readSteps(r, f.steps)), section.secrets = [...secrets], section;
}
function mergeSmoke(reader, top, own) {
  if (!top && !own) return;
  let section = own ?? top, missing = (key) => ({ node: void 0, path: `${section.field.path}.${key}`, near: section.field.key ?? section.field.node }), target = own?.target ?? top?.target, steps = own?.steps ?? top?.steps, durationMs = own?.durationMs ?? top?.durationMs ?? SMOKE_DEFAULTS.durationMs, intervalMs = own?.intervalMs ?? top?.intervalMs ?? SMOKE_DEFAULTS.intervalMs, ok = !0;
  if (!target && !top?.targetWritten && !own?.targetWritten && reader.report(missing("target"), "missing; smoke needs a target: { service, port } or { url }"), target || (ok = !1), (!steps || steps.length === 0) && (steps || reader.report(missing("steps"), "missing; smoke needs at least one step"), ok = !1), intervalMs > durationMs) {
    let interval = (own?.intervalMs !== void 0 ? own.intervalField : top?.intervalField) ?? missing("interval");
    reader.report(interval, `the interval (${intervalMs} ms) is longer than the duration (${durationMs} ms)`);
  }
  if (!ok) return;
  let p95Ms = own?.p95Ms ?? top?.p95Ms;
  return {
    target,
    durationMs,
    intervalMs,
    maxFailures: own?.maxFailures ?? top?.maxFailures ?? SMOKE_DEFAULTS.maxFailures,
    ...p95Ms !== void 0 ? { p95Ms } : {},
    steps,
    secrets: [.../* @__PURE__ */ new Set([...top?.secrets ?? [], ...own?.secrets ?? []])]
  };
}
function readTarget(r, field) {
  let f = r.fields(field, ["service", "port", "url"]);
  if (!f || r.isAbsent(field)) return;
  let hasUrl = !r.isAbsent(f.url), hasService = !r.isAbsent(f.service) || !r.isAbsent(f.port);
  if (hasUrl && hasService) {
    r.report(field, "give either service and port, or url, not both");
    return;
  }
  if (hasUrl) {
    let url = r.string(f.url);
    if (url === void 0) return;
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      r.report(f.url, `"${url}" is not an http(s) URL`);
      return;
    }
    return { url };
  }
  let service = r.string(f.service, { required: "name the Service to test, or give a url instead" }), port = r.integer(f.port, { min: 1, max: 65535 });
  if (port === void 0 && r.isAbsent(f.port) && r.report(f.port, "missing; the Service port to send requests to"), service !== void 0 && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(service)) {
    r.report(f.service, `"${service}" is not a Service name (lowercase letters, digits and -, at most 63)`);
    return;
  }
  return service !== void 0 && port !== void 0 ? { service, port } : void 0;
}
function readSteps(r, field) {
  let steps = [], captured = /* @__PURE__ */ new Set(), names = /* @__PURE__ */ new Set(), items = r.items(field);
  items.length === 0 && !r.isAbsent(field) && r.report(field, "the list is empty; smoke needs at least one step");
  for (let item of items) {
    let step = readStep(r, item, captured);
    if (step) {
      if (names.has(step.name) && r.report({ ...item, path: `${item.path}.name` }, `another step is already named "${step.name}"`), names.add(step.name), step.kind === "request") for (let name of Object.keys(step.capture)) captured.add(name);
      steps.push(step);
    }
  }
  return steps;
}
function readStep(r, item, captured) {
  let f = r.fields(item, STEP_KEYS);
  if (!f) return;
  if (r.isAbsent(item)) {
    r.report(item, "empty step; give it a name and a request (method, path, ...) or a command");
    return;
  }
  let name = r.string(f.name, { required: "every step needs a name" }), refs = (at, text) => {
    for (let m of text?.matchAll(CAPTURE_REF) ?? [])
      captured.has(m[1]) || r.report(at, `{${m[1]}} is not captured by an earlier step`);
  };
  if (!r.isAbsent(f.command)) {
    let extra = REQUEST_KEYS.find((k) => !r.isAbsent(f[k]));
    extra && r.report(f[extra], "a step runs either a command or a request, not both", "key");
    let command = (0, import_yaml.isSeq)(f.command.node) ? r.stringList(f.command) : r.string(f.command);
    if (command === void 0 || name === void 0) return;
    if (command.length === 0) {
      r.report(f.command, "the command is empty");
      return;
    }
    for (let part of typeof command == "string" ? [command] : command) refs(f.command, part);
    return { kind: "command", name, command };
  }
  let method = readMethod(r, f.method), path = r.string(f.path, { required: "a request step needs a path (or give a command instead)" });
  path !== void 0 && !path.startsWith("/") && r.report(f.path, `"${path}" must start with /`), refs(f.path, path);
  let headers = r.stringMap(f.headers, refs), query = r.stringMap(f.query, refs), formAndJson = !r.isAbsent(f.form) && !r.isAbsent(f.json);
  formAndJson && r.report(f.json, "a request sends either form or json, not both", "key");
  let form = r.isAbsent(f.form) ? void 0 : r.stringMap(f.form, refs), json = r.isAbsent(f.json) ? void 0 : r.value(f.json, refs), expect = readExpect(r, f.expect), capture = readCapture(r, f.capture);
  if (!(name === void 0 || path === void 0 || method === void 0 || !path.startsWith("/") || formAndJson))
    return {
      kind: "request",
      name,
      method,
      path,
      headers,
      query,
      ...form ? { form } : {},
      ...json !== void 0 ? { json } : {},
      expect,
      capture
    };
}
function readMethod(r, field) {
  if (r.isAbsent(field)) return "GET";
  let s = r.string(field);
  if (s === void 0) return;
  let upper = s.toUpperCase();
  if (HTTP_METHODS.includes(upper)) return upper;
  r.report(field, `"${s}" is not an HTTP method (${HTTP_METHODS.join(", ")})`);
}
function readExpect(r, field) {
  let f = r.fields(field, ["status", "body", "json"]), out = {};
  if (!f) return out;
  if (!r.isAbsent(f.status)) {
    let codes = ((0, import_yaml.isSeq)(f.status.node) ? r.items(f.status) : [f.status]).map((s) => r.integer(s, { min: 100, max: 599 }));
    codes.every((c) => c !== void 0) && (out.status = codes);
  }
  let body = r.string(f.body);
  return body !== void 0 && (out.body = body), r.isAbsent(f.json) || (out.json = r.value(f.json)), out;
}
function readCapture(r, field) {
  let out = {};
  for (let [name, child] of r.entries(field)) {
    if (!CAPTURE_NAME.test(name)) {
      r.report(child, `"${name}" cannot be a capture name (letters, digits and _)`, "key");
      continue;
    }
    let source = r.string(child, { required: "say where the value comes from: json.<key>, header.<Name> or body" });
    if (source !== void 0) {
      if (!CAPTURE_SOURCE.test(source)) {
        r.report(child, `"${source}" is not a capture source: json, json.<key>[<n>]..., header.<Name> or body`);
        continue;
      }
      out[name] = source;
    }
  }
  return out;
}
function positive(r, field, ms) {
  if (ms === 0) {
    r.report(field, "must be longer than 0");
    return;
  }
  return ms;
}

// src/config/read-environment.ts
var ENVIRONMENT_KEYS = ["targetTag", "namespace", "kubeContext", "apiServer", "manifests", "rollout", "smoke"], ROLLOUT_KEYS = ["timeout", "allowRestarts", "unschedulableWindow", "pullErrorBudget", "lockTimeout"], DEFAULT_ROLLOUT = {
  timeoutMs: 5 * 6e4,
  allowRestarts: 0,
  unschedulableWindowMs: 15e3,
  pullErrorBudget: 3,
  lockTimeoutMs: 10 * 6e4
}, ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
function environmentNameProblem(name) {
  if (!ENVIRONMENT_NAME.test(name))
    return `"${name}" cannot name an environment: use lowercase letters, digits and - (at most 63), like dev or prod-eu`;
}
function readEnvironment(r, name, field, top, baseDir, smokeReader = r) {
  let f = r.fields(field, ENVIRONMENT_KEYS);
  if (!f) return;
  let targetTag = r.string(f.targetTag) ?? name, tagIssue = tagProblem(targetTag);
  tagIssue && r.report(f.targetTag, `"${targetTag}" is not a valid tag: ${tagIssue}`);
  let namespace = r.string(f.namespace, { required: `environment ${name} needs the namespace it deploys to` });
  namespace !== void 0 && !NAMESPACE.test(namespace) && r.report(f.namespace, `"${namespace}" is not a namespace name (lowercase letters, digits and -, at most 63)`);
  let kubeContext = r.string(f.kubeContext), apiServer = readUrl(r, f.apiServer, "the API server URL of the cluster, e.g. https://203.0.113.10"), manifests = [.../* @__PURE__ */ new Set([...readManifests(r, top.manifests, baseDir, name), ...readManifests(r, f.manifests, baseDir, name)])];
  manifests.length === 0 && r.report({ ...field, path: `${field.path}.manifests` }, `environment ${name} has no manifests to apply; list them under manifests: at the top level or here`);
  let rollout = { ...DEFAULT_ROLLOUT, ...readRollout(r, top.rollout), ...readRollout(r, f.rollout) }, smoke = mergeSmoke(smokeReader, readSmokeSection(smokeReader, top.smoke), readSmokeSection(smokeReader, f.smoke));
  if (namespace === void 0 || tagIssue) return { name, targetTag, fields: f };
  let config = {
    name,
    targetTag,
    namespace,
    ...kubeContext !== void 0 ? { kubeContext } : {},
    ...apiServer !== void 0 ? { apiServer } : {},
    manifests,
    rollout,
    ...smoke ? { smoke } : {}
  };
  return { name, targetTag, fields: f, config };
}
function readManifests(r, field, baseDir, env) {
  let written = r.stringList(field) ?? [], items = r.items(field);
  return written.map((path, i) => {
    let absolute = resolvePath(baseDir, path), problem = pathProblem(path, absolute, "file or directory") ?? notManifestProblem(path, absolute), at = items[i] ?? field;
    return problem && r.report(at, `manifest path ${problem}${env !== void 0 && path.includes(env) ? ` (for environment ${env})` : ""}`), absolute;
  });
}
function notManifestProblem(written, absolute) {
  if (statSync2(absolute).isFile() && !(MANIFEST_EXTENSIONS.includes(extname(absolute).toLowerCase()) || KUSTOMIZATION_FILES.includes(basename(absolute))))
    return `"${written}" is not a manifest: name a .yaml, .yml or .json file, or a folder`;
}
function readRollout(r, field) {
  let f = r.fields(field, ROLLOUT_KEYS), out = {};
  if (!f) return out;
  let timeoutMs = r.duration(f.timeout);
  timeoutMs === 0 ? r.report(f.timeout, "must be longer than 0") : timeoutMs !== void 0 && (out.timeoutMs = timeoutMs);
  let allowRestarts = r.integer(f.allowRestarts, { min: 0 });
  allowRestarts !== void 0 && (out.allowRestarts = allowRestarts);
  let unschedulableWindowMs = r.duration(f.unschedulableWindow);
  unschedulableWindowMs !== void 0 && (out.unschedulableWindowMs = unschedulableWindowMs);
  let pullErrorBudget = r.integer(f.pullErrorBudget, { min: 0 });
  pullErrorBudget !== void 0 && (out.pullErrorBudget = pullErrorBudget);
  let lockTimeoutMs = r.duration(f.lockTimeout);
  return lockTimeoutMs !== void 0 && (out.lockTimeoutMs = lockTimeoutMs), out;
}

// src/config/tag-checks.ts
function targetTagCollisions(targetTag, templates, ctx) {
  let out = [];
  for (let template of templates) {
    if (!template.includes("{")) {
      template === targetTag && out.push(`"${targetTag}" is also a version tag in tags; moving it would overwrite that tag`);
      continue;
    }
    if (!ctx) continue;
    renderOne(template, ctx) === targetTag && out.push(
      `"${targetTag}" is what tag template "${template}" renders for version ${ctx.version.raw}; moving the target tag would overwrite that version tag`
    );
  }
  return out;
}
function renderOne(template, ctx) {
  if (!(template.includes("{sha}") && !ctx.sha))
    try {
      return renderVersionTags([template], ctx)[0];
    } catch (err) {
      if (err instanceof InputError) return;
      throw err;
    }
}
function renderProblem(template, ctx) {
  if (!(template.includes("{sha}") && !ctx.sha))
    try {
      renderVersionTags([template], ctx);
      return;
    } catch (err) {
      if (err instanceof InputError) return err.message;
      throw err;
    }
}

// src/config/yaml-reader.ts
var import_yaml2 = __toESM(require_dist(), 1);

// src/config/interpolate.ts
var VARIABLE_NAME2 = /^[A-Za-z_][A-Za-z0-9_]*$/;
function interpolate(text, scope) {
  let used = [], errors = [], out = "", i = 0;
  for (; i < text.length; ) {
    let dollar = text.indexOf("$", i);
    if (dollar < 0) break;
    if (out += text.slice(i, dollar), text.startsWith("$${", dollar)) {
      out += "${", i = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== "{") {
      out += "$", i = dollar + 1;
      continue;
    }
    let close = text.indexOf("}", dollar + 2);
    if (close < 0)
      return errors.push(`"${text.slice(dollar)}" has no closing "}" (write $\${ for a literal \${)`), { value: "", used, errors };
    let name = text.slice(dollar + 2, close);
    if (i = close + 1, name === "env") {
      scope.env !== void 0 ? out += scope.env : scope.envMode === "verbatim" ? out += "${env}" : errors.push("${env} has no value here: this field is shared by every environment; select one with --env");
      continue;
    }
    if (!VARIABLE_NAME2.test(name)) {
      errors.push(`"\${${name}}" is not a variable reference; names are letters, digits and _ (write $\${ for a literal \${)`);
      continue;
    }
    let value = scope.variables[name];
    (value === void 0 || value === "") && scope.missing === "verbatim" ? out += `\${${name}}` : value === void 0 ? errors.push(`environment variable ${name} is not set`) : value === "" ? errors.push(`environment variable ${name} is empty`) : (used.push({ name, value }), out += value);
  }
  return out += text.slice(i), { value: out, used, errors };
}

// src/config/yaml-reader.ts
function parseConfigSource(file, text) {
  let lines = new import_yaml2.LineCounter(), doc = (0, import_yaml2.parseDocument)(text, { lineCounter: lines, merge: !0, prettyErrors: !1, uniqueKeys: !0 }), problems = [], linesWithErrors = /* @__PURE__ */ new Set();
  for (let err of doc.errors) {
    let place = syntaxErrorPlace(text, lines, err), message = err.message.split(`
`)[0].replace(/ at line \d+, column \d+:?$/, "");
    linesWithErrors.has(place.line) || problems.length > 0 && / in YAML stream/.test(message) || (linesWithErrors.add(place.line), problems.push({ file, ...place, message: `YAML: ${message}${flowHint(text, lines.lineStarts[place.line - 1] ?? 0)}` }));
  }
  return { source: { file, doc, lines }, problems };
}
function flowHint(text, lineStart) {
  let end = text.indexOf(`
`, lineStart), line = text.slice(lineStart, end < 0 ? void 0 : end);
  return /[[{].*\$\{/.test(line) ? ' (inside [ ] or { }, quote strings that hold ${...}: ["k8s/overlays/${env}"])' : "";
}
var ProblemList = class {
  items = [];
  seen = /* @__PURE__ */ new Set();
  add(p) {
    let key = `${p.file}:${p.line}:${p.column}:${p.field}:${p.message}`;
    this.seen.has(key) || (this.seen.add(key), this.items.push(p));
  }
}, ConfigReader = class _ConfigReader {
  source;
  scope;
  problems;
  /** Called for every process environment variable substituted through this reader. */
  onVariable;
  constructor(source, scope, problems = new ProblemList(), onVariable) {
    this.source = source, this.scope = scope, this.problems = problems, this.onVariable = onVariable;
  }
  /** The same document and problem list, another interpolation scope. */
  withScope(scope, onVariable) {
    return new _ConfigReader(this.source, scope, this.problems, onVariable);
  }
  root() {
    return { node: this.deref(this.source.doc.contents ?? void 0), path: "" };
  }
  report(f, message, at = "value") {
    let node = at === "key" ? f.key ?? f.node : isEmpty(f.node) ? f.key ?? f.node ?? f.near : f.node, pos = node?.range ? this.source.lines.linePos(node.range[0]) : void 0;
    this.problems.add({
      file: this.source.file,
      ...pos ? { line: pos.line, column: pos.col } : {},
      ...f.path ? { field: f.path } : {},
      message
    });
  }
  /** Absent, or written with no value (`key:` or `key: ~`). */
  isAbsent(f) {
    return isEmpty(f.node);
  }
  /** A mapping with a fixed set of keys: unknown keys are reported (with the likely intended one). */
  fields(f, keys) {
    let near = f.key ?? f.node ?? f.near, out = {};
    for (let k of keys) out[k] = { node: void 0, path: childPath(f.path, k), ...near ? { near } : {} };
    if (this.isAbsent(f)) return out;
    if (!(0, import_yaml2.isMap)(f.node)) {
      this.report(f, `expected a mapping (key: value), got ${describe(f.node)}`);
      return;
    }
    let known = new Set(keys);
    for (let [name, child] of this.entries(f))
      known.has(name) ? out[name] = child : this.report(child, `unknown key "${name}"${suggestion(name, keys)}`, "key");
    return out;
  }
  /** A mapping whose keys are names (images, environments, buildArgs), in file order; merge keys applied. */
  entries(f) {
    if (this.isAbsent(f)) return [];
    if (!(0, import_yaml2.isMap)(f.node))
      return this.report(f, `expected a mapping (name: value), got ${describe(f.node)}`), [];
    let out = [];
    for (let pair of this.pairs(f.node)) {
      let keyNode = pair.key;
      if (!(0, import_yaml2.isScalar)(keyNode) || keyNode.value === null || typeof keyNode.value == "object") {
        this.report({ node: keyNode ?? void 0, path: f.path, near: f.key ?? f.node }, "keys must be plain names");
        continue;
      }
      let name = String(keyNode.value);
      out.push([name, { node: this.deref(pair.value), path: childPath(f.path, name), key: keyNode }]);
    }
    return out;
  }
  items(f) {
    return this.isAbsent(f) ? [] : (0, import_yaml2.isSeq)(f.node) ? f.node.items.map((item, i) => {
      let node = this.deref(item);
      return { node, path: childPath(f.path, i), ...node ? {} : { near: f.node } };
    }) : (this.report(f, `expected a list, got ${describe(f.node)}`), []);
  }
  string(f, opts = {}) {
    if (this.isAbsent(f)) {
      opts.required && this.report(f, `missing; ${opts.required}`);
      return;
    }
    let node = f.node;
    if (!(0, import_yaml2.isScalar)(node)) {
      this.report(f, `expected a string, got ${describe(node)}`);
      return;
    }
    if (typeof node.value != "string") {
      if (opts.anyScalar && node.source !== void 0) return node.source;
      this.report(f, `expected a string, got ${describe(node)} (quote it: "${node.source ?? String(node.value)}")`);
      return;
    }
    return this.interpolated(f, node.value);
  }
  /** Interpolates `${...}` in a string read from `f`, reporting what cannot be resolved there. */
  interpolated(f, text) {
    let result = interpolate(text, this.scope);
    for (let message of result.errors) this.report(f, message);
    if (!result.errors.length) {
      for (let { name, value } of result.used) this.onVariable?.(name, value);
      return result.value;
    }
  }
  integer(f, opts = {}) {
    let raw = this.scalarOrInterpolated(f);
    if (raw === void 0) return;
    let n = typeof raw == "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof n != "number" || !Number.isInteger(n)) {
      this.report(f, `expected a whole number, got ${typeof raw == "string" ? `"${raw}"` : String(raw)}`);
      return;
    }
    return opts.min !== void 0 && n < opts.min ? this.fail(f, `must be ${opts.min} or more, got ${n}`) : opts.max !== void 0 && n > opts.max ? this.fail(f, `must be ${opts.max} or less, got ${n}`) : n;
  }
  boolean(f) {
    let raw = this.scalarOrInterpolated(f);
    if (raw !== void 0)
      return typeof raw == "boolean" ? raw : raw === "true" || raw === "false" ? raw === "true" : this.fail(f, `expected true or false, got ${typeof raw == "string" ? `"${raw}"` : String(raw)}`);
  }
  /** Milliseconds of a Go-style duration. */
  duration(f) {
    let raw = this.scalarOrInterpolated(f);
    if (raw === void 0) return;
    let text = typeof raw == "number" && (0, import_yaml2.isScalar)(f.node) ? f.node.source ?? String(raw) : String(raw);
    try {
      return parseDuration(text);
    } catch (err) {
      if (err instanceof DurationError) return this.fail(f, err.message);
      throw err;
    }
  }
  oneOf(f, values) {
    let s = this.string(f);
    if (s !== void 0)
      return values.includes(s) ? s : this.fail(f, `"${s}" is not one of ${values.join(", ")}${suggestion(s, values)}`);
  }
  stringList(f, opts = {}) {
    if (this.isAbsent(f)) return;
    if (!(0, import_yaml2.isSeq)(f.node)) {
      this.report(f, `expected a list of strings, got ${describe(f.node)}`);
      return;
    }
    let out = [];
    for (let item of this.items(f)) {
      let s = this.string(item, { ...opts, required: "list items must not be empty" });
      s !== void 0 && out.push(s);
    }
    return out;
  }
  /** `name: value` pairs of text; numbers and booleans are kept exactly as written. */
  stringMap(f, each) {
    let out = {};
    for (let [name, child] of this.entries(f)) {
      let s = this.string(child, { anyScalar: !0, required: 'write "" for an empty value' });
      s !== void 0 && (out[name] = s, each?.(child, s));
    }
    return out;
  }
  /** The plain JS value of any node, strings interpolated (JSON bodies, expected JSON). */
  value(f, each) {
    let node = f.node;
    if (node === void 0) return;
    if ((0, import_yaml2.isMap)(node)) return Object.fromEntries(this.entries(f).map(([k, child]) => [k, this.value(child, each)]));
    if ((0, import_yaml2.isSeq)(node)) return this.items(f).map((item) => this.value(item, each));
    if (!(0, import_yaml2.isScalar)(node)) return;
    if (typeof node.value != "string") return node.value;
    let s = this.interpolated(f, node.value);
    return s !== void 0 && each?.(f, s), s;
  }
  fail(f, message) {
    this.report(f, message);
  }
  /** A scalar's typed value, or the interpolated text of a string (so `${VAR}` can supply numbers too). */
  scalarOrInterpolated(f) {
    if (this.isAbsent(f)) return;
    let node = f.node;
    if (!(0, import_yaml2.isScalar)(node)) {
      this.report(f, `expected a single value, got ${describe(node)}`);
      return;
    }
    let v = node.value;
    return typeof v == "string" ? this.interpolated(f, v) : typeof v == "number" || typeof v == "boolean" ? v : this.fail(f, `unexpected value ${String(node.source ?? v)}`);
  }
  deref(node) {
    if (node != null)
      return (0, import_yaml2.isAlias)(node) ? node.resolve(this.source.doc) ?? void 0 : node;
  }
  /** The pairs of a mapping with `<<` merge keys expanded: the mapping's own keys win over merged ones. */
  pairs(map, depth = 0) {
    let own = [], merged = [];
    for (let pair of map.items) {
      let key = pair.key;
      if ((0, import_yaml2.isScalar)(key) && typeof key.value == "symbol" && depth < 10) {
        let value = this.deref(pair.value), sources = (0, import_yaml2.isSeq)(value) ? value.items.map((n) => this.deref(n)) : [value];
        for (let src of sources) (0, import_yaml2.isMap)(src) && merged.push(...this.pairs(src, depth + 1));
      } else
        own.push(pair);
    }
    let ownKeys = new Set(own.map((p) => (0, import_yaml2.isScalar)(p.key) ? String(p.key.value) : p.key)), seen = /* @__PURE__ */ new Set(), fromMerge = merged.filter((p) => {
      let k = (0, import_yaml2.isScalar)(p.key) ? String(p.key.value) : p.key;
      return ownKeys.has(k) || seen.has(k) ? !1 : (seen.add(k), !0);
    });
    return [...own, ...fromMerge];
  }
};
function isEmpty(node) {
  return node === void 0 || (0, import_yaml2.isScalar)(node) && node.value === null;
}
function describe(node) {
  if (node === void 0) return "nothing";
  if ((0, import_yaml2.isMap)(node)) return "a mapping";
  if ((0, import_yaml2.isSeq)(node)) return "a list";
  if ((0, import_yaml2.isScalar)(node)) {
    let v = node.value;
    if (v === null) return "nothing";
    if (typeof v == "number") return `the number ${node.source ?? v}`;
    if (typeof v == "boolean") return `${v}`;
    if (typeof v == "string") return `the string "${v}"`;
  }
  return "something else";
}

// src/config/load.ts
var TOP_KEYS = ["images", "tags", "manifests", "environments", "rollout", "smoke", "builder", "tagPolicy", "registries"], BUILDERS = ["auto", "docker", "buildah"], TAG_POLICIES = ["before-verify", "after-verify"];
function loadConfig(opts) {
  return resolveConfig(readConfigSource(opts.configPath), opts);
}
function readConfigSource(configPath) {
  let file = resolve2(configPath), text;
  try {
    text = readFileSync2(file, "utf8");
  } catch (err) {
    let code = err.code;
    throw new InputError({ file, message: code === "ENOENT" ? "config file not found" : `cannot read the config file (${code ?? String(err)})` });
  }
  let { source, problems } = parseConfigSource(file, text);
  if (problems.length) throw new InputError(problems);
  return source;
}
function loadRegistrySettings(configPath, environment) {
  let source = readConfigSource(configPath), problems = new ProblemList(), r = new ConfigReader(source, { env: void 0, envMode: "forbidden", variables: environment }, problems), top = r.isAbsent(r.root()) ? void 0 : r.fields(r.root(), TOP_KEYS), registries = top ? readRegistries(r, top.registries) : {};
  if (problems.items.length) throw new InputError(problems.items);
  return registries;
}
function resolveConfig(source, opts) {
  let { file } = source, baseDir = dirname(file), variables = opts.environment, problems = new ProblemList(), base = new ConfigReader(source, { env: void 0, envMode: "forbidden", variables }, problems), root = base.root();
  if (base.isAbsent(root)) throw new InputError({ file, line: 1, message: "the file is empty; it needs images: and environments:" });
  let top = base.fields(root, TOP_KEYS);
  if (!top) throw new InputError(problems.items);
  let declared = base.entries(top.environments);
  declared.length === 0 && base.report(top.environments, "missing; rollgate.yml needs at least one environment (name: { targetTag, namespace, ... })");
  for (let [name, field] of declared) {
    let problem = environmentNameProblem(name);
    problem && base.report(field, problem, "key");
  }
  let names = declared.map(([name]) => name), requested = opts.env === void 0 ? names : typeof opts.env == "string" ? [opts.env] : [...opts.env];
  for (let name of requested)
    names.includes(name) || problems.add({
      file,
      field: "env",
      message: `no environment "${name}" in ${basename2(file)}${suggestion(name, names)}; it has ${names.length ? names.join(", ") : "none"}`
    });
  let selected = declared.filter(([name]) => requested.includes(name)), single = selected.length === 1 ? selected[0][0] : void 0, shared = base.withScope({ env: single, envMode: "forbidden", variables }), buildOnly = opts.builds === !1 ? shared.withScope({ env: single, envMode: "forbidden", variables, missing: "verbatim" }) : shared, images = readImages(shared, top.images, baseDir, buildOnly), tags = readTags(shared, top.tags), builder = shared.oneOf(top.builder, BUILDERS) ?? "auto", tagPolicy = shared.oneOf(top.tagPolicy, TAG_POLICIES) ?? "before-verify", registries = readRegistries(shared, top.registries), environments = {}, read = [];
  for (let [name, field] of selected) {
    let r = base.withScope({ env: name, variables }), smokeReader = opts.smokes === !1 ? base.withScope({ env: name, variables, missing: "verbatim" }) : r, env = readEnvironment(r, name, field, top, baseDir, smokeReader);
    env && (env.config && (environments[name] = env.config), read.push(env));
  }
  let versionContext = readVersion(opts, problems);
  checkTagRendering(shared, top.tags, tags, versionContext), checkTargetTags(base, targetTagsInFileOrder(source, declared, read, variables), tags, versionContext);
  let config = {
    file,
    images,
    tags,
    environments,
    ...topLevelRunSettings(source, top, single === void 0 ? void 0 : environments[single], variables),
    builder,
    tagPolicy,
    registries
  };
  if (applyOverrides(config, opts.overrides ?? {}, read, base), problems.items.length) throw new InputError(inFileOrder(problems.items));
  return config;
}
function inFileOrder(problems) {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
function topLevelRunSettings(source, top, env, variables) {
  if (env) return { rollout: env.rollout, ...env.smoke ? { smoke: env.smoke } : {} };
  let quiet = new ConfigReader(source, { env: void 0, envMode: "verbatim", variables }, new ProblemList()), smokeSection = readSmokeSection(quiet, top.smoke), smoke = smokeSection?.target && smokeSection.steps?.length ? mergeSmoke(quiet, smokeSection, void 0) : void 0;
  return { rollout: { ...DEFAULT_ROLLOUT, ...readRollout(quiet, top.rollout) }, ...smoke ? { smoke } : {} };
}
function readVersion(opts, problems) {
  if (opts.version === void 0) return;
  let version;
  try {
    version = parseBuildVersion(opts.version);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.add({ field: "version", message: err.message });
    return;
  }
  let sha = opts.sha ?? opts.environment.GITHUB_SHA ?? opts.environment.CI_COMMIT_SHA;
  return { version, ...sha ? { sha } : {}, date: opts.date ?? /* @__PURE__ */ new Date() };
}
function checkTagRendering(r, field, tags, ctx) {
  if (!ctx) return;
  let items = r.items(field);
  tags.forEach((template, i) => {
    let problem = validateTagTemplate(template) ? void 0 : renderProblem(template, ctx);
    problem && r.report(items[i] ?? field, problem);
  });
}
function targetTagsInFileOrder(source, declared, read, variables) {
  return declared.flatMap(([name, field]) => {
    let own = read.find((env) => env.name === name);
    if (own) return [{ name, targetTag: own.targetTag, field: own.fields.targetTag, selected: !0 }];
    let quiet = new ConfigReader(source, { env: name, variables, missing: "verbatim" }, new ProblemList()), f = quiet.fields(field, ENVIRONMENT_KEYS);
    return f ? [{ name, targetTag: quiet.string(f.targetTag) ?? name, field: f.targetTag, selected: !1 }] : [];
  });
}
function checkTargetTags(r, envs, tags, ctx) {
  let owners = /* @__PURE__ */ new Map();
  for (let env of envs) {
    let { targetTag, field, selected } = env;
    if (selected) for (let message of targetTagCollisions(targetTag, tags, ctx)) r.report(field, message);
    let other = owners.get(targetTag);
    other === void 0 ? owners.set(targetTag, env) : (selected || other.selected) && r.report(field, `"${targetTag}" is also the target tag of environment ${other.name}; each environment needs its own`);
  }
}
function applyOverrides(config, overrides, envs, r) {
  if (overrides.builder && (config.builder = overrides.builder), overrides.tagPolicy && (config.tagPolicy = overrides.tagPolicy), overrides.rolloutTimeoutMs !== void 0) {
    let timeoutMs = overrides.rolloutTimeoutMs;
    config.rollout = { ...config.rollout, timeoutMs };
    for (let env of Object.values(config.environments)) env.rollout = { ...env.rollout, timeoutMs };
  }
  let context = overrides.kubeContext;
  if (context !== void 0)
    for (let { config: env, fields } of envs)
      env && (env.kubeContext === void 0 ? env.kubeContext = context : env.kubeContext !== context && r.report(
        fields.kubeContext,
        `environment ${env.name} deploys through context "${env.kubeContext}", but context "${context}" was given; fix the input or the file (this check keeps a deploy off the wrong cluster)`
      ));
}

export {
  renderOne,
  TOP_KEYS,
  BUILDERS,
  TAG_POLICIES,
  loadConfig,
  readConfigSource,
  loadRegistrySettings,
  resolveConfig
};
