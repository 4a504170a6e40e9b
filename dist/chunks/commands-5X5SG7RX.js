import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/cli/commands.ts
import { existsSync } from "node:fs";
import { resolve } from "node:path";

// src/cli/git.ts
import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";
async function commitSha(env, configPath) {
  let fromCi = env.GITHUB_SHA ?? env.CI_COMMIT_SHA;
  if (fromCi) return fromCi;
  try {
    let { stdout } = await promisify(execFile)("git", ["rev-parse", "HEAD"], { cwd: dirname(configPath) });
    return stdout.trim();
  } catch {
    throw new InputError({ field: "sha", message: "no commit to label the image with: not in a git work tree and neither GITHUB_SHA nor CI_COMMIT_SHA is set" });
  }
}

// src/cli/commands.ts
async function runCommand(inv, ctx, out) {
  let configPath = resolve(ctx.cwd, inv.config), started = Date.now(), timings = () => ({ totalSeconds: (Date.now() - started) / 1e3 });
  switch (inv.command) {
    case "validate": {
      let { validate, formatValidateReport } = await import("./validate-DHW6OCLA.js"), report = validate({
        configPath,
        ...inv.env !== void 0 ? { env: inv.env } : {},
        ...inv.version !== void 0 ? { version: inv.version } : {},
        environment: ctx.env,
        overrides: inv.overrides
      });
      return out.stdout(`${formatValidateReport(report)}
`), {
        command: "validate",
        outcome: "valid",
        ...inv.env !== void 0 ? { environment: inv.env } : {},
        ...report.version !== void 0 ? { version: report.version } : {},
        images: report.images.map((i) => ({ name: i.name, repository: i.repository, digest: "", tags: i.tags })),
        timings: timings(),
        message: `${inv.config} is valid`
      };
    }
    case "build": {
      let [{ loadConfig }, { build }, { formatBuildSummary }] = await Promise.all([
        import("./load-BW5U3KT6.js"),
        import("./build-WPH5XTM5.js"),
        import("./build-images-V4552OLQ.js")
      ]), config = loadConfig({ configPath, env: [], environment: ctx.env, version: inv.version, overrides: inv.overrides }), sha = await commitSha(ctx.env, configPath), built = await build({ config, version: inv.version, sha, logger: ctx.logger, env: ctx.env, signal: ctx.signal });
      return out.stdout(`${formatBuildSummary(built)}
`), {
        command: "build",
        outcome: "built",
        version: inv.version,
        images: built.map((b) => ({ name: b.name, repository: b.repository, digest: b.digest, tags: b.tags })),
        timings: timings(),
        message: `built and pushed ${built.length} image${built.length === 1 ? "" : "s"}`
      };
    }
    case "deploy":
    case "promote":
    case "rollback":
    case "rebuild": {
      let [{ loadConfig }, { deployRunResult }, { formatDeployReport }] = await Promise.all([
        import("./load-BW5U3KT6.js"),
        import("./report-YK4E6TAZ.js"),
        import("./format-3VMBCJ36.js")
      ]), common = {
        forceConflicts: inv.forceConflicts,
        ...inv.kubeconfig !== void 0 ? { kubeconfig: inv.kubeconfig } : {},
        ...inv.kubeconfigContents !== void 0 ? { kubeconfigContents: inv.kubeconfigContents } : {},
        logger: ctx.logger,
        env: ctx.env,
        signal: ctx.signal,
        ...ctx.onRestoreState ? { onRestoreState: ctx.onRestoreState } : {}
      }, report;
      if (inv.command === "promote") {
        let { promote } = await import("./promote-OAEBODCX.js"), config = loadConfig({ configPath, env: [inv.from, inv.to], environment: ctx.env, builds: !1, overrides: inv.overrides });
        report = await promote({ ...common, config, from: inv.from, to: inv.to });
      } else if (inv.command === "rollback") {
        let { rollback } = await import("./rollback-DTISRUCQ.js"), config = loadConfig({ configPath, env: inv.env, environment: ctx.env, builds: !1, overrides: inv.overrides }), sha = await commitSha(ctx.env, configPath).catch(() => {
        });
        report = await rollback({ ...common, config, environment: inv.env, ...inv.to !== void 0 ? { to: inv.to } : {}, ...sha !== void 0 ? { sha } : {} });
      } else if (inv.command === "rebuild") {
        let { rebuild } = await import("./rebuild-4K54MM5V.js"), load = (path) => loadConfig({ configPath: path, env: inv.env, environment: ctx.env, overrides: inv.overrides });
        report = await rebuild({ ...common, config: load(configPath), environment: inv.env, loadConfigAt: load });
      } else {
        let { deploy } = await import("./deploy-UYMZ4ML4.js"), version = deployVersion(inv.version, ctx.env), config = loadConfig({ configPath, env: inv.env, environment: ctx.env, version, builds: !inv.noBuild, overrides: inv.overrides }), sha = inv.noBuild ? await commitSha(ctx.env, configPath).catch(() => {
        }) : await commitSha(ctx.env, configPath);
        report = await deploy({ ...common, config, environment: inv.env, version, ...sha !== void 0 ? { sha } : {}, noBuild: inv.noBuild });
      }
      out.stdout(formatDeployReport(report));
      let diagnosis = report.rollout?.failure?.diagnosis;
      return out.details?.({ ...report.smoke ? { smoke: report.smoke } : {}, ...report.changes ? { changes: report.changes } : {}, ...diagnosis ? { diagnosis } : {} }), { ...deployRunResult(report), timings: { ...report.timings, totalSeconds: timings().totalSeconds } };
    }
    case "status": {
      let [{ loadConfig }, { status, statusMessage, statusVersion }, { connectCluster }, { readManifests }, { workloadsOf }, { registryLookup }] = await Promise.all([
        import("./load-BW5U3KT6.js"),
        import("./status-YAMUMPHP.js"),
        import("./client-B6IPDAXM.js"),
        import("./read-OOIAJPIA.js"),
        import("./tracker-TBXUOXX5.js"),
        import("./registries-DA46PYOC.js")
      ]), config = loadConfig({ configPath, env: inv.env, environment: ctx.env, builds: !1, smokes: !1, overrides: inv.overrides }), env = config.environments[inv.env], workloads = workloadsOf((await readManifests(env)).map((m) => m.object)), cluster = await connectCluster({
        ...inv.kubeconfig !== void 0 ? { kubeconfig: inv.kubeconfig } : {},
        ...inv.kubeconfigContents !== void 0 ? { kubeconfigContents: inv.kubeconfigContents } : {},
        environment: env,
        env: ctx.env,
        logger: ctx.logger
      });
      try {
        let registryFor = registryLookup(config, { logger: ctx.logger, env: ctx.env }), { report, text } = await status(config, env.name, cluster, { workloads, registryFor });
        return out.stdout(`${text}
`), out.details?.({ status: text }), {
          command: "status",
          outcome: "unchanged",
          environment: env.name,
          ...statusVersion(report),
          images: (report.targetTags ?? []).flatMap((t) => t.digest ? [{ name: t.image, repository: t.repository, digest: t.digest, tags: t.versions, targetTag: t.tag }] : []),
          timings: timings(),
          message: statusMessage(report)
        };
      } finally {
        await cluster.close();
      }
    }
    case "inventory": {
      let { inventory } = await import("./inventory-3PRAFIDI.js"), config;
      if (existsSync(configPath)) {
        let { loadRegistrySettings } = await import("./load-BW5U3KT6.js");
        config = { registries: loadRegistrySettings(configPath, ctx.env) };
      }
      let result = await inventory({ ref: inv.image, json: inv.jsonToStdout, logger: ctx.logger, env: ctx.env, ...config ? { config } : {} });
      return out.stdout(result.text.endsWith(`
`) ? result.text : `${result.text}
`), {
        command: "inventory",
        outcome: "unchanged",
        images: [{ name: result.reference, repository: result.repository, digest: result.digest, tags: [] }],
        packages: result.packages,
        timings: timings(),
        message: `${result.packages.length} packages in ${result.reference}`
      };
    }
    default:
      throw new InputError({
        field: "command",
        message: `"${inv.command}" is not available in this version of rollgate yet (available: validate, build, deploy, promote, rollback, rebuild, status, inventory)`
      });
  }
}
function deployVersion(given, env) {
  let version = given ?? env.CI_COMMIT_TAG ?? (env.GITHUB_REF?.startsWith("refs/tags/") ? env.GITHUB_REF : void 0);
  if (version === void 0)
    throw new InputError({ field: "version", message: "deploy needs the version to build and deploy (--version V, or run in a tag pipeline)" });
  return version;
}
export {
  deployVersion,
  runCommand
};
