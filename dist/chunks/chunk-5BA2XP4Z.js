import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  buildTime,
  ociLabels,
  sourceUrl
} from "./chunk-HEIWUJ7H.js";
import {
  OciRegistry,
  endpointFor,
  registryFor
} from "./chunk-QWDPOG5O.js";
import {
  buildImages
} from "./chunk-UNUST53R.js";
import {
  parseBuildVersion,
  renderVersionTags
} from "./chunk-MCV24WYC.js";
import {
  parseImageRef
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";

// src/image/buildah-builder.ts
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// src/image/build-args.ts
function pushesFromBuildKit(request, caps) {
  return caps.mode === "buildx" && (request.platforms.length > 1 || request.attestations);
}
function versionAtLeast(version, major, minor) {
  let m = /(\d+)\.(\d+)/.exec(version ?? "");
  if (!m) return !1;
  let [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || maj === major && min >= minor;
}
function commonFlags(request) {
  let args = ["--file", request.dockerfile];
  request.target && args.push("--target", request.target);
  for (let [key, value] of Object.entries(request.buildArgs)) args.push("--build-arg", `${key}=${value}`);
  for (let id of request.secrets) args.push("--secret", `id=${id},env=${id}`);
  for (let [key, value] of Object.entries(request.labels)) args.push("--label", `${key}=${value}`);
  return request.noCache && args.push("--no-cache"), request.network && args.push("--network", request.network), args;
}
function dockerBuildArgs(request, caps, output = "load") {
  if (caps.mode === "buildkit") {
    if (request.platforms.length > 1)
      throw new InputError({
        field: `images.${request.name}.platforms`,
        message: `several platforms (${request.platforms.join(", ")}) need docker buildx, and this docker has none; build one platform or use buildah`
      });
    return [
      "build",
      "--progress=plain",
      ...commonFlags(request),
      ...request.platforms.length ? ["--platform", request.platforms[0]] : [],
      ...request.pull ? ["--pull"] : [],
      ...request.tags.flatMap((t) => ["--tag", t]),
      request.context
    ];
  }
  let args = ["buildx", "build", "--progress=plain", ...commonFlags(request)];
  if (request.platforms.length && args.push("--platform", request.platforms.join(",")), request.pull && args.push("--pull"), request.cacheRepository) {
    let ref = `${request.cacheRepository}:buildcache`;
    args.push("--cache-from", `type=registry,ref=${ref}`), output !== "cache" && args.push("--cache-to", `type=registry,ref=${ref},mode=max`);
  }
  return !request.attestations && versionAtLeast(caps.buildxVersion, 0, 10) && args.push("--provenance=false", "--sbom=false"), output === "cache" ? args.push("--output", "type=cacheonly") : (args.push(...request.tags.flatMap((t) => ["--tag", t])), args.push(output === "push" ? "--push" : "--load")), args.push(request.context), args;
}
function dockerPushArgs(reference) {
  return ["push", reference];
}
function pushedDigest(output) {
  for (let line of [...output].reverse()) {
    let m = /digest: (sha256:[a-f0-9]{64})/.exec(line);
    if (m) return m[1];
  }
}
function buildahGlobalArgs(settings) {
  return [
    ...settings.root ? ["--root", settings.root] : [],
    ...settings.runroot ? ["--runroot", settings.runroot] : [],
    ...settings.storageDriver ? ["--storage-driver", settings.storageDriver] : []
  ];
}
function buildahBudArgs(request, settings) {
  if (request.platforms.length > 1)
    throw new InputError({
      field: `images.${request.name}.platforms`,
      message: `several platforms (${request.platforms.join(", ")}) are built with docker buildx only; with buildah, build one platform per image`
    });
  if (settings.isolation === "chroot" && request.network && request.network !== "host")
    throw new InputError({
      field: `images.${request.name}.network`,
      message: `buildah's chroot isolation runs steps in the host network only; "${request.network}" needs isolation oci`
    });
  let args = [
    ...buildahGlobalArgs(settings),
    "bud",
    "--isolation",
    settings.isolation,
    "--layers",
    // Without it a failed build leaves its working containers (and their mounts) behind.
    "--force-rm",
    "--format",
    settings.format,
    ...commonFlags(request)
  ];
  return request.platforms.length && args.push("--platform", request.platforms[0]), args.push(`--pull=${request.pull ? "always" : "missing"}`), request.cacheRepository && args.push("--cache-from", request.cacheRepository, "--cache-to", request.cacheRepository), args.push(...request.tags.flatMap((t) => ["--tag", t]), request.context), args;
}
function buildahPushArgs(reference, settings, opts) {
  return [
    ...buildahGlobalArgs(settings),
    "push",
    "--digestfile",
    opts.digestFile,
    ...opts.insecure ? ["--tls-verify=false"] : [],
    "--format",
    settings.format === "docker" ? "v2s2" : "oci",
    reference,
    `docker://${reference}`
  ];
}
function insecureRegistriesConf(systemConf, hosts) {
  let blocks = hosts.map((h) => `[[registry]]
location = ${JSON.stringify(h)}
insecure = true`);
  return `${[systemConf.trimEnd(), "# added by rollgate for this build", ...blocks].filter((s) => s !== "").join(`

`)}
`;
}

// src/image/builder-base-images.ts
function instructions(dockerfile) {
  let out = [], current = "";
  for (let raw of dockerfile.split(/\r?\n/)) {
    let line = raw.trimStart();
    if (!(current === "" && (line.startsWith("#") || line === ""))) {
      if (line.endsWith("\\")) {
        current += `${line.slice(0, -1)} `;
        continue;
      }
      out.push(`${current}${line}`.trim()), current = "";
    }
  }
  return current.trim() && out.push(current.trim()), out;
}
function substitute(text, vars) {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, fallback, bare) => {
    let value = vars[braced ?? bare];
    return value !== void 0 && value !== "" ? value : fallback ?? "";
  });
}
function baseImages(dockerfile, buildArgs = {}) {
  let globals = {}, stages = /* @__PURE__ */ new Set(), images = [], seenFrom = !1;
  for (let line of instructions(dockerfile)) {
    let [keyword = "", ...rest] = line.split(/\s+/), upper = keyword.toUpperCase();
    if (upper === "ARG" && !seenFrom)
      for (let decl of rest) {
        let eq = decl.indexOf("="), name = eq === -1 ? decl : decl.slice(0, eq), value = buildArgs[name] ?? (eq === -1 ? void 0 : decl.slice(eq + 1).replace(/^"(.*)"$/, "$1"));
        value !== void 0 && (globals[name] = value);
      }
    else if (upper === "FROM") {
      seenFrom = !0;
      let words = rest.filter((w) => !w.startsWith("--")), image = substitute(words[0] ?? "", globals);
      image && image !== "scratch" && !stages.has(image.toLowerCase()) && images.push(image), words[1]?.toUpperCase() === "AS" && words[2] && stages.add(words[2].toLowerCase());
    }
  }
  return images;
}
function baseImageHosts(dockerfile, buildArgs = {}) {
  let hosts = /* @__PURE__ */ new Set();
  for (let image of baseImages(dockerfile, buildArgs))
    try {
      hosts.add(parseImageRef(image).registry);
    } catch {
    }
  return [...hosts];
}

