import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  describeRef
} from "./chunk-DKP2MMLE.js";

// src/kube/apply/format.ts
var MAX_VALUE = 60, SIGN = { create: "+", change: "~", unchanged: "=", refused: "!" };
function countChanges(changes) {
  let counts = { create: 0, change: 0, unchanged: 0, refused: 0 };
  for (let c of changes) counts[c.action]++;
  return counts;
}
function headline(changes) {
  let n = countChanges(changes), parts = [`${n.create} to create`, `${n.change} to change`, `${n.unchanged} unchanged`];
  return n.refused && parts.push(`${n.refused} refused by the server`), parts.join(", ");
}
function formatChangesText(changes) {
  let lines = [`manifests: ${headline(changes)}`];
  for (let c of changes)
    if (c.action !== "unchanged") {
      lines.push(`  ${SIGN[c.action]} ${describeRef(c.ref)}${c.action === "create" ? " (new)" : ""}`);
      for (let detail of details(c, (s) => s)) lines.push(`      ${detail}`);
    }
  return lines.join(`
`);
}
function formatChangesMarkdown(changes) {
  let lines = [`**Manifests**: ${headline(changes)}`, ""], verb = { create: "create", change: "change", unchanged: "unchanged", refused: "refused" };
  for (let c of changes)
    if (c.action !== "unchanged") {
      lines.push(`- **${verb[c.action]}** ${code(describeRef(c.ref))}`);
      for (let detail of details(c, code)) lines.push(`  - ${detail}`);
    }
  let unchanged = changes.filter((c) => c.action === "unchanged");
  if (unchanged.length > 0) {
    lines.push("", `<details><summary>${unchanged.length} unchanged</summary>`, "");
    for (let c of unchanged) lines.push(`- ${code(describeRef(c.ref))}`);
    lines.push("", "</details>");
  }
  return lines.join(`
`);
}
function details(c, quote) {
  let out = [];
  if (c.action === "refused") return [`refused: ${c.note ?? "no reason given"}`];
  for (let image of c.images)
    image.from === void 0 ? out.push(`image ${image.container}: ${quote(image.to)}`) : image.to === void 0 ? out.push(`image ${image.container}: ${quote(image.from)} removed`) : out.push(`image ${image.container}: ${quote(image.from)} -> ${quote(image.to)}`);
  c.replicas && out.push(`replicas: ${c.replicas.from ?? "(unset)"} -> ${c.replicas.to ?? "(unset)"}`);
  for (let key of c.keys) out.push(keyLine(key, c.secret === !0, quote));
  return c.paths.length > 0 && out.push(`changed: ${c.paths.map(quote).join(", ")}${c.morePaths ? ` and ${c.morePaths} more` : ""}`), c.note && out.push(`note: ${c.note}`), out;
}
function keyLine(k, secret, quote) {
  let hidden = secret ? " (value hidden)" : "", v = (s) => s === void 0 ? "" : quote(shorten(s));
  switch (k.change) {
    case "added":
      return `+ key ${k.key}${k.to !== void 0 ? ` = ${v(k.to)}` : hidden}`;
    case "removed":
      return `- key ${k.key}`;
    case "changed":
      return `~ key ${k.key}${k.from !== void 0 && k.to !== void 0 ? `: ${v(k.from)} -> ${v(k.to)}` : secret ? hidden : " (binary)"}`;
  }
}
function shorten(value) {
  let json = JSON.stringify(value);
  return json.length <= MAX_VALUE ? json : `${json.slice(0, MAX_VALUE - 2)}\u2026"`;
}
function code(s) {
  let longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length)), fence = "`".repeat(longest + 1), pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

export {
  formatChangesText,
  formatChangesMarkdown
};
