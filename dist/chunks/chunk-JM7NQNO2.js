import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  RESTORED_WORKLOAD_KINDS,
  describeTagRevert,
  extraKeys,
  finishCommands,
  isRestored,
  kubectlName,
  planRestore,
  restorableContent,
  restoreBody,
  restoreLeftovers,
  revertTargetTags,
  tagLeftovers,
  unrestoredLeftovers
} from "./chunk-BT5J6BEI.js";
import {
  trackRollout
} from "./chunk-TVX7SFGC.js";
import {
  describeRef
} from "./chunk-DKP2MMLE.js";
import {
  require_dist
} from "./chunk-ZT2TC3RN.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import {
  __toESM
} from "./chunk-K5Q2ZJ2S.js";

// src/kube/restore.ts
var import_yaml = __toESM(require_dist(), 1);
import { isDeepStrictEqual } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
var FIELD_MANAGER = "rollgate", DEFAULT_RESTORE_TIMEOUT_MS = 12e4;
async function restore(cluster, snapshot, options = {}) {
  let started = Date.now(), log = options.logger, result = { ok: !1, restored: [], deleted: [], unchanged: [], left: [], problems: [], elapsedMs: 0 }, problem = (stage, ref, err, body) => {
    let message = err instanceof Error ? err.message : String(err), file = body && ref.kind !== "Secret" ? writeBody(options.writeDir, ref, body) : void 0;
    result.problems.push({ ref, stage, message, commands: finishCommands(stage, ref, options.context, file) }), log?.error(`restore: ${describeRef(ref)}: ${message}`);
  }, steps = planRestore(snapshot.entries), since = Date.now(), applies = steps.filter((s) => s.action === "apply");
  for (let group of [applies.filter((s) => !RESTORED_WORKLOAD_KINDS.includes(s.ref.kind)), applies.filter((s) => RESTORED_WORKLOAD_KINDS.includes(s.ref.kind))])
    await Promise.all(
      group.map(async (step) => {
        try {
          let outcome = await restoreOne(cluster, step.ref, step.body);
          (outcome === "unchanged" ? result.unchanged : result.restored).push(step.ref), outcome === "restored" && log?.info(`restore: ${describeRef(step.ref)} put back`);
        } catch (err) {
          problem("apply", step.ref, err, step.body);
        }
      })
    );
  for (let step of steps)
    if (step.action === "leave")
      result.left.push({ ref: step.ref, reason: step.reason }), log?.info(`restore: ${describeRef(step.ref)} left in place: ${step.reason}`);
    else if (step.action === "delete")
      try {
        await cluster.delete(step.ref, { propagationPolicy: "Background" }), result.deleted.push(step.ref), log?.info(`restore: ${describeRef(step.ref)} deleted (created by this run)`);
      } catch (err) {
        problem("delete", step.ref, err);
      }
  let workloads = result.restored.filter((r) => RESTORED_WORKLOAD_KINDS.includes(r.kind));
  if (workloads.length) {
    let rollout;
    try {
      rollout = await trackRollout(cluster, workloads, {
        timeoutMs: options.timeoutMs ?? DEFAULT_RESTORE_TIMEOUT_MS,
        since,
        progressPrefix: "restore: ",
        ...options.rules ? { rules: options.rules } : {},
        ...log ? { logger: log } : {}
      });
    } catch (err) {
      let message = `put back, but its rollout could not be watched: ${err instanceof Error ? err.message : String(err)}`;
      for (let ref of workloads)
        result.problems.push({ ref, stage: "rollout", message, commands: finishCommands("rollout", ref, options.context) }), log?.error(`restore: ${describeRef(ref)} ${message}`);
      return result.elapsedMs = Date.now() - started, result;
    }
    result.rollout = rollout;
    for (let w of rollout.workloads.filter((x) => x.status !== "done")) {
      let ref = workloads.find((r) => r.kind === w.workload.kind && r.name === w.workload.name && r.namespace === w.workload.namespace), message = w.diagnosis ?? w.verdict.message;
      result.problems.push({ ref, stage: "rollout", message, commands: finishCommands("rollout", ref, options.context) }), log?.error(`restore: ${describeRef(ref)} is not Available again:
${message}`);
    }
  }
  return result.ok = result.problems.length === 0, result.elapsedMs = Date.now() - started, result;
}
async function restoreOne(cluster, ref, body) {
  let live = await cluster.get(ref);
  if (live && isDeepStrictEqual(restorableContent(live), restorableContent(body))) return "unchanged";
  let applied = await cluster.apply(body, { fieldManager: FIELD_MANAGER, force: !0 });
  if ((ref.kind === "ConfigMap" || ref.kind === "Secret") && extraKeys(applied, body).length) {
    let replacement = { ...applied };
    for (let field of ["data", "binaryData"])
      body[field] === void 0 ? delete replacement[field] : replacement[field] = body[field];
    await cluster.replace(replacement);
  }
  return "restored";
}
function writeBody(dir, ref, body) {
  if (!dir) return;
  mkdirSync(dir, { recursive: !0, mode: 448 });
  let file = join(dir, `${ref.namespace ? `${ref.namespace}-` : ""}${kubectlName(ref).replace(/[/.]/g, "-")}.yaml`);
  return writeFileSync(file, (0, import_yaml.stringify)(body), { mode: 384 }), file;
}

