// The Registry seam for Google Artifact Registry (`LOCATION-docker.pkg.dev`). Manifests are read through the
// Docker registry API (the OCI client); tags move through the Artifact Registry API, which can point a tag at a
// version, and delete a tag alone, without touching any manifest.
import type { RegistrySettings } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { isValidTag } from '../image/ref.ts';
import type { Logger } from '../log.ts';
import { connectTagApi, GrpcCode, GarApiError, type Env, type TagApi } from './gar-api.ts';
import {
  digestOfVersion, packageName, parseGarImage, repositoryName, tagIdOf, tagName, versionName, type GarImage,
} from './gar-names.ts';
import type { BlobContent, Manifest, ManifestDescriptor, Registry, RevertResult } from './types.ts';

export interface GarRegistryOptions {
  /** `Config.registries[host]`: `endpoint` reaches the Docker API, `apiEndpoint` the Artifact Registry API. */
  settings?: Partial<RegistrySettings>;
  logger: Logger;
  /** The OCI Distribution client for this host: resolves tags and digests (HEAD with every manifest type). */
  oci: Registry;
  /** Where an access token may be found (CLOUDSDK_AUTH_ACCESS_TOKEN, GOOGLE_OAUTH_ACCESS_TOKEN); default process.env. */
  env?: Env;
  /** The API seam; by default the client library, loaded at first use. */
  connect?: () => Promise<TagApi>;
}

export function createGarRegistry(options: GarRegistryOptions): Registry {
  return new GarRegistry(options);
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

class GarRegistry implements Registry {
  readonly #oci: Registry;
  readonly #logger: Logger;
  readonly #connect: () => Promise<TagApi>;
  #api: Promise<TagApi> | undefined;
  /** Repository checks by resource name: a run moves several tags in one repository, one lookup is enough. */
  readonly #checked = new Map<string, Promise<void>>();

  constructor(options: GarRegistryOptions) {
    this.#oci = options.oci;
    this.#logger = options.logger;
    this.#connect = options.connect ?? (() => connectTagApi(options.settings ?? {}, options.env ?? process.env, options.logger));
  }

  resolve(repository: string, reference: string): Promise<ManifestDescriptor | undefined> {
    return this.#oci.resolve(repository, reference);
  }

  getManifest(repository: string, reference: string): Promise<Manifest> {
    return this.#oci.getManifest(repository, reference);
  }

  getBlob(repository: string, digest: string): Promise<BlobContent> {
    return this.#oci.getBlob(repository, digest);
  }

  async moveTag(repository: string, tag: string, digest: string): Promise<void> {
    const image = imageOf(repository);
    checkTagAndDigest(repository, tag, digest);
    const api = await this.#tagApi();
    await this.#assertTagsCanMove(api, image);
    const name = tagName(image, tag);
    const version = versionName(image, digest);
    const currentVersion = await api.getTag(name);
    const current = currentVersion === undefined ? undefined : digestOfVersion(currentVersion);
    if (current === digest) {
      this.#logger.debug(`${repository}:${tag} already points at ${digest}`);
      return;
    }
    const create = () => api.createTag(packageName(image), tag, version);
    const update = () => api.updateTag(name, version);
    try {
      // Someone may create or delete the tag between our read and our write (or a retried create may find its
      // own first attempt): then the other call is the right one.
      await (current === undefined ? create() : update()).catch((err: unknown) => {
        const code = (err as GarApiError).code;
        if (current === undefined && code === GrpcCode.ALREADY_EXISTS) return update();
        if (current !== undefined && code === GrpcCode.NOT_FOUND) return create();
        throw err;
      });
    } catch (err) {
      throw explainMoveFailure(err, repository, tag, digest);
    }
    this.#logger.info(`${repository}:${tag} -> ${digest}${current ? ` (was ${current})` : ' (new tag)'}`);
  }

  async revertTag(repository: string, tag: string, expected: string, previous: string | undefined): Promise<RevertResult> {
    const image = imageOf(repository);
    checkTagAndDigest(repository, tag, expected);
    if (previous !== undefined && !DIGEST.test(previous)) throw new InputError(`"${previous}" is not a sha256 digest`);
    const api = await this.#tagApi();
    const name = tagName(image, tag);
    const currentVersion = await api.getTag(name);
    const current = currentVersion === undefined ? undefined : digestOfVersion(currentVersion);
    if (current !== expected) {
      this.#logger.warn(`${repository}:${tag} now points at ${current ?? 'nothing'}, not at ${expected} which this run set: left alone`);
      return { status: 'moved-by-someone-else', current };
    }
    // Between the read and the write someone could still move the tag; the API has no conditional update (no
    // etag on tags), so this window is as small as two requests make it.
    try {
      if (previous === undefined) await api.deleteTag(name);
      else await api.updateTag(name, versionName(image, previous));
    } catch (err) {
      const hint = (err as GarApiError).code === GrpcCode.NOT_FOUND ? ' (was the previous image deleted, or the tag?)' : '';
      throw new Error(`cannot put ${repository}:${tag} back on ${previous ?? '(no tag)'}: ${(err as Error).message}${hint}`, { cause: err });
    }
    const confirmed = (await this.#oci.resolve(repository, tag))?.digest;
    if (confirmed !== previous) {
      throw new Error(
        `reverting ${repository}:${tag} to ${previous ?? '(no tag)'} was not confirmed: the Docker API answers ` +
          `${confirmed ?? 'no such tag'}`,
      );
    }
    this.#logger.info(`${repository}:${tag} ${previous ? `back at ${previous}` : 'removed (it did not exist before)'}`);
    return previous === undefined ? { status: 'deleted' } : { status: 'restored', digest: previous };
  }

  async listTags(repository: string): Promise<string[]> {
    const image = imageOf(repository);
    const api = await this.#tagApi();
    return (await api.listTags(packageName(image))).map(tagIdOf);
  }

  #tagApi(): Promise<TagApi> {
    this.#api ??= this.#connect().catch((err: unknown) => {
      this.#api = undefined;
      throw err;
    });
    return this.#api;
  }

  #assertTagsCanMove(api: TagApi, image: GarImage): Promise<void> {
    const name = repositoryName(image);
    let check = this.#checked.get(name);
    if (!check) {
      check = checkRepository(api, image, name);
      this.#checked.set(name, check);
      check.catch(() => this.#checked.delete(name));
    }
    return check;
  }
}