// src/image/builder.ts
function indent(lines) {
  return lines.map((l) => `    ${l}`).join(`
`);
}
var BuildFailedError = class extends Error {
  name = "BuildFailedError";
  image;
  step;
  /** The last lines of the builder's output. */
  output;
  exitCode;
  constructor(image, details) {
    let how = details.reason ?? (details.exitCode === void 0 ? "failed" : `failed (exit code ${details.exitCode})`), where = details.step ? ` at step ${details.step}` : "";
    super(`image ${image}: build ${how}${where}${details.output.length ? `
  last lines of output:
${indent(details.output)}` : ""}`), this.image = image, this.step = details.step, this.output = details.output, this.exitCode = details.exitCode;
  }
}, PushFailedError = class extends Error {
  name = "PushFailedError";
  image;
  reference;
  output;
  constructor(image, reference, output, exitCode) {
    super(
      `image ${image}: push of ${reference} failed${exitCode === void 0 ? "" : ` (exit code ${exitCode})`}${output.length ? `
  last lines of output:
${indent(output)}` : ""}`
    ), this.image = image, this.reference = reference, this.output = output;
  }
};

// src/image/builder-process.ts
import { spawn } from "node:child_process";

// src/image/build-output.ts
var BUILDKIT_VERTEX = /^#(\d+) (\[[^\]]+\] .*)$/, BUILDKIT_ERROR = /^#(\d+) ERROR:/, BUILDKIT_FAILED_SUMMARY = /^ > (\[[^\]]+\] .*):$/, BUILDAH_STEP = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: .*/, BUILDAH_ERROR = /^Error: building at STEP "(.*)": /;
var LineTail = class {
  #lines = [];
  #size;
  constructor(size = 20) {
    this.#size = size;
  }
  push(line) {
    line.trim() === "" || /^#\d+ sha256:[0-9a-f]{64}$/.test(line) || (this.#lines.push(line), this.#lines.length > this.#size && this.#lines.shift());
  }
  lines() {
    return [...this.#lines];
  }
}, StepTracker = class {
  #vertexes = /* @__PURE__ */ new Map();
  #lastStep;
  #failedStep;
  push(line) {
    let vertex = BUILDKIT_VERTEX.exec(line);
    if (vertex) {
      this.#vertexes.set(vertex[1], vertex[2]), vertex[2].startsWith("[internal]") || (this.#lastStep = vertex[2]);
      return;
    }
    let error = BUILDKIT_ERROR.exec(line);
    if (error) {
      this.#failedStep ??= this.#vertexes.get(error[1]);
      return;
    }
    let summary = BUILDKIT_FAILED_SUMMARY.exec(line);
    if (summary) {
      this.#failedStep ??= summary[1];
      return;
    }
    if (BUILDAH_STEP.test(line)) {
      this.#lastStep = line.trim();
      return;
    }
    let buildahError = BUILDAH_ERROR.exec(line);
    buildahError && this.#lastStep === void 0 && (this.#lastStep = `STEP: ${buildahError[1]}`);
  }
  /** The step that failed, or the last one that started when the builder did not say (buildah does not). */
  failedStep() {
    return this.#failedStep ?? this.#lastStep;
  }
};

// src/image/builder-process.ts
var MIN_MASKED_LENGTH = 4;
function maskSecrets(line, secrets) {
  let out = line;
  for (let s of secrets) s.length >= MIN_MASKED_LENGTH && (out = out.split(s).join("***"));
  return out;
}
function runTool(run, keepAll = !1) {
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) {
      reject(run.signal.reason ?? new Error("cancelled"));
      return;
    }
    let tail = new LineTail(run.tailLines), output = [], child = spawn(run.file, run.args, { env: run.env, cwd: run.cwd, stdio: ["ignore", "pipe", "pipe"] }), onAbort = () => child.kill("SIGTERM");
    run.signal?.addEventListener("abort", onAbort, { once: !0 });
    let lineReader = () => {
      let partial = "";
      return {
        data(chunk) {
          let lines = (partial + chunk.toString("utf8")).split(/\r?\n/);
          partial = lines.pop() ?? "";
          for (let l of lines) emit(l);
        },
        end() {
          partial && emit(partial), partial = "";
        }
      };
    }, emit = (raw) => {
      let line = maskSecrets(raw, run.mask ?? []);
      tail.push(line), keepAll && output.push(line), run.onLine?.(line);
    }, out = lineReader(), err = lineReader();
    child.stdout.on("data", out.data), child.stderr.on("data", err.data), child.on("error", (e) => {
      run.signal?.removeEventListener("abort", onAbort), reject(new Error(`could not run ${run.file}: ${e.message}`, { cause: e }));
    }), child.on("close", (code) => {
      run.signal?.removeEventListener("abort", onAbort), out.end(), err.end(), run.signal?.aborted ? reject(run.signal.reason ?? new Error("cancelled")) : resolve({ exitCode: code, tail: tail.lines(), output });
    });
  });
}
async function probe(file, args, env, timeoutMs = 15e3) {
  try {
    let result = await runTool({ file, args, env, tailLines: 5, signal: AbortSignal.timeout(timeoutMs) }, !0);
    return result.exitCode === 0 ? result.output.join(`
`).trim() : void 0;
  } catch {
    return;
  }
}
async function runBuild(request, run, log) {
  let steps = new StepTracker(), result = await runTool({
    ...run,
    mask: request.secrets.map((s) => run.env[s] ?? "").filter(Boolean),
    onLine: (line) => {
      steps.push(line), log.info(`[${request.name}] ${line}`);
    }
  });
  if (result.exitCode !== 0)
    throw new BuildFailedError(request.name, { step: steps.failedStep(), output: result.tail, exitCode: result.exitCode ?? void 0 });
}

