import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  require_dist
} from "./chunk-ZT2TC3RN.js";
import {
  __toESM
} from "./chunk-K5Q2ZJ2S.js";

// src/kube/manifests/load.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { readdirSync, readFileSync as readFileSync2, statSync } from "node:fs";
import { basename, dirname, extname, join as join2 } from "node:path";

// src/config/yaml-paths.ts
function childPath(parent, key) {
  if (typeof key == "number") return `${parent}[${key}]`;
  let part = /^[A-Za-z_][\w-]*$/.test(key) ? key : `"${key}"`;
  return parent === "" ? part : part.startsWith('"') ? `${parent}[${part}]` : `${parent}.${part}`;
}
var DOCUMENT_START = /^---(\s|$)/, KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#"'{[\]},:-][^#:]*?|-[^\s#:][^#:]*?))\s*:(?:\s|$)/;
function shape(text) {
  let indent = text.length - text.trimStart().length, rest = text.slice(indent);
  if (rest === "" || rest.startsWith("#") || rest === "---" || rest === "...") return;
  let dash = rest === "-" || rest.startsWith("- "), keyColumn = dash ? indent + 2 : indent;
  dash && (rest = rest.slice(2).trimStart());
  let m = KEY.exec(rest), key = m ? m[1] ?? m[2]?.replaceAll("''", "'") ?? m[3].trim() : void 0;
  return { indent, dash, keyColumn, ...key !== void 0 ? { key } : {} };
}
function pathAtLine(text, line) {
  let raw = text.split(/\r?\n/), shapes = raw.map(shape), start = Math.min(line, shapes.length) - 1, own = shapes[start];
  if (!own) return;
  let segments = [], limit = own.key !== void 0 ? own.keyColumn : own.indent, fromItem = !1, item = (i, s) => {
    segments.unshift(itemIndex(shapes, i, s.indent)), limit = s.indent, fromItem = !0;
  };
  own.key !== void 0 && segments.unshift(own.key), own.dash && item(start, own);
  for (let i = start - 1; i >= 0 && (limit > 0 || fromItem) && !DOCUMENT_START.test(raw[i]); i--) {
    let s = shapes[i];
    s && (s.key !== void 0 && (s.keyColumn < limit || fromItem && !s.dash && s.keyColumn === limit) && (segments.unshift(s.key), limit = s.keyColumn, fromItem = !1), s.dash && s.indent < limit && item(i, s));
  }
  if (segments.length !== 0)
    return segments.reduce((path, seg) => childPath(path, seg), "");
}
function syntaxErrorPlace(text, lines, err) {
  let { line, col } = lines.linePos(err.pos[0]), column = col;
  if (/^(Flow (sequence|map) in block collection|Missing closing)/.test(err.message)) {
    let all = text.split(/\r?\n/), previous = line - 1;
    for (; previous > 1 && shape(all[previous - 1] ?? "") === void 0 && !DOCUMENT_START.test(all[previous - 1] ?? ""); ) previous--;
    previous >= 1 && previous < line && (line = previous, column = void 0);
  }
  let field = pathAtLine(text, line);
  return { line, ...column !== void 0 ? { column } : {}, ...field !== void 0 ? { field } : {} };
}
function itemIndex(shapes, i, indent) {
  let n = 0;
  for (let j = i - 1; j >= 0; j--) {
    let s = shapes[j];
    if (s) {
      if (s.indent < indent || s.indent === indent && !s.dash) break;
      s.indent === indent && s.dash && n++;
    }
  }
  return n;
}

