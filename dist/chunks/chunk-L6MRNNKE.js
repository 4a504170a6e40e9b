import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  BUILDERS,
  TAG_POLICIES
} from "./chunk-KO6UF5B3.js";
import {
  suggestion
} from "./chunk-QAZIYCV3.js";
import {
  DurationError,
  parseDuration
} from "./chunk-R7NFTJUE.js";
import {
  parseBuildVersion
} from "./chunk-MCV24WYC.js";
import {
  InvalidReferenceError,
  parseImageRef
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";

// src/config/inputs.ts
var ACTION_COMMANDS = ["build", "deploy", "promote", "rollback", "rebuild", "validate", "status", "inventory"], ACTION_INPUTS = {
  command: {
    description: `What to do: ${ACTION_COMMANDS.join(", ")}.`,
    default: "deploy"
  },
  config: { description: "Path of rollgate.yml, relative to the workspace.", default: "rollgate.yml" },
  env: {
    description: "The environment (a key of environments: in rollgate.yml) to deploy, roll back, rebuild, show or validate.",
    default: ""
  },
  version: {
    description: "The version to build and deploy, e.g. v4.2.0 (a tag ref such as refs/tags/v4.2.0 works too).",
    default: ""
  },
  from: { description: "promote: the environment whose verified digest is promoted.", default: "" },
  to: {
    description: "promote: the environment to promote to. rollback: the version or digest to go back to (default: the one before).",
    default: ""
  },
  build: {
    description: "deploy: build and push the images first. false deploys version tags pushed earlier (a build job, then a deploy job).",
    default: "true"
  },
  "force-conflicts": {
    description: "Take over fields that another field manager owns when applying manifests (server-side apply).",
    default: "false"
  },
  kubeconfig: { description: "Path of the kubeconfig (default: $KUBECONFIG, then ~/.kube/config).", default: "" },
  "kubeconfig-contents": {
    description: "The kubeconfig itself (e.g. from a secret), instead of a path: written 0600 to the runner temp folder, outside the workspace, and removed at the end.",
    default: ""
  },
  "kube-context": {
    description: "The kubeconfig context to use. When rollgate.yml names the environment's kubeContext, this must be the same.",
    default: ""
  },
  builder: { description: `Overrides builder: in rollgate.yml (${BUILDERS.join(", ")}).`, default: "" },
  "tag-policy": { description: `Overrides tagPolicy: in rollgate.yml (${TAG_POLICIES.join(", ")}).`, default: "" },
  "rollout-timeout": { description: "Overrides rollout.timeout in rollgate.yml, e.g. 10m.", default: "" },
  image: { description: "inventory: the image reference whose packages are listed.", default: "" },
  json: { description: "Also write the result as JSON to this file.", default: "" },
  dotenv: { description: "Also write the result as KEY=value lines to this file (a GitLab dotenv report).", default: "" },
  junit: { description: "Also write the smoke test as a JUnit XML report to this file.", default: "" },
  verbose: { description: "Log debug detail.", default: "false" }
}, SECRET_INPUTS = ["kubeconfig-contents"], COMMAND_INPUTS = {
  build: ["version", "builder"],
  deploy: ["env", "version", "build", "force-conflicts", "kube-context", "builder", "tag-policy", "rollout-timeout"],
  promote: ["from", "to", "force-conflicts", "kube-context", "tag-policy", "rollout-timeout"],
  rollback: ["env", "to", "force-conflicts", "kube-context", "rollout-timeout"],
  rebuild: ["env", "force-conflicts", "kube-context", "builder", "tag-policy", "rollout-timeout"],
  validate: ["env", "version", "kube-context"],
  status: ["env", "kube-context"],
  inventory: ["image"]
}, COMMON_INPUTS = ["command", "config", "kubeconfig", "kubeconfig-contents", "json", "dotenv", "junit", "verbose"], REQUIRED = {
  build: ["version"],
  deploy: ["env"],
  promote: ["from", "to"],
  rollback: ["env"],
  rebuild: ["env"],
  status: ["env"],
  inventory: ["image"]
};
function parseActionInputs(values) {
  let problems = [], fail = (name, message) => problems.push({ field: `with.${name}`, message }), names = Object.keys(ACTION_INPUTS);
  for (let name of Object.keys(values))
    name in ACTION_INPUTS || fail(name, `unknown input${suggestion(name, names)}`);
  let given = (name) => {
    let v = values[name]?.trim();
    return v === void 0 || v === "" ? void 0 : v;
  }, value = (name) => given(name) ?? ACTION_INPUTS[name].default, commandText = value("command");
  if (!ACTION_COMMANDS.includes(commandText))
    throw fail("command", `"${commandText}" is not a command${suggestion(commandText, ACTION_COMMANDS)}; commands: ${ACTION_COMMANDS.join(", ")}`), new InputError(problems);
  let command = commandText, applies = /* @__PURE__ */ new Set([...COMMON_INPUTS, ...COMMAND_INPUTS[command]]);
  for (let name of names) {
    let v = given(name);
    v !== void 0 && v !== ACTION_INPUTS[name].default && !applies.has(name) && fail(name, `does not apply to "${command}"`);
  }
  for (let name of REQUIRED[command] ?? [])
    given(name) === void 0 && fail(name, `"${command}" needs this input`);
  let bool = (name) => {
    let v = value(name);
    return ["true", "True", "TRUE"].includes(v) ? !0 : (["false", "False", "FALSE"].includes(v) || fail(name, `expected true or false, got "${v}"`), !1);
  }, oneOf = (name, allowed) => {
    let v = given(name);
    if (v !== void 0) {
      if (allowed.includes(v)) return v;
      fail(name, `"${v}" is not one of ${allowed.join(", ")}${suggestion(v, allowed)}`);
    }
  }, noBuild = !bool("build"), forceConflicts = bool("force-conflicts"), verbose = bool("verbose"), overrides = {}, kubeContext = given("kube-context");
  kubeContext !== void 0 && (overrides.kubeContext = kubeContext);
  let builder = oneOf("builder", BUILDERS);
  builder && (overrides.builder = builder);
  let tagPolicy = oneOf("tag-policy", TAG_POLICIES);
  tagPolicy && (overrides.tagPolicy = tagPolicy);
  let timeout = given("rollout-timeout");
  if (timeout !== void 0)
    try {
      let ms = parseDuration(timeout);
      ms === 0 ? fail("rollout-timeout", "must be longer than 0") : overrides.rolloutTimeoutMs = ms;
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      fail("rollout-timeout", err.message);
    }
  checkReferences(command, given, fail);
  let request = {
    command,
    config: value("config"),
    noBuild,
    forceConflicts,
    outputs: {},
    verbose,
    overrides
  };
  given("kubeconfig") !== void 0 && given("kubeconfig-contents") !== void 0 && fail("kubeconfig-contents", "give the kubeconfig as a path (kubeconfig) or as contents (kubeconfig-contents), not both");
  for (let [name, key] of [["env", "env"], ["version", "version"], ["from", "from"], ["to", "to"], ["kubeconfig", "kubeconfig"], ["kubeconfig-contents", "kubeconfigContents"], ["image", "image"]]) {
    let v = given(name);
    v !== void 0 && (request[key] = v);
  }
  for (let name of ["json", "dotenv", "junit"]) {
    let v = given(name);
    v !== void 0 && (request.outputs[name] = v);
  }
  if (problems.length) throw new InputError(problems);
  return request;
}
var DIGEST = /^sha256:[0-9a-f]{64}$/;
function checkReferences(command, given, fail) {
  let parses = (name, parse) => {
    try {
      return parse(), !0;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return fail(name, err instanceof InvalidReferenceError ? err.reason : err.message), !1;
    }
  }, version = given("version");
  version !== void 0 && COMMAND_INPUTS[command].includes("version") && parses("version", () => parseBuildVersion(version));
  let to = given("to");
  to !== void 0 && command === "rollback" && (to.startsWith("sha256:") ? DIGEST.test(to) || fail("to", `"${to}" is not a digest (sha256: and 64 lowercase hex characters)`) : isVersion(to) || fail("to", `"${to}" is neither a version (e.g. v4.1.0) nor a digest (sha256:...); leave it out to go back to the previous version`));
  let image = given("image");
  image !== void 0 && command === "inventory" && parses("image", () => parseImageRef(image));
}
function isVersion(text) {
  try {
    return parseBuildVersion(text), !0;
  } catch (err) {
    if (err instanceof InputError) return !1;
    throw err;
  }
}

export {
  ACTION_COMMANDS,
  ACTION_INPUTS,
  SECRET_INPUTS,
  parseActionInputs
};