// src/image/buildah-builder.ts
var DEFAULT_BUILDAH_SETTINGS = { isolation: "chroot", format: "docker" }, SYSTEM_REGISTRIES_CONF = "/etc/containers/registries.conf";
async function detectBuildah(env, file = "buildah") {
  let out = await probe(file, ["--version"], env);
  return out === void 0 ? void 0 : /version (\S+)/.exec(out)?.[1] ?? out;
}
var BuildahBuilder = class {
  name = "buildah";
  description;
  concurrency = 1;
  #log;
  #env;
  #registries;
  #settings;
  #file;
  constructor(options) {
    this.#log = options.logger, this.#env = options.env, this.#registries = options.registries, this.#settings = { ...DEFAULT_BUILDAH_SETTINGS, ...options.settings }, this.#file = options.file ?? "buildah", this.description = `buildah ${options.version} (${this.#settings.isolation} isolation)`;
  }
  #insecure(host) {
    return !endpointFor(host, this.#registries).verifyTls;
  }
  async build(request, signal) {
    let args = buildahBudArgs(request, this.#settings), hosts = baseImageHosts(readFileSync(request.dockerfile, "utf8"), request.buildArgs).filter((h) => this.#insecure(h)), scratch = mkdtempSync(join(tmpdir(), "rollgate-buildah-"));
    try {
      let env = this.#env;
      if (hosts.length > 0) {
        let system = this.#env.CONTAINERS_REGISTRIES_CONF ?? SYSTEM_REGISTRIES_CONF, conf = join(scratch, "registries.conf");
        writeFileSync(conf, insecureRegistriesConf(existsSync(system) ? readFileSync(system, "utf8") : "", hosts)), env = { ...env, CONTAINERS_REGISTRIES_CONF: conf };
      }
      await runBuild(request, { file: this.#file, args, env, cwd: request.context, signal }, this.#log);
    } finally {
      rmSync(scratch, { recursive: !0, force: !0 });
    }
  }
  async saveArchive(request, file, signal) {
    let reference = request.tags[0], result = await runTool({ file: this.#file, args: [...buildahGlobalArgs(this.#settings), "push", reference, `docker-archive:${file}:${reference}`], env: this.#env, ...signal ? { signal } : {} });
    if (result.exitCode !== 0) throw new Error(`image ${request.name}: buildah push ${reference} docker-archive: failed: ${result.tail.join(" ")}`);
  }
  async push(request, signal) {
    let scratch = mkdtempSync(join(tmpdir(), "rollgate-buildah-"));
    try {
      let pushed = [];
      for (let reference of request.tags) {
        let digestFile = join(scratch, "digest"), insecure = this.#insecure(parseImageRef(reference).registry), result = await runTool({
          file: this.#file,
          args: buildahPushArgs(reference, this.#settings, { digestFile, insecure }),
          env: this.#env,
          signal,
          onLine: (line) => this.#log.info(`[${request.name}] ${line}`)
        });
        if (result.exitCode !== 0) throw new PushFailedError(request.name, reference, result.tail, result.exitCode ?? void 0);
        let digest = existsSync(digestFile) ? readFileSync(digestFile, "utf8").trim() : void 0;
        rmSync(digestFile, { force: !0 }), pushed.push({ reference, ...digest ? { digest } : {} });
      }
      return pushed;
    } finally {
      rmSync(scratch, { recursive: !0, force: !0 });
    }
  }
};

// src/image/docker-builder.ts
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join as join2 } from "node:path";
function dockerCandidates(pathEnv) {
  let seen = /* @__PURE__ */ new Set(), out = [];
  for (let dir of (pathEnv ?? "").split(delimiter).filter(Boolean)) {
    let file = join2(dir, "docker");
    try {
      accessSync(file, constants.X_OK);
      let real = realpathSync(file);
      if (seen.has(real)) continue;
      seen.add(real), out.push(file);
    } catch {
    }
  }
  return out;
}
async function probeDocker(path, env) {
  let [engine, buildx, help] = await Promise.all([
    probe(path, ["version", "--format", "{{.Server.Version}}"], env),
    probe(path, ["buildx", "version"], env),
    probe(path, ["build", "--help"], { ...env, DOCKER_BUILDKIT: "1" })
  ]);
  return {
    path,
    ...engine ? { engine } : {},
    ...buildx ? { buildx: /v?(\d+\.\d+\.\d+\S*)/.exec(buildx)?.[1] ?? buildx } : {},
    classicBuildKit: help !== void 0
  };
}
function chooseDockerClient(probes) {
  let reaching = probes.filter((p) => p.engine), buildx = reaching.find((p) => p.buildx);
  if (buildx) return { client: { path: buildx.path, engine: buildx.engine, mode: "buildx", buildxVersion: buildx.buildx }, why: "buildx" };
  let classic = reaching.find((p) => p.classicBuildKit);
  return classic ? { client: { path: classic.path, engine: classic.engine, mode: "buildkit" }, why: "BuildKit without buildx" } : probes.length === 0 ? { why: "no docker client on PATH" } : reaching.length === 0 ? { why: `no Docker engine reachable (tried ${probes.map((p) => p.path).join(", ")}; is DOCKER_HOST right?)` } : {
    why: `no docker client can build with BuildKit: ${reaching.map((p) => `${p.path} has no buildx and refuses DOCKER_BUILDKIT=1`).join("; ")}`
  };
}
async function detectDocker(env) {
  let probes = await Promise.all(dockerCandidates(env.PATH).map((path) => probeDocker(path, env)));
  return chooseDockerClient(probes);
}
var DEFAULT_CONCURRENCY = 4, DockerBuilder = class {
  name = "docker";
  description;
  concurrency;
  #client;
  #log;
  #env;
  #warnedCache = !1;
  constructor(options) {
    this.#client = options.client, this.#log = options.logger, this.#env = options.client.mode === "buildkit" ? { ...options.env, DOCKER_BUILDKIT: "1" } : options.env, this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    let how = options.client.mode === "buildx" ? `buildx ${options.client.buildxVersion ?? ""}`.trim() : "BuildKit";
    this.description = `docker ${options.client.engine} (${how}, ${options.client.path})`;
  }
  async build(request, signal) {
    request.cacheRepository && this.#client.mode === "buildkit" && !this.#warnedCache && (this.#warnedCache = !0, this.#log.warn(`registry cache needs docker buildx; building ${request.name} without it`));
    let output = pushesFromBuildKit(request, this.#client) ? "cache" : "load";
    await this.#run(request, dockerBuildArgs(request, this.#client, output), signal);
  }
  async push(request, signal) {
    if (pushesFromBuildKit(request, this.#client))
      return await this.#run(request, dockerBuildArgs(request, this.#client, "push"), signal), request.tags.map((reference) => ({ reference }));
    let pushed = [];
    for (let reference of request.tags) {
      let result = await runTool({
        file: this.#client.path,
        args: dockerPushArgs(reference),
        env: this.#env,
        signal,
        onLine: (line) => this.#log.info(`[${request.name}] ${line}`)
      });
      if (result.exitCode !== 0) throw new PushFailedError(request.name, reference, result.tail, result.exitCode ?? void 0);
      pushed.push({ reference, digest: pushedDigest(result.tail) });
    }
    return pushed;
  }
  async saveArchive(request, file, signal) {
    if (pushesFromBuildKit(request, this.#client)) throw new Error(`image ${request.name}: a multi-platform buildx build stays in the build cache; it cannot be saved before the push`);
    let reference = request.tags[0], result = await runTool({ file: this.#client.path, args: ["save", "-o", file, reference], env: this.#env, ...signal ? { signal } : {} });
    if (result.exitCode !== 0) throw new Error(`image ${request.name}: docker save ${reference} failed: ${result.tail.join(" ")}`);
  }
  async #run(request, args, signal) {
    await runBuild(request, { file: this.#client.path, args, env: this.#env, cwd: request.context, signal }, this.#log);
  }
};

// src/image/builder-select.ts
var NoBuilderError = class extends Error {
  name = "NoBuilderError";
};
function chooseBuilder(kind, found) {
  let dockerOk = found.docker.client !== void 0, buildahOk = found.buildah !== void 0;
  if (kind === "docker" && !dockerOk) throw new NoBuilderError(`builder docker: ${found.docker.why}`);
  if (kind === "buildah" && !buildahOk) throw new NoBuilderError("builder buildah: buildah is not installed (or does not run)");
  if (kind !== "auto") return kind;
  if (dockerOk) return "docker";
  if (buildahOk) return "buildah";
  throw new NoBuilderError(`builder auto: no way to build images here: docker: ${found.docker.why}; buildah: not installed`);
}
async function createBuilder(kind, options) {
  let docker = kind === "buildah" ? { why: "not asked for" } : await detectDocker(options.env), wantBuildah = kind === "buildah" || kind === "auto" && !docker.client, found = { docker, buildah: wantBuildah ? await detectBuildah(options.env) : void 0 }, builder = chooseBuilder(kind, found) === "docker" ? new DockerBuilder({ client: found.docker.client, logger: options.logger, env: options.env, concurrency: options.dockerConcurrency }) : new BuildahBuilder({ version: found.buildah, logger: options.logger, env: options.env, registries: options.registries, settings: options.buildah });
  return options.logger.info(`building with ${builder.description}`), builder;
}

// src/commands/build.ts
var GIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function planBuild(input) {
  let { config, flags = {} } = input, env = input.env ?? {};
  if (!GIT_SHA.test(input.sha))
    throw new InputError({ field: "sha", message: `"${input.sha}" is not a full git commit sha (40 hex characters)` });
  let version = parseBuildVersion(input.version), created = buildTime(env, input.now), tags = renderVersionTags(config.tags, { version, sha: input.sha, date: created }), labels = ociLabels({ version: version.raw, revision: input.sha, source: input.source ?? sourceUrl(env), created });
  return config.images.map((image) => {
    let cacheRepository = flags.cacheRepository?.(image);
    return {
      name: image.name,
      repository: image.repository,
      context: image.context,
      dockerfile: image.dockerfile,
      ...image.target ? { target: image.target } : {},
      buildArgs: image.buildArgs,
      secrets: image.secrets,
      labels,
      platforms: image.platforms,
      tags: tags.map((t) => `${image.repository}:${t}`),
      pull: flags.pull ?? !1,
      noCache: flags.noCache ?? !1,
      ...image.network ?? flags.network ? { network: image.network ?? flags.network } : {},
      ...cacheRepository ? { cacheRepository } : {},
      attestations: flags.attestations ?? !1
    };
  });
}
async function build(input) {
  let env = input.env ?? process.env, images = planBuild({ ...input, env }), builder = input.builder ?? await createBuilder(input.config.builder, { logger: input.logger, env, registries: input.config.registries }), registryFor2 = input.registryFor;
  if (!registryFor2) {
    let options = { logger: input.logger, env }, oci = new OciRegistry({ ...options, registries: input.config.registries });
    registryFor2 = (repository) => registryFor(repository, input.config, { ...options, oci });
  }
  return buildImages(images, { builder, registryFor: registryFor2, logger: input.logger, env, signal: input.signal });
}

export {
  createBuilder,
  planBuild,
  build
};