// src/kube/manifests/kustomize.ts
var import_yaml = __toESM(require_dist(), 1);
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
  let block = /\berr=<\n([\s\S]*?)\n\s*>\s*$/.exec(stderr.trimEnd());
  if (block) return block[1].split(`
`).map((l) => l.trim()).filter(Boolean).join(" ");
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
function kustomizePlace(file, message) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { line: 1 };
  }
  let lines = new import_yaml.LineCounter(), doc = (0, import_yaml.parseDocument)(text, { lineCounter: lines }), quoted = [...message.matchAll(/'([^'\s]+)'|"([^"\s]+)"|\bpath\(([^)\s]+)\)|\bfield [\w.]*?(\w+) /g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
  for (let token of quoted) {
    let found = find(doc.contents, token, "");
    if (found) return { line: lines.linePos(found.offset).line, ...found.field ? { field: found.field } : {} };
  }
  return { line: 1 };
}
function find(node, token, path) {
  if ((0, import_yaml.isMap)(node))
    for (let pair of node.items) {
      let key = pair.key;
      if (!(0, import_yaml.isScalar)(key)) continue;
      let child = childPath(path, String(key.value));
      if (String(key.value) === token && key.range) return { offset: key.range[0], field: child };
      let inner = find(pair.value, token, child);
      if (inner) return inner;
    }
  else if ((0, import_yaml.isSeq)(node))
    for (let [i, item] of node.items.entries()) {
      let inner = find(item, token, childPath(path, i));
      if (inner) return inner;
    }
  else if ((0, import_yaml.isScalar)(node) && String(node.value) === token && node.range)
    return { offset: node.range[0], field: path };
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
  if (unit.type === "file") return parseManifests(unit.path, readFileSync2(unit.path, "utf8"));
  let rendered = await renderKustomization(unit.dir, options.kubectl);
  if ("problem" in rendered) return { manifests: [], problems: [{ file: unit.file, ...kustomizePlace(unit.file, rendered.problem), message: rendered.problem }] };
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
  let lines = new import_yaml2.LineCounter(), docs = (0, import_yaml2.parseAllDocuments)(text, { ...YAML_OPTIONS, lineCounter: lines }), manifests = [], problems = [];
  if (!Array.isArray(docs)) return { manifests, problems };
  let lineAt = (offset) => lines.linePos(offset).line;
  for (let doc of docs) {
    if (doc.errors.length > 0) {
      let seen = /* @__PURE__ */ new Set();
      for (let err of doc.errors) {
        let place = syntaxErrorPlace(text, lines, err);
        seen.has(place.line) || (seen.add(place.line), problems.push({ file, ...place, message: `YAML: ${err.message.split(`
`)[0].replace(/ at line \d+, column \d+:?$/, "")}` }));
      }
      continue;
    }
    let contents = doc.contents;
    if (contents === null || isEmptyScalar(contents)) continue;
    let line = lineAt(contents.range?.[0] ?? 0);
    if (!(0, import_yaml2.isMap)(contents)) {
      problems.push({ file, line, message: `a manifest must be a mapping (apiVersion, kind, metadata, ...), not ${describeNode(contents)}` });
      continue;
    }
    let value = doc.toJS({ maxAliasCount: 1e3 }), kind = value.kind;
    if (typeof kind == "string" && kind.endsWith("List") && Array.isArray(value.items)) {
      let itemsNode = contents.get("items", !0);
      value.items.forEach((item, i) => {
        let node = (0, import_yaml2.isSeq)(itemsNode) ? itemsNode.items[i] : void 0, itemLine = node?.range ? lineAt(node.range[0]) : line;
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
      if ((0, import_yaml2.isMap)(node)) {
        let pair = node.items.find((p) => ((0, import_yaml2.isScalar)(p.key) ? p.key.value : p.key) === segment);
        if (!pair) break;
        let key = pair.key;
        key?.range && (found = lineAt(key.range[0])), node = pair.value;
      } else if ((0, import_yaml2.isSeq)(node) && typeof segment == "number") {
        let item = node.items[segment];
        if (!item) break;
        item.range && (found = lineAt(item.range[0])), node = item;
      } else
        break;
    return found;
  };
}
function isEmptyScalar(node) {
  return !(0, import_yaml2.isCollection)(node) && node.value === null;
}
function describeNode(node) {
  return (0, import_yaml2.isSeq)(node) ? "a list" : `a scalar (${JSON.stringify(node.value)})`;
}
function isPlainObject(v) {
  return typeof v == "object" && v !== null && !Array.isArray(v);
}
function typeName(v) {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v == "object" ? "a mapping" : `a ${typeof v}`;
}

export {
  childPath,
  syntaxErrorPlace,
  KUSTOMIZATION_FILES,
  MANIFEST_EXTENSIONS,
  loadManifests,
  isPlainObject,
  typeName
};
