// The typed Config every command works from. rollgate.yml and the action's inputs both become this, once.
// (Sketch by the skeleton; the config module owns it and may refine it.)

export type BuilderKind = 'auto' | 'docker' | 'buildah';
export type TagPolicy = 'before-verify' | 'after-verify';

export interface ImageConfig {
  /** Key in `images:`; names the image in logs and results. */
  name: string;
  /** Fully qualified repository, no tag or digest: `us-docker.pkg.dev/acme/apps/invoice`. */
  repository: string;
  /** Absolute path of the build context. */
  context: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** Names of build secrets; values come from environment variables of the same name, never from the file. */
  secrets: string[];
  platforms: string[];
}

export interface RegistrySettings {
  /**
   * Plain HTTP / no TLS verification. Loopback registries are always treated as insecure; everything else
   * must be listed to get this.
   */
  insecure: boolean;
  /**
   * Where to reach this registry's Distribution API instead of https://<host> (a mirror, a private endpoint;
   * like containerd's hosts.toml `server`). Image references keep naming the host.
   */
  endpoint?: string;
  /** Artifact Registry API base URL for `*-docker.pkg.dev` hosts; default https://artifactregistry.googleapis.com. */
  apiEndpoint?: string;
}

export interface RolloutConfig {
  timeoutMs: number;
  allowRestarts: number;
  unschedulableWindowMs: number;
  pullErrorBudget: number;
  lockTimeoutMs: number;
}

export interface EnvironmentConfig {
  name: string;
  targetTag: string;
  namespace: string;
  kubeContext?: string;
  apiServer?: string;
  /** Absolute paths: the top-level manifests plus the environment's own. */
  manifests: string[];
}

export interface Config {
  /** Absolute path of rollgate.yml; paths in it are relative to its folder. */
  file: string;
  images: ImageConfig[];
  /** Version tag templates, e.g. `{version}`, `{major}.{minor}`. */
  tags: string[];
  environments: Record<string, EnvironmentConfig>;
  rollout: RolloutConfig;
  builder: BuilderKind;
  tagPolicy: TagPolicy;
  /** Per-registry settings, keyed by the registry host as written in image references (host[:port]). */
  registries: Record<string, RegistrySettings>;
  /** Smoke scenario, typed by src/smoke when that lands; kept as validated plain data until then. */
  smoke?: unknown;
}
