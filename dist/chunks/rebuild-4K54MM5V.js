import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  deployedIn
} from "./chunk-6CKOKSSX.js";
import "./chunk-ZJUFLAIK.js";
import {
  readArchiveInventory,
  readImageLabels,
  readInventory
} from "./chunk-6FNNVD6X.js";
import {
  diffPackages,
  formatPackageDiff,
  isEmptyDiff
} from "./chunk-V3FDOAVX.js";
import "./chunk-BIB7UNEJ.js";
import {
  deploy
} from "./chunk-DEL65Q45.js";
import "./chunk-JM7NQNO2.js";
import "./chunk-BT5J6BEI.js";
import "./chunk-GRWIMLBM.js";
import "./chunk-QALRVUOD.js";
import "./chunk-TVX7SFGC.js";
import "./chunk-E6PAOL2G.js";
import {
  createBuilder,
  planBuild
} from "./chunk-5BA2XP4Z.js";
import {
  OCI_REVISION_LABEL,
  OCI_VERSION_LABEL
} from "./chunk-HEIWUJ7H.js";
import "./chunk-QWDPOG5O.js";
import "./chunk-Y3S6HAY2.js";
import {
  confirmDigest,
  runLimited
} from "./chunk-UNUST53R.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-RPF3FRJ4.js";
import "./chunk-3V7TI2RJ.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-JCACNWR7.js";
import "./chunk-QAZIYCV3.js";
import "./chunk-LIPN2H4P.js";
import "./chunk-ZT2TC3RN.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-MCV24WYC.js";
import "./chunk-RZET367P.js";
import "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/commands/rebuild.ts
import { execFile as execFile2 } from "node:child_process";
import { mkdir, mkdtemp as mkdtemp2, rm as rm2 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join2 } from "node:path";
import { promisify as promisify2 } from "node:util";

// src/deploy/source-checkout.ts
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
var run = promisify(execFile);
async function git(cwd, args) {
  return (await run("git", args, { cwd })).stdout.trim();
}
async function checkoutRevision(configPath, revision) {
  let folder = dirname(configPath), root, head;
  try {
    root = await git(folder, ["rev-parse", "--show-toplevel"]), head = await git(folder, ["rev-parse", "HEAD"]);
  } catch {
    throw new InputError({
      field: "revision",
      message: `the deployed images were built from commit ${revision}, and ${folder} is not a git work tree to build it from; check that commit out and run rebuild there`
    });
  }
  if (head === revision) return { configPath, where: "work tree", remove: async () => {
  } };
  try {
    await git(root, ["cat-file", "-e", `${revision}^{commit}`]);
  } catch {
    throw new InputError({
      field: "revision",
      message: `the deployed images were built from commit ${revision}, which this clone does not have (HEAD is ${head}); fetch the history (actions/checkout with fetch-depth: 0, GIT_DEPTH: 0 in GitLab) or check that commit out`
    });
  }
  let dir = await mkdtemp(join(tmpdir(), "rollgate-rebuild-")), tree = join(dir, "src");
  return await git(root, ["worktree", "add", "--detach", tree, revision]), {
    configPath: join(tree, relative(root, configPath)),
    where: tree,
    remove: async () => {
      await git(root, ["worktree", "remove", "--force", tree]).catch(() => {
      }), await rm(dir, { recursive: !0, force: !0 });
    }
  };
}

