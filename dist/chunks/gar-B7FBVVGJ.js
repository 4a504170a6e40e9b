import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  isValidTag
} from "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/registry/gar-api.ts
var GrpcCode = { NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9 }, ACCESS_TOKEN_VARIABLES = ["CLOUDSDK_AUTH_ACCESS_TOKEN", "GOOGLE_OAUTH_ACCESS_TOKEN"], DEFAULT_API_ENDPOINT = "https://artifactregistry.googleapis.com";
function apiTarget(apiEndpoint = DEFAULT_API_ENDPOINT) {
  let url;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(apiEndpoint) ? apiEndpoint : `https://${apiEndpoint}`);
  } catch {
    throw new Error(`apiEndpoint "${apiEndpoint}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`apiEndpoint "${apiEndpoint}" must be an http(s) URL`);
  if (url.pathname !== "/" || url.search || url.hash)
    throw new Error(`apiEndpoint "${apiEndpoint}" must be a base URL without a path`);
  let protocol = url.protocol === "http:" ? "http" : "https";
  return { protocol, host: url.hostname, port: Number(url.port) || (protocol === "http" ? 80 : 443) };
}
var SERVICE = "google.devtools.artifactregistry.v1.ArtifactRegistry", RETRIED_METHODS = ["GetRepository", "GetTag", "CreateTag", "UpdateTag", "DeleteTag", "ListTags"], CLIENT_CONFIG = {
  interfaces: {
    [SERVICE]: {
      retry_codes: { transient: ["UNAVAILABLE", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED"] },
      retry_params: {
        bounded: {
          initial_retry_delay_millis: 250,
          retry_delay_multiplier: 2,
          max_retry_delay_millis: 4e3,
          initial_rpc_timeout_millis: 2e4,
          rpc_timeout_multiplier: 1,
          max_rpc_timeout_millis: 2e4,
          total_timeout_millis: 3e4
        }
      },
      methods: Object.fromEntries(
        RETRIED_METHODS.map((m) => [m, { timeout_millis: 2e4, retry_codes_name: "transient", retry_params_name: "bounded" }])
      )
    }
  }
};
async function connectTagApi(settings, env, logger) {
  let target = apiTarget(settings.apiEndpoint), [library, gaxModule] = await Promise.all([import("./src-LW56QWOX.js"), import("./src-PYS2B4VG.js")]), { ArtifactRegistryClient } = library.default, gax = gaxModule.default, tokenVariable = ACCESS_TOKEN_VARIABLES.find((v) => env[v]), authClient;
  tokenVariable ? (logger.debug(`Artifact Registry: using the access token from ${tokenVariable}`), authClient = new gax.googleAuthLibrary.OAuth2Client(), authClient.setCredentials({ access_token: env[tokenVariable] })) : logger.debug("Artifact Registry: using Application Default Credentials");
  let client = new ArtifactRegistryClient({
    fallback: !0,
    apiEndpoint: target.host,
    port: target.port,
    protocol: target.protocol,
    clientConfig: CLIENT_CONFIG,
    ...authClient ? { authClient } : {}
  });
  return new ClientTagApi(client);
}
var ClientTagApi = class {
  #client;
  constructor(client) {
    this.#client = client;
  }
  async getRepository(name) {
    let repo = await orUndefined(call("getRepository", name, () => this.#client.getRepository({ name })));
    if (repo)
      return { name, format: String(repo[0].format ?? "FORMAT_UNSPECIFIED"), immutableTags: repo[0].dockerConfig?.immutableTags === !0 };
  }
  async getTag(name) {
    return (await orUndefined(call("getTag", name, () => this.#client.getTag({ name }))))?.[0].version ?? void 0;
  }
  async createTag(parent, tagId, version) {
    let name = `${parent}/tags/${encodeURIComponent(tagId)}`;
    await call("createTag", name, () => this.#client.createTag({ parent, tagId, tag: { name, version } }));
  }
  async updateTag(name, version) {
    await call("updateTag", name, () => this.#client.updateTag({ tag: { name, version }, updateMask: { paths: ["version"] } }));
  }
  async deleteTag(name) {
    return await orUndefined(call("deleteTag", name, () => this.#client.deleteTag({ name }))) !== void 0;
  }
  async listTags(parent) {
    return ((await orUndefined(call("listTags", parent, () => this.#client.listTags({ parent }))))?.[0] ?? []).map((t) => t.name ?? "").filter(Boolean);
  }
  close() {
    return this.#client.close();
  }
};
async function call(method, resource, op) {
  try {
    return await op();
  } catch (err) {
    throw new GarApiError(method, resource, err);
  }
}
async function orUndefined(pending) {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof GarApiError && err.code === GrpcCode.NOT_FOUND) return;
    throw err;
  }
}
function grpcCodeOf(err) {
  let code = err?.code;
  return typeof code == "number" ? code : void 0;
}
var GarApiError = class extends Error {
  name = "GarApiError";
  code;
  constructor(method, resource, cause) {
    super(`Artifact Registry ${method} ${resource}: ${cause?.message ?? String(cause)}`, { cause }), this.code = grpcCodeOf(cause);
  }
};

// src/registry/gar-names.ts
var HOST = /^([a-z][a-z0-9-]*[a-z0-9])-docker\.pkg\.dev$/, COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/, DIGEST = /^sha256:[a-f0-9]{64}$/;
function parseGarImage(repository) {
  let [host = "", ...components] = repository.split("/"), location = HOST.exec(host)?.[1];
  if (!location)
    throw new Error(`"${repository}" is not an Artifact Registry image: the host must be LOCATION-docker.pkg.dev`);
  let bad = components.find((c) => !COMPONENT.test(c));
  if (bad !== void 0)
    throw new Error(`"${repository}": "${bad}" is not a valid path component (lowercase letters, digits, . _ -)`);
  let projectParts = components[0]?.includes(".") ? 2 : 1, project = components.slice(0, projectParts).join(":"), [repo, ...image] = components.slice(projectParts);
  if (!project || !repo || image.length === 0)
    throw new Error(`"${repository}" must name LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE`);
  return { host, location, project, repository: repo, image: image.join("/") };
}
function repositoryName(img) {
  return `projects/${img.project}/locations/${img.location}/repositories/${img.repository}`;
}
function packageName(img) {
  return `${repositoryName(img)}/packages/${encodeURIComponent(img.image)}`;
}
function tagName(img, tag) {
  return `${packageName(img)}/tags/${encodeURIComponent(tag)}`;
}
function versionName(img, digest) {
  if (!DIGEST.test(digest)) throw new Error(`"${digest}" is not a sha256 digest (sha256:<64 hex>)`);
  return `${packageName(img)}/versions/${digest}`;
}
function tagIdOf(name) {
  return decodeURIComponent(name.slice(name.lastIndexOf("/tags/") + 6));
}
function digestOfVersion(name) {
  let id = decodeURIComponent(name.slice(name.lastIndexOf("/versions/") + 10));
  if (!name.includes("/versions/") || !DIGEST.test(id))
    throw new Error(`Artifact Registry returned a version that is not a manifest digest: "${name}"`);
  return id;
}

// src/registry/gar.ts
function createGarRegistry(options) {
  return new GarRegistry(options);
}
var DIGEST2 = /^sha256:[a-f0-9]{64}$/, GarRegistry = class {
  #oci;
  #logger;
  #connect;
  #api;
  /** Repository checks by resource name: a run moves several tags in one repository, one lookup is enough. */
  #checked = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#oci = options.oci, this.#logger = options.logger, this.#connect = options.connect ?? (() => connectTagApi(options.settings ?? {}, options.env ?? process.env, options.logger));
  }
  resolve(repository, reference) {
    return this.#oci.resolve(repository, reference);
  }
  getManifest(repository, reference) {
    return this.#oci.getManifest(repository, reference);
  }
  getBlob(repository, digest) {
    return this.#oci.getBlob(repository, digest);
  }
  async moveTag(repository, tag, digest) {
    let image = imageOf(repository);
    checkTagAndDigest(repository, tag, digest);
    let api = await this.#tagApi();
    await this.#assertTagsCanMove(api, image);
    let name = tagName(image, tag), version = versionName(image, digest), currentVersion = await api.getTag(name), current = currentVersion === void 0 ? void 0 : digestOfVersion(currentVersion);
    if (current === digest) {
      this.#logger.debug(`${repository}:${tag} already points at ${digest}`);
      return;
    }
    let create = () => api.createTag(packageName(image), tag, version), update = () => api.updateTag(name, version);
    try {
      await (current === void 0 ? create() : update()).catch((err) => {
        let code = err.code;
        if (current === void 0 && code === GrpcCode.ALREADY_EXISTS) return update();
        if (current !== void 0 && code === GrpcCode.NOT_FOUND) return create();
        throw err;
      });
    } catch (err) {
      throw explainMoveFailure(err, repository, tag, digest);
    }
    this.#logger.info(`${repository}:${tag} -> ${digest}${current ? ` (was ${current})` : " (new tag)"}`);
  }
  async revertTag(repository, tag, expected, previous) {
    let image = imageOf(repository);
    if (checkTagAndDigest(repository, tag, expected), previous !== void 0 && !DIGEST2.test(previous)) throw new InputError(`"${previous}" is not a sha256 digest`);
    let api = await this.#tagApi(), name = tagName(image, tag), currentVersion = await api.getTag(name), current = currentVersion === void 0 ? void 0 : digestOfVersion(currentVersion);
    if (current !== expected)
      return this.#logger.warn(`${repository}:${tag} now points at ${current ?? "nothing"}, not at ${expected} which this run set: left alone`), { status: "moved-by-someone-else", current };
    try {
      previous === void 0 ? await api.deleteTag(name) : await api.updateTag(name, versionName(image, previous));
    } catch (err) {
      let hint = err.code === GrpcCode.NOT_FOUND ? " (was the previous image deleted, or the tag?)" : "";
      throw new Error(`cannot put ${repository}:${tag} back on ${previous ?? "(no tag)"}: ${err.message}${hint}`, { cause: err });
    }
    let confirmed = (await this.#oci.resolve(repository, tag))?.digest;
    if (confirmed !== previous)
      throw new Error(
        `reverting ${repository}:${tag} to ${previous ?? "(no tag)"} was not confirmed: the Docker API answers ${confirmed ?? "no such tag"}`
      );
    return this.#logger.info(`${repository}:${tag} ${previous ? `back at ${previous}` : "removed (it did not exist before)"}`), previous === void 0 ? { status: "deleted" } : { status: "restored", digest: previous };
  }
  async listTags(repository) {
    let image = imageOf(repository);
    return (await (await this.#tagApi()).listTags(packageName(image))).map(tagIdOf);
  }
  #tagApi() {
    return this.#api ??= this.#connect().catch((err) => {
      throw this.#api = void 0, err;
    }), this.#api;
  }
  #assertTagsCanMove(api, image) {
    let name = repositoryName(image), check = this.#checked.get(name);
    return check || (check = checkRepository(api, image, name), this.#checked.set(name, check), check.catch(() => this.#checked.delete(name))), check;
  }
};
async function checkRepository(api, image, name) {
  let where = `${image.host}/${image.project.replace(":", "/")}/${image.repository}`, repo = await api.getRepository(name);
  if (!repo) throw new InputError(`Artifact Registry repository ${where} (${name}) does not exist`);
  if (repo.format !== "DOCKER")
    throw new InputError(`Artifact Registry repository ${where} holds ${repo.format} packages, not Docker images`);
  if (repo.immutableTags)
    throw new InputError(
      `Artifact Registry repository ${where} has immutable tags: a target tag could be set but never moved back. Turn immutable tags off for this repository, or push to one without them.`
    );
}
function imageOf(repository) {
  try {
    return parseGarImage(repository);
  } catch (err) {
    throw new InputError(err.message);
  }
}
function checkTagAndDigest(repository, tag, digest) {
  if (!isValidTag(tag)) throw new InputError(`${repository}: "${tag}" is not a valid tag`);
  if (!DIGEST2.test(digest)) throw new InputError(`${repository}: "${digest}" is not a sha256 digest`);
}
function explainMoveFailure(err, repository, tag, digest) {
  return err instanceof GarApiError && err.code === GrpcCode.NOT_FOUND ? new Error(`cannot point ${repository}:${tag} at ${digest}: no such image in the repository (push it first)`, { cause: err }) : err;
}
export {
  createGarRegistry
};
