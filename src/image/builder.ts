// The Builder seam: what rollgate asks of an image builder. Docker (buildx, or the engine's BuildKit) and buildah
// implement it; everything above (several images, build-all-then-push, digest checks) is written against this.

export type BuilderName = 'docker' | 'buildah';

/** One image to build, with everything the tools need; made from the Config by src/commands. */
export interface BuildRequest {
  /** The image's key in `images:`; names it in logs and errors. */
  name: string;
  /** Absolute path of the build context. */
  context: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** Environment variable names; each is a build secret of the same id. Values never reach a command line. */
  secrets: string[];
  labels: Record<string, string>;
  /** `os/arch[/variant]`. */
  platforms: string[];
  /** Fully qualified `repository:tag` references to push. */
  tags: string[];
  /** Always look for a newer base image. */
  pull: boolean;
  noCache: boolean;
  /** Network for RUN steps (`host`, `none`, ...); the builder's default when unset. */
  network?: string;
  /** A repository (no tag) for registry layer cache, where the builder supports it. */
  cacheRepository?: string;
  /**
   * Let buildx attach provenance/SBOM attestations, which turns even a single-platform image into an index.
   * Off unless asked for, so the pushed digest is a plain image manifest.
   */
  attestations: boolean;
}

export interface PushedTag {
  /** `repository:tag` */
  reference: string;
  /** The digest the tool reported for the push, when it reports one; the registry has the last word. */
  digest?: string;
}

export interface Builder {
  readonly name: BuilderName;
  /** Which tool and version builds, for logs and summaries: `docker 20.10.24 (BuildKit)`. */
  readonly description: string;
  /** How many images it builds at once. */
  readonly concurrency: number;
  /** Builds without pushing anything. Throws BuildFailedError. */
  build(request: BuildRequest, signal?: AbortSignal): Promise<void>;
  /** Pushes every tag of a request that `build` finished. Throws PushFailedError. */
  push(request: BuildRequest, signal?: AbortSignal): Promise<PushedTag[]>;
  /**
   * Writes the image `build` finished (its first tag, one platform) to `file` as a docker-archive, without pushing:
   * the nightly rebuild reads its packages there and pushes only when they changed. Undefined where the image
   * never leaves the builder's cache (buildx multi-platform builds).
   */
  saveArchive?(request: BuildRequest, file: string, signal?: AbortSignal): Promise<void>;
}

function indent(lines: readonly string[]): string {
  return lines.map((l) => `    ${l}`).join('\n');
}

/** A build that did not finish; names the Dockerfile step when the builder's output says which. */
export class BuildFailedError extends Error {
  override name = 'BuildFailedError';
  readonly image: string;
  readonly step: string | undefined;
  /** The last lines of the builder's output. */
  readonly output: string[];
  readonly exitCode: number | undefined;

  constructor(image: string, details: { step?: string; output: string[]; exitCode?: number; reason?: string }) {
    const how = details.reason ?? (details.exitCode === undefined ? 'failed' : `failed (exit code ${details.exitCode})`);
    const where = details.step ? ` at step ${details.step}` : '';
    super(`image ${image}: build ${how}${where}${details.output.length ? `\n  last lines of output:\n${indent(details.output)}` : ''}`);
    this.image = image;
    this.step = details.step;
    this.output = details.output;
    this.exitCode = details.exitCode;
  }
}

export class PushFailedError extends Error {
  override name = 'PushFailedError';
  readonly image: string;
  readonly reference: string;
  readonly output: string[];

  constructor(image: string, reference: string, output: string[], exitCode?: number) {
    super(
      `image ${image}: push of ${reference} failed${exitCode === undefined ? '' : ` (exit code ${exitCode})`}` +
        `${output.length ? `\n  last lines of output:\n${indent(output)}` : ''}`,
    );
    this.image = image;
    this.reference = reference;
    this.output = output;
  }
}
