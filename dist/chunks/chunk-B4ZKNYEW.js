import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  InputError
} from "./chunk-FNCNTWIO.js";

// src/image/ref.ts
var InvalidReferenceError = class extends InputError {
  name = "InvalidReferenceError";
  /** The reference as given ('' when unknown). */
  reference;
  /** What is wrong, without the reference: `repository name must be lowercase: Team/api`. */
  reason;
  constructor(reason, reference) {
    super(reference === void 0 ? reason : `invalid image reference "${reference}": ${reason}`), this.reference = reference ?? "", this.reason = reason;
  }
}, DOCKER_HUB = "docker.io", LEGACY_DOCKER_HUB = "index.docker.io", OFFICIAL_PREFIX = "library/", MAX_PATH_LENGTH = 255, MAX_TAG_LENGTH = 128, alphanumeric = "[a-z0-9]+", separator = "(?:[._]|__|[-]+)", pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`, remoteName = `${pathComponent}(?:/${pathComponent})*`, domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])", domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`, ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]", domainAndPort = `(?:${domainName}|${ipv6address})(?::[0-9]+)?`, tagPattern = `[\\w][\\w.-]{0,${MAX_TAG_LENGTH - 1}}`, digestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}", referenceRe = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`), domainRe = new RegExp(`^${domainAndPort}$`), pathComponentRe = new RegExp(`^${pathComponent}$`), tagRe = new RegExp(`^${tagPattern}$`), digestAlgorithmRe = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/, imageIdRe = /^[a-f0-9]{64}$/, DIGEST_HEX_LENGTH = { sha256: 64, sha384: 96, sha512: 128 };
function parseImageRef(input) {
  let fail = (reason) => {
    throw new InvalidReferenceError(reason, input);
  };
  input === "" && fail("the reference is empty"), /\s/.test(input) && fail("it contains whitespace"), imageIdRe.test(input) && fail("a 64-character hex string is an image ID, not a repository name"), input.includes("://") && fail('write it without a URL scheme, e.g. "reg.example.com/team/app:v1"');
  let { registry, remainder, official } = splitRegistry(input), remote = remainder.split(/[:@]/, 1)[0] ?? "", written = official ? remote.slice(OFFICIAL_PREFIX.length) : remote;
  remote.toLowerCase() !== remote && fail(`repository name must be lowercase: ${written}`);
  let match = referenceRe.exec(`${registry}/${remainder}`);
  match || fail(written === "" ? "the repository name is missing" : diagnose(input, registry, remainder));
  let [, name = "", tag, digest] = match, path = name.slice(registry.length + 1);
  if (path.length > MAX_PATH_LENGTH && fail(`repository name must not be more than ${MAX_PATH_LENGTH} characters (it has ${path.length})`), digest !== void 0) {
    let problem = digestProblem(digest);
    problem && fail(problem);
  }
  return { registry, path, ...tag !== void 0 && { tag }, ...digest !== void 0 && { digest } };
}
function parseRepository(input) {
  let ref = parseImageRef(input);
  if (ref.tag !== void 0 || ref.digest !== void 0) {
    let extra = ref.digest !== void 0 ? `digest @${ref.digest}` : `tag :${ref.tag}`;
    throw new InvalidReferenceError(`a repository is named without a tag or digest; remove the ${extra}`, input);
  }
  return { registry: ref.registry, path: ref.path };
}
function repositoryOf(ref) {
  return `${ref.registry}/${ref.path}`;
}
function sameRepository(a, b) {
  let x = typeof a == "string" ? parseImageRef(a) : a, y = typeof b == "string" ? parseImageRef(b) : b;
  return x.registry.toLowerCase() === y.registry.toLowerCase() && x.path === y.path;
}
function isValidTag(tag) {
  return tagRe.test(tag);
}
function isValidDigest(digest) {
  return digestProblem(digest) === void 0;
}
function tagProblem(tag) {
  return tag === "" ? "the tag is empty" : isValidTag(tag) ? void 0 : tag.length > MAX_TAG_LENGTH ? `tag must not be more than ${MAX_TAG_LENGTH} characters (it has ${tag.length})` : /^[.-]/.test(tag) ? `tag must not start with "." or "-": ${tag}` : `tag may only contain letters, digits, "_", "." and "-" (found ${[...new Set(tag.replace(/[\w.-]/g, ""))].map((c) => `"${c}"`).join(" ")}): ${tag}`;
}
function digestProblem(digest) {
  let colon = digest.indexOf(":"), algorithm = digest.slice(0, Math.max(colon, 0)), hex = digest.slice(colon + 1);
  if (colon < 0 || !digestAlgorithmRe.test(algorithm)) return `digest must look like sha256:<64 hex characters>: ${digest}`;
  let length = DIGEST_HEX_LENGTH[algorithm];
  if (length === void 0)
    return `unsupported digest algorithm "${algorithm}" (Docker resolves ${Object.keys(DIGEST_HEX_LENGTH).join(", ")})`;
  if (!/^[0-9a-fA-F]*$/.test(hex)) return `${algorithm} digest must be hexadecimal: ${digest}`;
  if (hex.length !== length) return `${algorithm} digest must have exactly ${length} hex characters (it has ${hex.length})`;
  if (hex !== hex.toLowerCase()) return `${algorithm} digest must be lowercase hexadecimal: ${digest}`;
}
function splitRegistry(input) {
  let slash = input.indexOf("/");
  if (slash < 0) return { registry: DOCKER_HUB, remainder: OFFICIAL_PREFIX + input, official: !0 };
  let first = input.slice(0, slash), rest = input.slice(slash + 1), registry = DOCKER_HUB, remainder = input;
  (first === "localhost" || /[.:]/.test(first) || first.toLowerCase() !== first) && (registry = first === LEGACY_DOCKER_HUB ? DOCKER_HUB : first, remainder = rest);
  let official = registry === DOCKER_HUB && !remainder.includes("/");
  return { registry, remainder: official ? OFFICIAL_PREFIX + remainder : remainder, official };
}
function diagnose(input, registry, remainder) {
  if (!input.includes("/") && input.startsWith("["))
    return 'an IPv6 registry host needs a repository path after it, e.g. "[::1]:5000/team/app"';
  if (!domainRe.test(registry)) return registryProblem(registry);
  let at = remainder.indexOf("@"), nameAndTag = at < 0 ? remainder : remainder.slice(0, at), colon = nameAndTag.indexOf(":"), path = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon), pathProblem = repositoryPathProblem(path);
  if (pathProblem) return pathProblem;
  if (colon >= 0) {
    let problem = tagProblem(nameAndTag.slice(colon + 1));
    if (problem) return problem;
  }
  if (at >= 0) {
    let problem = digestProblem(remainder.slice(at + 1));
    if (problem) return problem;
  }
  return "it does not follow the reference grammar [registry[:port]/]path[:tag][@digest]";
}
function registryProblem(registry) {
  if (registry.includes("%")) return `IPv6 zone identifiers are not allowed in a registry host: ${registry}`;
  if (registry.startsWith("["))
    return `registry host must be a bracketed IPv6 address with an optional numeric port, e.g. [::1]:5000: ${registry}`;
  if ((registry.match(/:/g) ?? []).length > 1) return `IPv6 registry hosts must be in brackets, e.g. [fc00::1]:5000: ${registry}`;
  let [, port] = registry.split(":");
  return port !== void 0 && !/^[0-9]+$/.test(port) ? `registry port must be a number: ${registry}` : `registry host must be a host name or IP address (letters, digits, "-" inside labels, "." between them): ${registry}`;
}
function repositoryPathProblem(path) {
  for (let component of path.split("/")) {
    if (component === "") return `repository path has an empty component (a leading, trailing or doubled "/"): ${path}`;
    if (!pathComponentRe.test(component))
      return /[^a-z0-9._-]/.test(component) ? `repository path components may only contain lowercase letters, digits, ".", "_" and "-": ${component}` : /^[._-]|[._-]$/.test(component) ? `repository path components must start and end with a letter or digit: ${component}` : `repository path separators are one ".", one or two "_", or any number of "-", never mixed: ${component}`;
  }
}

export {
  InvalidReferenceError,
  MAX_TAG_LENGTH,
  parseImageRef,
  parseRepository,
  repositoryOf,
  sameRepository,
  isValidTag,
  isValidDigest,
  tagProblem
};
