import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  require_parse,
  require_semver
} from "./chunk-RZET367P.js";
import {
  __commonJS,
  __toESM
} from "./chunk-K5Q2ZJ2S.js";

// node_modules/semver/functions/compare.js
var require_compare = __commonJS({
  "node_modules/semver/functions/compare.js"(exports, module) {
    "use strict";
    var SemVer = require_semver(), compare2 = (a, b, loose) => new SemVer(a, loose).compare(new SemVer(b, loose));
    module.exports = compare2;
  }
});

// src/deploy/version-history.ts
var import_compare = __toESM(require_compare(), 1), import_parse = __toESM(require_parse(), 1), REBUILD_SUFFIX = /_\d{8}(?:-\d+)?$/;
function versionOfTag(tag) {
  return (0, import_parse.default)(tag) ?? (REBUILD_SUFFIX.test(tag) ? (0, import_parse.default)(tag.replace(REBUILD_SUFFIX, "")) : null) ?? void 0;
}
async function versionTagsOf(registry, repository) {
  let versioned = (await registry.listTags(repository)).flatMap((tag) => {
    let version = versionOfTag(tag);
    return version ? [{ tag, version }] : [];
  });
  return (await Promise.all(versioned.map(async (v) => ({ ...v, digest: (await registry.resolve(repository, v.tag))?.digest })))).filter((v) => v.digest !== void 0).sort((a, b) => (0, import_compare.default)(b.version, a.version) || rebuildOrder(b.tag, a.tag));
}
function rebuildOrder(a, b) {
  let key = (t) => {
    let m = /_(\d{8})(?:-(\d+))?$/.exec(t);
    return m ? Number(m[1]) * 1e3 + Number(m[2] ?? 1) : 0;
  };
  return key(a) - key(b);
}
function versionOn(tags, digest) {
  return tags.find((t) => t.digest === digest);
}
function versionsOn(tags, digest) {
  return tags.filter((t) => t.digest === digest).map((t) => t.tag);
}
function previousVersion(tags, current) {
  let now = versionOn(tags, current);
  if (!now) return {};
  let previous = tags.find((t) => t.digest !== current && t.version.prerelease.length === 0 && (0, import_compare.default)(t.version, now.version) < 0);
  return { current: now, ...previous ? { previous } : {} };
}

export {
  versionTagsOf,
  versionOn,
  versionsOn,
  previousVersion
};
