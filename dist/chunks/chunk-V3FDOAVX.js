import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  comparePackages
} from "./chunk-BIB7UNEJ.js";

// src/image/inventory-diff.ts
var keyOf = (p) => `${p.type}\0${p.name}\0${p.arch ?? ""}`;
function group(packages) {
  let byKey = /* @__PURE__ */ new Map();
  for (let p of packages) byKey.set(keyOf(p), [...byKey.get(keyOf(p)) ?? [], p]);
  return byKey;
}
var versionsOf = (list) => [...new Set(list.map((p) => p.version))].sort().join(", ");
function diffPackages(before, after) {
  let old = group(before), now = group(after), diff = { added: [], removed: [], changed: [] };
  for (let [key, list] of now) {
    let previous = old.get(key);
    if (!previous) diff.added.push(...list);
    else if (versionsOf(previous) !== versionsOf(list)) {
      let { type, name, arch } = list[0];
      diff.changed.push({ type, name, ...arch ? { arch } : {}, from: versionsOf(previous), to: versionsOf(list) });
    }
  }
  for (let [key, list] of old) now.has(key) || diff.removed.push(...list);
  return diff.added.sort(comparePackages), diff.removed.sort(comparePackages), diff.changed.sort((a, b) => comparePackages({ ...a, version: "" }, { ...b, version: "" })), diff;
}
function isEmptyDiff(diff) {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
function formatPackageDiff(diff) {
  let label = (p) => `${p.type} ${p.name}`, lines = [
    ...diff.changed.map((c) => `~ ${label(c)} ${c.from} -> ${c.to}`),
    ...diff.added.map((p) => `+ ${label(p)} ${p.version}`),
    ...diff.removed.map((p) => `- ${label(p)} ${p.version}`)
  ];
  return lines.length === 0 ? "no package changes" : lines.join(`
`);
}

export {
  diffPackages,
  isEmptyDiff,
  formatPackageDiff
};
