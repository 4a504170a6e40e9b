// The typed Config every command works from. rollgate.yml and the action's inputs both become this, once
// (src/config/load.ts). Durations are milliseconds, paths are absolute, `${...}` is already interpolated.
import type { SmokeSpec } from './smoke-schema.ts';

export type { SmokeSpec } from './smoke-schema.ts';

export type BuilderKind = 'auto' | 'docker' | 'buildah';
export type TagPolicy = 'before-verify' | 'after-verify';

export interface ImageConfig {
  /** Key in `images:`; names the image in logs and results. */
  name: string;
  /** Fully qualified repository, no tag or digest: `us-docker.pkg.dev/acme/apps/invoice`. */
  repository: string;
  /** Absolute path of the build context. */
  context: string;
  /** Absolute path of the Dockerfile (default: `Dockerfile` inside the context). */
  dockerfile: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** Names of build secrets; values come from environment variables of the same name, never from the file. */
  secrets: string[];
  /** `os/arch[/variant]`; default [linux/amd64]. */
  platforms: string[];
  /** Network for RUN steps (`host` lets `apt-get` reach a mirror where no bridge exists); the builder's default when absent. */
  network?: 'host' | 'none';
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
  /** Backstop for the whole rollout (`timeout`, default 5m). */
  timeoutMs: number;
  /** Container restarts tolerated before a crash loop is fatal (default 0). */
  allowRestarts: number;
  /** How long a pod may stay Unschedulable (default 15s). */
  unschedulableWindowMs: number;
  /** Transient image pull errors (429, timeouts) tolerated per pod (default 3). */
  pullErrorBudget: number;
  /** How long to wait for the environment's lock before refusing (default 10m). */
  lockTimeoutMs: number;
}

export interface EnvironmentConfig {
  name: string;
  /** The tag manifests name and the deploy moves (default: the environment's name). */
  targetTag: string;
  namespace: string;
  /** The kubeconfig context this environment must be deployed through (the cluster guard). */
  kubeContext?: string;
  /** The API server URL the context must point at (the cluster guard). */
  apiServer?: string;
  /** Absolute paths: the top-level manifests plus the environment's own, in that order. */
  manifests: string[];
  /** The top-level `rollout` with the environment's own `rollout` keys on top. */
  rollout: RolloutConfig;
  /** The top-level `smoke` with the environment's own `smoke` keys on top; absent when neither has one. */
  smoke?: SmokeSpec;
}

export interface Config {
  /** Absolute path of rollgate.yml; paths in it are relative to its folder. */
  file: string;
  images: ImageConfig[];
  /** Version tag templates, e.g. `{version}`, `{major}.{minor}`. */
  tags: string[];
  /**
   * The environments this Config was resolved for: the one named by --env, the ones asked for (promote),
   * or every environment of the file when none was named. `${env}` inside each is that environment's name.
   */
  environments: Record<string, EnvironmentConfig>;
  /**
   * The rollout settings of the selected environment when exactly one was selected; otherwise the file's
   * top-level `rollout` (environments[name].rollout has each environment's own).
   */
  rollout: RolloutConfig;
  builder: BuilderKind;
  tagPolicy: TagPolicy;
  /** Per-registry settings, keyed by the registry host as written in image references (host[:port]). */
  registries: Record<string, RegistrySettings>;
  /** Like `rollout`: the selected environment's smoke spec, or the top-level one when several are selected. */
  smoke?: SmokeSpec;
}

/** Settings given outside the file (action inputs, CLI flags) that take precedence over it. */
export interface ConfigOverrides {
  /**
   * The kubeconfig context to deploy through. Fills in environments without `kubeContext`; an environment that
   * names a different one is an input error (the file is the guard against deploying to the wrong cluster).
   */
  kubeContext?: string;
  builder?: BuilderKind;
  tagPolicy?: TagPolicy;
  rolloutTimeoutMs?: number;
}
