// Reading a builder's progress output as it streams: which Dockerfile step ran last (and which one failed), and
// the last lines to show a person when it did. BuildKit's plain progress numbers its vertexes (`#7 [build 2/3]
// RUN make`, later `#7 ERROR: ...`); buildah prints `[1/2] STEP 3/5: RUN make` before running a step.

const BUILDKIT_VERTEX = /^#(\d+) (\[[^\]]+\] .*)$/;
const BUILDKIT_ERROR = /^#(\d+) ERROR:/;
// The summary BuildKit prints after a failure: ` > [build 2/3] RUN make:`
const BUILDKIT_FAILED_SUMMARY = /^ > (\[[^\]]+\] .*):$/;
const BUILDAH_STEP = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: .*/;
const BUILDAH_ERROR = /^Error: building at STEP "(.*)": /;

export const TAIL_LINES = 20;

/** The last `size` meaningful lines pushed; older ones are dropped. */
export class LineTail {
  readonly #lines: string[] = [];
  readonly #size: number;

  constructor(size = TAIL_LINES) {
    this.#size = size;
  }

  push(line: string): void {
    // Blank lines and BuildKit's per-vertex digests say nothing to a person reading why a build failed.
    if (line.trim() === '' || /^#\d+ sha256:[0-9a-f]{64}$/.test(line)) return;
    this.#lines.push(line);
    if (this.#lines.length > this.#size) this.#lines.shift();
  }

  lines(): string[] {
    return [...this.#lines];
  }
}

export class StepTracker {
  readonly #vertexes = new Map<string, string>();
  #lastStep: string | undefined;
  #failedStep: string | undefined;

  push(line: string): void {
    const vertex = BUILDKIT_VERTEX.exec(line);
    if (vertex) {
      this.#vertexes.set(vertex[1]!, vertex[2]!);
      // `[internal] load ...` vertexes are BuildKit's own bookkeeping; they name a failure (a base image that
      // cannot be resolved) but are not the step that last ran.
      if (!vertex[2]!.startsWith('[internal]')) this.#lastStep = vertex[2]!;
      return;
    }
    const error = BUILDKIT_ERROR.exec(line);
    if (error) {
      this.#failedStep ??= this.#vertexes.get(error[1]!);
      return;
    }
    const summary = BUILDKIT_FAILED_SUMMARY.exec(line);
    if (summary) {
      this.#failedStep ??= summary[1]!;
      return;
    }
    if (BUILDAH_STEP.test(line)) {
      this.#lastStep = line.trim();
      return;
    }
    const buildahError = BUILDAH_ERROR.exec(line);
    if (buildahError && this.#lastStep === undefined) this.#lastStep = `STEP: ${buildahError[1]!}`;
  }

  /** The step that failed, or the last one that started when the builder did not say (buildah does not). */
  failedStep(): string | undefined {
    return this.#failedStep ?? this.#lastStep;
  }
}