// src/commands/rebuild.ts
async function rebuild(input) {
  let env = input.config.environments[input.environment];
  if (!env) throw new InputError({ field: "env", message: `environment "${input.environment}" is not in ${input.config.file}` });
  let { loadConfigAt, now = () => /* @__PURE__ */ new Date(), ...rest } = input, packages = [], report = await deploy({
    ...rest,
    command: "rebuild",
    version: `a rebuild of what ${env.name} runs`,
    images: async (registryFor) => {
      let rebuilt = await rebuildDeployed({ ...input, now, registryFor, targetTag: env.targetTag });
      return packages = rebuilt.packages, rebuilt;
    }
  });
  return packages.length ? { ...report, packages } : report;
}
async function rebuildDeployed(input) {
  let { registryFor, logger: log } = input, deployed = await originOf(input.config, input.environment, input.targetTag, registryFor), { version, revision } = deployed[0];
  log.info(`${input.environment} runs ${version} (commit ${revision}); rebuilding it with fresh base images and no cache`);
  let source = await checkoutRevision(input.config.file, revision);
  try {
    source.where !== "work tree" && log.info(`building from a worktree of ${revision} at ${source.where}`);
    let config = source.where === "work tree" ? input.config : input.loadConfigAt(source.configPath), tag = await buildTag(version, input.now(), deployed, registryFor), plan = planBuild({ config, version, sha: revision, env: input.env, flags: { ...input.buildFlags, pull: !0, noCache: !0 } }).map((image) => ({
      ...image,
      tags: [`${image.repository}:${tag}`]
    })), builder = input.builder ?? await createBuilder(config.builder, { logger: log, env: input.env, registries: config.registries });
    log.info(`building ${plan.map((i) => i.name).join(", ")} with ${builder.description}`), await runLimited(plan, builder.concurrency, (image, signal) => builder.build(image, signal), input.signal);
    let packages = await comparePackages(plan, deployed, builder, registryFor, log, input.signal), changed = plan.filter((image) => packages.some((p) => p.image === image.name));
    if (changed.length === 0)
      return { images: deployed, version, packages: [], unchanged: `no package changed in ${version} since it was built; nothing pushed, nothing deployed` };
    let pushed = await runLimited(changed, builder.concurrency, (image, signal) => builder.push(image, signal), input.signal);
    return { images: await Promise.all(
      deployed.map(async (old) => {
        let i = changed.findIndex((c) => c.name === old.name);
        if (i < 0) return { name: old.name, repository: old.repository, digest: old.digest, tags: old.tags };
        let image = changed[i], registry = await registryFor(image.repository), digest = confirmDigest(image, pushed[i], /* @__PURE__ */ new Map([[image.tags[0], (await registry.resolve(image.repository, tag))?.digest]]));
        log.info(`${image.name}: ${image.repository}@${digest} (${tag})`);
        let diff = packages.find((p) => p.image === old.name);
        return diff.to = digest, { name: old.name, repository: old.repository, digest, tags: [tag] };
      })
    ), version: tag, packages };
  } finally {
    await source.remove();
  }
}
async function originOf(config, environment, targetTag, registryFor) {
  let { images } = await deployedIn(config, environment, targetTag, registryFor), problems = [], found = await Promise.all(
    images.map(async (image) => {
      let labels = await readImageLabels(await registryFor(image.repository), image.repository, image.digest), version = labels[OCI_VERSION_LABEL], revision = labels[OCI_REVISION_LABEL];
      return (!version || !revision) && problems.push({
        field: `images.${image.name}`,
        message: `${image.repository}@${image.digest} (what ${targetTag} points at) has no ${version ? OCI_REVISION_LABEL : OCI_VERSION_LABEL} label, so what to rebuild is unknown; deploy a version built by rollgate first`
      }), { ...image, version: version ?? "", revision: revision ?? "" };
    })
  );
  if (problems.length) throw new InputError(problems);
  let origins = new Set(found.map((i) => `${i.version} (commit ${i.revision})`));
  if (origins.size > 1)
    throw new InputError({ field: "env", message: `the images of ${environment} come from different builds (${[...origins].join(", ")}); deploy one version of all of them before rebuilding` });
  return found;
}
async function buildTag(version, now, images, registryFor) {
  let day = now.toISOString().slice(0, 10).replaceAll("-", ""), taken = new Set((await Promise.all(images.map(async (i) => (await registryFor(i.repository)).listTags(i.repository)))).flat()), base = `${version}_${day}`, tag = base;
  for (let n = 2; taken.has(tag); n++) tag = `${base}-${n}`;
  return tag;
}
async function comparePackages(plan, deployed, builder, registryFor, log, signal) {
  if (!builder.saveArchive) throw new Error(`${builder.description} cannot hand a build over before pushing it; rebuild needs docker (engine BuildKit) or buildah`);
  let scratch = await mkdtemp2(join2(tmpdir2(), "rollgate-rebuild-"));
  try {
    let diffs = [];
    for (let image of plan) {
      let old = deployed.find((d) => d.name === image.name), dir = join2(scratch, image.name);
      await builder.saveArchive(image, `${dir}.tar`, signal), await mkdir(dir), await promisify2(execFile2)("tar", ["-xf", `${dir}.tar`, "-C", dir]);
      let [fresh, before] = await Promise.all([readArchiveInventory(dir), readInventory(await registryFor(old.repository), old.repository, old.digest)]), diff = diffPackages(before.packages, fresh);
      if (isEmptyDiff(diff)) {
        log.info(`${image.name}: the same ${fresh.length} packages as ${old.digest}`);
        continue;
      }
      log.info(`${image.name}: packages changed since ${old.digest}:
${formatPackageDiff(diff)}`), diffs.push({ image: image.name, from: old.digest, diff });
    }
    return diffs;
  } finally {
    await rm2(scratch, { recursive: !0, force: !0 });
  }
}
export {
  rebuild
};
