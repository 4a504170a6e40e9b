import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  require_parse
} from "./chunk-RZET367P.js";
import {
  MAX_TAG_LENGTH,
  isValidTag,
  tagProblem
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import {
  __toESM
} from "./chunk-K5Q2ZJ2S.js";

// src/image/version-tags.ts
var import_parse = __toESM(require_parse(), 1);
var TAG_PLACEHOLDERS = ["version", "major", "minor", "patch", "sha", "date"], VERSION_SHAPE = 'a version is MAJOR.MINOR.PATCH with an optional leading "v", an optional pre-release after "-" and optional build metadata after "+", e.g. v4.2.0, 4.2.0, v4.2.0-rc.1, v4.2.0+build.7', SHORT_SHA_LENGTH = 7, placeholderRe = /\{([^{}]*)\}/g, SHORTEST = {
  version: "0.0.0",
  major: "0",
  minor: "0",
  patch: "0",
  sha: "0".repeat(SHORT_SHA_LENGTH),
  date: "00000000"
};
function parseBuildVersion(input) {
  let raw = input.trim().replace(/^refs\/tags\//, ""), parsed = raw === "" ? null : (0, import_parse.default)(raw);
  if (!parsed) throw new InputError(`version "${input}" is not valid: ${versionHint(raw)}${VERSION_SHAPE}`);
  return {
    raw,
    prefix: raw.startsWith("v") ? "v" : "",
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease.length > 0
  };
}
function versionHint(raw) {
  return raw === "" ? "it is empty; " : raw.startsWith("refs/") ? "only a tag ref (refs/tags/\u2026) names a version; " : /^[vV]?\d+(\.\d+)?$/.test(raw) ? 'it needs all three numbers (add ".0"); ' : /^[vV]?\d+\.\d+\.\d+\.\d/.test(raw) ? "it has more than three numbers; " : raw.startsWith("V") ? 'the prefix must be a lowercase "v"; ' : "";
}
function validateTagTemplate(template) {
  if (template === "") return "the tag template is empty";
  for (let [, name = ""] of template.matchAll(placeholderRe))
    if (!isPlaceholder(name))
      return `unknown placeholder {${name}}; use ${TAG_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`;
  let literal = template.replace(placeholderRe, "");
  if (/[{}]/.test(literal)) return `unbalanced "{" or "}" in tag template "${template}"`;
  let bad = [...new Set(literal.replace(/[\w.-]/g, ""))];
  if (bad.length > 0)
    return `${bad.map((c) => `"${c}"`).join(" ")} can never be part of a tag (tags allow letters, digits, "_", "." and "-")`;
  if (/^[.-]/.test(template)) return 'a tag cannot start with "." or "-"';
  let shortest = template.replace(placeholderRe, (_, name) => SHORTEST[name]);
  if (shortest.length > MAX_TAG_LENGTH)
    return `renders at least ${shortest.length} characters; a tag has at most ${MAX_TAG_LENGTH}`;
}
function renderVersionTags(templates, ctx) {
  for (let template of templates) {
    let problem = validateTagTemplate(template);
    if (problem) throw new InputError(`tag template "${template}": ${problem}`);
  }
  let tags = [];
  for (let template of templates) {
    if (ctx.version.prerelease && !template.includes("{version}")) continue;
    let tag = renderTemplate(template, ctx);
    if (!isValidTag(tag))
      throw new InputError(`tag template "${template}" renders "${tag}", which is not a valid tag: ${tagProblem(tag)}`);
    tags.includes(tag) || tags.push(tag);
  }
  return tags;
}
function renderTemplate(template, ctx) {
  let { version } = ctx, prefix = version.prefix, numbered = (n) => {
    let text = `${prefix}${n}`;
    return prefix = "", text;
  };
  return template.replace(placeholderRe, (_, name) => {
    switch (name) {
      case "version":
        return version.raw.replaceAll("+", "-");
      case "major":
        return numbered(version.major);
      case "minor":
        return numbered(version.minor);
      case "patch":
        return numbered(version.patch);
      case "sha":
        return shortSha(template, ctx.sha);
      case "date":
        return utcDate(template, ctx.date);
    }
  });
}
function shortSha(template, sha) {
  if (sha === void 0 || sha === "")
    throw new InputError(`tag template "${template}" uses {sha}, but no commit sha was given`);
  if (!/^[0-9a-fA-F]{7,64}$/.test(sha))
    throw new InputError(`tag template "${template}" uses {sha}, but "${sha}" is not a git commit sha (7 to 64 hex characters)`);
  return sha.slice(0, SHORT_SHA_LENGTH).toLowerCase();
}
function utcDate(template, date) {
  if (date === void 0 || Number.isNaN(date.getTime()))
    throw new InputError(`tag template "${template}" uses {date}, but no valid build date was given`);
  let pad = (n, width) => String(n).padStart(width, "0");
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
}
function isPlaceholder(name) {
  return TAG_PLACEHOLDERS.includes(name);
}

export {
  parseBuildVersion,
  validateTagTemplate,
  renderVersionTags
};
