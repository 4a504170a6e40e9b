import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  loadConfig,
  renderOne
} from "./chunk-KO6UF5B3.js";
import "./chunk-QAZIYCV3.js";
import "./chunk-LIPN2H4P.js";
import "./chunk-ZT2TC3RN.js";
import {
  formatDuration
} from "./chunk-R7NFTJUE.js";
import {
  parseBuildVersion
} from "./chunk-MCV24WYC.js";
import "./chunk-RZET367P.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/commands/validate.ts
import { dirname, relative } from "node:path";
function validate(opts) {
  let sha = opts.sha ?? opts.environment.GITHUB_SHA ?? opts.environment.CI_COMMIT_SHA, config = loadConfig({
    configPath: opts.configPath,
    ...opts.env !== void 0 ? { env: opts.env } : {},
    environment: opts.environment,
    ...opts.version !== void 0 ? { version: opts.version } : {},
    ...sha ? { sha } : {},
    ...opts.overrides ? { overrides: opts.overrides } : {}
  }), ctx = opts.version === void 0 ? void 0 : { version: parseBuildVersion(opts.version), ...sha ? { sha } : {}, date: /* @__PURE__ */ new Date() };
  return report(config, ctx);
}
function report(config, ctx) {
  let folder = dirname(config.file), tags = ctx ? renderedTags(config.tags, ctx) : config.tags;
  return {
    file: config.file,
    ...ctx ? { version: ctx.version.raw } : {},
    images: config.images.map((image) => ({
      name: image.name,
      repository: image.repository,
      tags,
      platforms: image.platforms,
      ...image.target !== void 0 ? { target: image.target } : {}
    })),
    environments: Object.values(config.environments).map((env) => ({
      name: env.name,
      targetTag: env.targetTag,
      namespace: env.namespace,
      ...env.kubeContext !== void 0 ? { kubeContext: env.kubeContext } : {},
      manifests: env.manifests.map((m) => relative(folder, m) || "."),
      rolloutTimeout: formatDuration(env.rollout.timeoutMs),
      smokeSteps: env.smoke?.steps.length ?? 0
    }))
  };
}
function renderedTags(templates, ctx) {
  let out = [];
  for (let template of templates) {
    let tag = template.includes("{sha}") && !ctx.sha ? template : renderOne(template, ctx);
    tag !== void 0 && !out.includes(tag) && out.push(tag);
  }
  return out;
}
function formatValidateReport(r) {
  let lines = [`${r.file} is valid${r.version ? ` for version ${r.version}` : ""}`, "images:"];
  for (let image of r.images)
    lines.push(`  ${image.name}: ${image.repository} tags ${image.tags.join(", ")}${image.target ? ` (target ${image.target})` : ""}`);
  lines.push("environments:");
  for (let env of r.environments) {
    let where = `namespace ${env.namespace}${env.kubeContext ? ` via ${env.kubeContext}` : ""}`, smoke = env.smokeSteps ? `smoke ${env.smokeSteps} step${env.smokeSteps === 1 ? "" : "s"}` : "no smoke test";
    lines.push(`  ${env.name}: tag ${env.targetTag}, ${where}, timeout ${env.rolloutTimeout}, ${smoke}`), lines.push(`    manifests: ${env.manifests.join(", ")}`);
  }
  return lines.join(`
`);
}
export {
  formatValidateReport,
  validate
};
