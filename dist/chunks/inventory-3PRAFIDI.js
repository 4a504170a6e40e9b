import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  DEFAULT_PLATFORM,
  parsePlatform,
  readInventory
} from "./chunk-6FNNVD6X.js";
import "./chunk-BIB7UNEJ.js";
import {
  parseImageRef,
  repositoryOf
} from "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/commands/inventory.ts
async function inventory(input) {
  let ref = parseImageRef(input.ref), platform = input.platform ? parsePlatform(input.platform) : DEFAULT_PLATFORM, repository = repositoryOf(ref), registry = input.registry;
  if (!registry) {
    let { registryFor } = await import("./factory-O65MHKEG.js");
    registry = await registryFor(repository, { registries: input.config?.registries ?? {} }, {
      ...input.logger ? { logger: input.logger } : {},
      ...input.env ? { env: input.env } : {}
    });
  }
  let found = await readInventory(registry, repository, ref.digest ?? ref.tag ?? "latest", platform), data = { reference: input.ref, ...found };
  return { ...data, text: input.json ? formatInventoryJson(data) : formatInventory(data) };
}
function formatInventoryJson(inv) {
  let { reference, repository, digest, manifestDigest, platform, packages } = inv;
  return `${JSON.stringify({ reference, repository, digest, manifestDigest, platform, packages }, null, 2)}
`;
}
function formatInventory(inv) {
  let counts = /* @__PURE__ */ new Map();
  for (let p of inv.packages) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
  let header = [
    `${inv.repository}@${inv.digest}${inv.manifestDigest !== inv.digest ? ` (${inv.platform}: ${inv.manifestDigest})` : ` (${inv.platform})`}`,
    inv.packages.length === 0 ? "no packages found (no dpkg, apk or Python package metadata in the image)" : `${inv.packages.length} packages: ${[...counts].map(([type, n]) => `${n} ${type}`).join(", ")}`
  ];
  if (inv.packages.length === 0) return `${header.join(`
`)}
`;
  let rows = [["TYPE", "NAME", "VERSION", "SOURCE"], ...inv.packages.map((p) => [p.type, p.name, p.version, p.source ?? ""])], widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length))), lines = rows.map((r) => r.map((cell, i) => i < 3 ? cell.padEnd(widths[i]) : cell).join("  ").trimEnd());
  return `${[...header, "", ...lines].join(`
`)}
`;
}
export {
  formatInventory,
  formatInventoryJson,
  inventory
};
