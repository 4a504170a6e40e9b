import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/image/inventory-packages.ts
var DPKG_STATUS = "var/lib/dpkg/status", DPKG_STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/, APK_INSTALLED = /^(?:usr\/)?lib\/apk\/db\/installed$/, PYTHON_METADATA = /(?:^|\/)(?:site|dist)-packages\/[^/]+(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|\.egg-info)$/;
function isInventoryPath(path) {
  return path === DPKG_STATUS || DPKG_STATUS_D.test(path) || APK_INSTALLED.test(path) || PYTHON_METADATA.test(path);
}
function parseStanzas(text) {
  let stanzas = [], current = {}, field;
  for (let line of text.split(/\r?\n/))
    if (line.trim() === "")
      Object.keys(current).length > 0 && stanzas.push(current), current = {}, field = void 0;
    else if (/^[ \t]/.test(line))
      field && (current[field] += `
${line.trim()}`);
    else {
      let colon = line.indexOf(":");
      if (colon <= 0) continue;
      field = line.slice(0, colon).trim(), current[field] = line.slice(colon + 1).trim();
    }
  return Object.keys(current).length > 0 && stanzas.push(current), stanzas;
}
function parseDpkgStatus(text) {
  let out = [];
  for (let s of parseStanzas(text)) {
    let name = s.Package, version = s.Version;
    if (!name || !version || s.Status !== void 0 && s.Status.split(/\s+/).pop() !== "installed") continue;
    let pkg = { type: "deb", name, version }, source = s.Source?.split(/\s+/)[0];
    source && source !== name && (pkg.source = source), s.Architecture && (pkg.arch = s.Architecture), out.push(pkg);
  }
  return out;
}
function parseApkInstalled(text) {
  let out = [];
  for (let block of text.split(/\n\s*\n/)) {
    let fields = {};
    for (let line of block.split(`
`)) {
      let m = /^([A-Za-z]):(.*)$/.exec(line);
      m && fields[m[1]] === void 0 && (fields[m[1]] = m[2].trim());
    }
    if (!fields.P || !fields.V) continue;
    let pkg = { type: "apk", name: fields.P, version: fields.V };
    fields.o && fields.o !== fields.P && (pkg.source = fields.o), fields.A && (pkg.arch = fields.A), out.push(pkg);
  }
  return out;
}
function parsePythonMetadata(text) {
  let headerEnd = text.search(/\r?\n\r?\n/), stanza = parseStanzas(headerEnd === -1 ? text : text.slice(0, headerEnd))[0];
  if (!(!stanza?.Name || !stanza.Version))
    return { type: "python", name: stanza.Name, version: stanza.Version };
}
function comparePackages(a, b) {
  return a.type.localeCompare(b.type) || a.name.localeCompare(b.name, "en") || (a.arch ?? "").localeCompare(b.arch ?? "") || a.version.localeCompare(b.version, "en", { numeric: !0 });
}
function packagesFromFiles(files) {
  let found = [];
  for (let [path, data] of files) {
    if (!isInventoryPath(path)) continue;
    let text = data.toString("utf8");
    if (path === DPKG_STATUS || DPKG_STATUS_D.test(path))
      path.endsWith(".md5sums") || found.push(...parseDpkgStatus(text));
    else if (APK_INSTALLED.test(path))
      found.push(...parseApkInstalled(text));
    else {
      let pkg = parsePythonMetadata(text);
      pkg && found.push(pkg);
    }
  }
  return [...new Map(found.map((p) => [JSON.stringify([p.type, p.name, p.arch, p.version, p.source]), p])).values()].sort(comparePackages);
}

export {
  isInventoryPath,
  comparePackages,
  packagesFromFiles
};
