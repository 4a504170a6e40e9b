import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import "./chunk-JGF3FBHV.js";

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
      let { validate, formatValidateReport } = await import("./validate-UP3U4AYI.js"), report = validate({
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
        import("./load-POKRJGYM.js"),
        import("./build-IXCPB535.js"),
        import("./build-images-EEOWZ34H.js")
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
    case "inventory": {
      let { inventory } = await import("./inventory-TOZKYGUJ.js"), config;
      if (existsSync(configPath)) {
        let { loadRegistrySettings } = await import("./load-POKRJGYM.js");
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
        message: `"${inv.command}" is not available in this version of rollgate yet (available: validate, build, inventory)`
      });
  }
}
export {
  runCommand
};
