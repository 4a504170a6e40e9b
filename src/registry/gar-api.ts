// The slice of the Artifact Registry API that tag moves need, over @google-cloud/artifact-registry in REST mode.
// The client library (and gax, gRPC, protobuf with it) is imported on first use only: a CLI that never touches GAR
// never loads it.
import type { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import type { RegistrySettings } from '../config/types.ts';
import type { Logger } from '../log.ts';

export interface GarRepositoryInfo {
  name: string;
  /** `DOCKER`, `MAVEN`, ... */
  format: string;
  immutableTags: boolean;
}

/** Resource names in, plain data out; `undefined` where the API answers NOT_FOUND. */
export interface TagApi {
  getRepository(name: string): Promise<GarRepositoryInfo | undefined>;
  /** The version name the tag points at. */
  getTag(name: string): Promise<string | undefined>;
  createTag(parent: string, tagId: string, version: string): Promise<void>;
  updateTag(name: string, version: string): Promise<void>;
  /** False when there was no such tag. */
  deleteTag(name: string): Promise<boolean>;
  /** Tag resource names of a package; empty when the package does not exist. */
  listTags(parent: string): Promise<string[]>;
  close(): Promise<void>;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** gRPC status codes the REST transport maps Google's JSON errors to. */
export const GrpcCode = { NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9 } as const;

/** Where `google-github-actions/auth` and gcloud users leave a ready access token. */
export const ACCESS_TOKEN_VARIABLES = ['CLOUDSDK_AUTH_ACCESS_TOKEN', 'GOOGLE_OAUTH_ACCESS_TOKEN'] as const;

export const DEFAULT_API_ENDPOINT = 'https://artifactregistry.googleapis.com';

export interface ApiTarget {
  protocol: 'http' | 'https';
  host: string;
  port: number;
}

/** `apiEndpoint` is a base URL; gax wants host, port and protocol apart, and cannot serve a path prefix. */
export function apiTarget(apiEndpoint: string = DEFAULT_API_ENDPOINT): ApiTarget {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(apiEndpoint) ? apiEndpoint : `https://${apiEndpoint}`);
  } catch {
    throw new Error(`apiEndpoint "${apiEndpoint}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`apiEndpoint "${apiEndpoint}" must be an http(s) URL`);
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`apiEndpoint "${apiEndpoint}" must be a base URL without a path`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  // An IPv6 host keeps its brackets: gax joins host and port into the URL as they are.
  return { protocol, host: url.hostname, port: Number(url.port) || (protocol === 'http' ? 80 : 443) };
}

// The library configures no retries for these methods. A transient failure (a 503 from the front end, 429, a
// reset connection) is retried with back-off, bounded so a deploy never hangs on it.
const SERVICE = 'google.devtools.artifactregistry.v1.ArtifactRegistry';
const RETRIED_METHODS = ['GetRepository', 'GetTag', 'CreateTag', 'UpdateTag', 'DeleteTag', 'ListTags'];
const CLIENT_CONFIG = {
  interfaces: {
    [SERVICE]: {
      retry_codes: { transient: ['UNAVAILABLE', 'RESOURCE_EXHAUSTED', 'DEADLINE_EXCEEDED'] },
      retry_params: {
        bounded: {
          initial_retry_delay_millis: 250,
          retry_delay_multiplier: 2,
          max_retry_delay_millis: 4_000,
          initial_rpc_timeout_millis: 20_000,
          rpc_timeout_multiplier: 1,
          max_rpc_timeout_millis: 20_000,
          total_timeout_millis: 30_000,
        },
      },
      methods: Object.fromEntries(
        RETRIED_METHODS.map((m) => [m, { timeout_millis: 20_000, retry_codes_name: 'transient', retry_params_name: 'bounded' }]),
      ),
    },
  },
};

export async function connectTagApi(settings: Partial<RegistrySettings>, env: Env, logger: Logger): Promise<TagApi> {
  const target = apiTarget(settings.apiEndpoint);
  // Both are CommonJS. `default` is their module.exports under Node and in esbuild chunks alike (esbuild gives a
  // dynamically imported CommonJS chunk no named exports).
  const [library, gaxModule] = await Promise.all([import('@google-cloud/artifact-registry'), import('google-gax')]);
  const { ArtifactRegistryClient } = library.default;
  const gax = gaxModule.default;
  const tokenVariable = ACCESS_TOKEN_VARIABLES.find((v) => env[v]);
  let authClient;
  if (tokenVariable) {
    logger.debug(`Artifact Registry: using the access token from ${tokenVariable}`);
    authClient = new gax.googleAuthLibrary.OAuth2Client();
    authClient.setCredentials({ access_token: env[tokenVariable] });
  } else {
    logger.debug('Artifact Registry: using Application Default Credentials');
  }
  const client = new ArtifactRegistryClient({
    fallback: true,
    apiEndpoint: target.host,
    port: target.port,
    protocol: target.protocol,
    clientConfig: CLIENT_CONFIG,
    ...(authClient ? { authClient } : {}),
  });
  return new ClientTagApi(client);
}

class ClientTagApi implements TagApi {
  readonly #client: ArtifactRegistryClient;

  constructor(client: ArtifactRegistryClient) {
    this.#client = client;
  }

  async getRepository(name: string): Promise<GarRepositoryInfo | undefined> {
    const repo = await orUndefined(call('getRepository', name, () => this.#client.getRepository({ name })));
    if (!repo) return undefined;
    return { name, format: String(repo[0].format ?? 'FORMAT_UNSPECIFIED'), immutableTags: repo[0].dockerConfig?.immutableTags === true };
  }

  async getTag(name: string): Promise<string | undefined> {
    const tag = await orUndefined(call('getTag', name, () => this.#client.getTag({ name })));
    return tag?.[0].version ?? undefined;
  }

  async createTag(parent: string, tagId: string, version: string): Promise<void> {
    const name = `${parent}/tags/${encodeURIComponent(tagId)}`;
    await call('createTag', name, () => this.#client.createTag({ parent, tagId, tag: { name, version } }));
  }

  async updateTag(name: string, version: string): Promise<void> {
    await call('updateTag', name, () => this.#client.updateTag({ tag: { name, version }, updateMask: { paths: ['version'] } }));
  }

  async deleteTag(name: string): Promise<boolean> {
    return (await orUndefined(call('deleteTag', name, () => this.#client.deleteTag({ name })))) !== undefined;
  }

  async listTags(parent: string): Promise<string[]> {
    const tags = await orUndefined(call('listTags', parent, () => this.#client.listTags({ parent })));
    return (tags?.[0] ?? []).map((t) => t.name ?? '').filter(Boolean);
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}

async function call<T>(method: string, resource: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw new GarApiError(method, resource, err);
  }
}

async function orUndefined<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof GarApiError && err.code === GrpcCode.NOT_FOUND) return undefined;
    throw err;
  }
}

export function grpcCodeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A failed API call, naming the method and resource; `code` is the gRPC status code. */
export class GarApiError extends Error {
  override name = 'GarApiError';
  readonly code: number | undefined;
  constructor(method: string, resource: string, cause: unknown) {
    super(`Artifact Registry ${method} ${resource}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.code = grpcCodeOf(cause);
  }
}