// src/deploy/revert.ts
async function revertDeploy(input) {
  let { logger } = input, [tags, workloads] = await Promise.all([revertTags(input), restoreWorkloads(input)]), timeToSafeSeconds = Math.round((Date.now() - input.verdictAt) / 100) / 10;
  return {
    tagRestored: tags.every(isRestored),
    workloadsRestored: workloads.leftovers.length === 0,
    timeToSafeSeconds,
    tags,
    ...workloads.result ? { restore: workloads.result } : {},
    leftovers: [...tagLeftovers(tags, input.insecure), ...workloads.leftovers]
  };
  async function revertTags(i) {
    let reverts = await revertTargetTags(i.tags, i.registryFor);
    for (let r of reverts)
      isRestored(r) ? logger.info(`revert: ${describeTagRevert(r)}`) : logger.warn(`revert: ${describeTagRevert(r)}`);
    return reverts;
  }
}
async function restoreWorkloads(input) {
  let { snapshot, cluster } = input;
  if (!snapshot) return { leftovers: [] };
  if (!cluster) return { leftovers: unrestoredLeftovers(snapshot, input.previousObjectsFile, input.context, "no cluster connection") };
  try {
    let result = await restore(cluster, snapshot, {
      logger: input.logger,
      ...input.timeoutMs !== void 0 ? { timeoutMs: input.timeoutMs } : {},
      ...input.rules ? { rules: input.rules } : {},
      ...input.context !== void 0 ? { context: input.context } : {},
      ...input.writeDir !== void 0 ? { writeDir: input.writeDir } : {}
    });
    return { result, leftovers: restoreLeftovers(result) };
  } catch (err) {
    let why = err instanceof Error ? err.message : String(err);
    return input.logger.error(`restore: ${why}`), { leftovers: unrestoredLeftovers(snapshot, input.previousObjectsFile, input.context, why) };
  }
}

// src/deploy/saved-state.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join as join2, relative, resolve } from "node:path";
var STATE_FILE = "state.json", PREVIOUS_OBJECTS_FILE = "previous.yaml", SavedState = class _SavedState {
  dir;
  #data;
  #written;
  constructor(dir, data) {
    this.dir = dir, this.#data = data;
  }
  static async create(data, env) {
    let base = env.RUNNER_TEMP || tmpdir(), workspace = env.GITHUB_WORKSPACE;
    if (workspace && isInside(resolve(base), resolve(workspace)))
      throw new InputError({ field: "RUNNER_TEMP", message: `the temp folder ${base} is inside the workspace ${workspace}; the restore state (with Secret data) must not be written there` });
    let dir = await mkdtemp(join2(base, `rollgate-restore-${data.environment.replace(/[^\w.-]+/g, "-")}-${randomBytes(3).toString("hex")}-`));
    return new _SavedState(dir, { version: 1, ...data });
  }
  get file() {
    return join2(this.dir, STATE_FILE);
  }
  /** previous.yaml, written with the snapshot. */
  get previousObjectsFile() {
    return join2(this.dir, PREVIOUS_OBJECTS_FILE);
  }
  /** Writes state.json (replacing it whole, so a reader never sees half of it). */
  async save(change = {}) {
    Object.assign(this.#data, change), change.snapshot && change.snapshot !== this.#written && (this.#written = change.snapshot, await writePrivate(this.previousObjectsFile, previousObjectsYaml(change.snapshot)));
    let tmp = `${this.file}.${process.pid}.tmp`;
    return await writePrivate(tmp, `${JSON.stringify(this.#data)}
`), await rename(tmp, this.file), this.file;
  }
  async remove() {
    await rm(this.dir, { recursive: !0, force: !0 });
  }
};
function previousObjectsYaml(snapshot) {
  return snapshot.entries.filter((e) => e.previous && e.ref.kind !== "Secret").map((e) => (0, import_yaml2.stringify)(restoreBody(e.previous))).join(`---
`);
}
async function loadSavedDeploy(file) {
  let data;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read the saved restore state ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (data?.version !== 1 || !Array.isArray(data.tags)) throw new Error(`${file} is not a rollgate restore state`);
  return data;
}
async function writePrivate(path, text) {
  await writeFile(path, text, { mode: 384 });
}
function isInside(path, folder) {
  let rel = relative(folder, path);
  return rel === "" || !rel.startsWith("..") && !isAbsolute(rel);
}

export {
  revertDeploy,
  PREVIOUS_OBJECTS_FILE,
  SavedState,
  loadSavedDeploy
};