async function checkRepository(api: TagApi, image: GarImage, name: string): Promise<void> {
  const where = `${image.host}/${image.project.replace(':', '/')}/${image.repository}`;
  const repo = await api.getRepository(name);
  if (!repo) throw new InputError(`Artifact Registry repository ${where} (${name}) does not exist`);
  if (repo.format !== 'DOCKER') {
    throw new InputError(`Artifact Registry repository ${where} holds ${repo.format} packages, not Docker images`);
  }
  if (repo.immutableTags) {
    throw new InputError(
      `Artifact Registry repository ${where} has immutable tags: a target tag could be set but never moved back. ` +
        'Turn immutable tags off for this repository, or push to one without them.',
    );
  }
}

function imageOf(repository: string): GarImage {
  try {
    return parseGarImage(repository);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

function checkTagAndDigest(repository: string, tag: string, digest: string): void {
  if (!isValidTag(tag)) throw new InputError(`${repository}: "${tag}" is not a valid tag`);
  if (!DIGEST.test(digest)) throw new InputError(`${repository}: "${digest}" is not a sha256 digest`);
}

function explainMoveFailure(err: unknown, repository: string, tag: string, digest: string): unknown {
  if (err instanceof GarApiError && err.code === GrpcCode.NOT_FOUND) {
    return new Error(`cannot point ${repository}:${tag} at ${digest}: no such image in the repository (push it first)`, { cause: err });
  }
  return err;
}
