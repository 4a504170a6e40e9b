// Runs a build tool: output streamed line by line to a callback, secret values masked, the last lines kept for
// the error message, and the process stopped when the run is cancelled.
import { spawn } from 'node:child_process';
import { LineTail, StepTracker } from './build-output.ts';
import { BuildFailedError, type BuildRequest } from './builder.ts';
import type { Logger } from '../log.ts';

export interface ToolRun {
  file: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  /** Each line of stdout and stderr, already masked. */
  onLine?: (line: string) => void;
  /** Values to replace with `***` wherever they appear in the output (build secrets). */
  mask?: readonly string[];
  tailLines?: number;
}

export interface ToolResult {
  /** null when the process was killed by a signal. */
  exitCode: number | null;
  /** The last lines of output, masked. */
  tail: string[];
  /** Every line when asked for (short outputs: versions, probes). */
  output: string[];
}

// Very short values (`1`, `on`) would mask half the log; such a secret is not a secret anyway.
const MIN_MASKED_LENGTH = 4;

export function maskSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const s of secrets) if (s.length >= MIN_MASKED_LENGTH) out = out.split(s).join('***');
  return out;
}

export function runTool(run: ToolRun, keepAll = false): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) {
      reject(run.signal.reason ?? new Error('cancelled'));
      return;
    }
    const tail = new LineTail(run.tailLines);
    const output: string[] = [];
    const child = spawn(run.file, run.args, { env: run.env, cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = () => child.kill('SIGTERM');
    run.signal?.addEventListener('abort', onAbort, { once: true });

    const lineReader = () => {
      let partial = '';
      return {
        data(chunk: Buffer) {
          const text = partial + chunk.toString('utf8');
          const lines = text.split(/\r?\n/);
          partial = lines.pop() ?? '';
          for (const l of lines) emit(l);
        },
        end() {
          if (partial) emit(partial);
          partial = '';
        },
      };
    };
    const emit = (raw: string) => {
      const line = maskSecrets(raw, run.mask ?? []);
      tail.push(line);
      if (keepAll) output.push(line);
      run.onLine?.(line);
    };
    const out = lineReader();
    const err = lineReader();
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    child.on('error', (e) => {
      run.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`could not run ${run.file}: ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      run.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      if (run.signal?.aborted) reject(run.signal.reason ?? new Error('cancelled'));
      else resolve({ exitCode: code, tail: tail.lines(), output });
    });
  });
}

/** Runs a short command and returns its output when it succeeds, undefined when it fails or cannot start. */
export async function probe(file: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<string | undefined> {
  try {
    const result = await runTool({ file, args, env, tailLines: 5, signal: AbortSignal.timeout(timeoutMs) }, true);
    return result.exitCode === 0 ? result.output.join('\n').trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one image's build: output into the log prefixed with the image name, build secrets masked, and on failure
 * a BuildFailedError naming the Dockerfile step that failed with the last lines of its output.
 */
export async function runBuild(request: BuildRequest, run: Omit<ToolRun, 'onLine' | 'mask'> & { env: NodeJS.ProcessEnv }, log: Logger): Promise<void> {
  const steps = new StepTracker();
  const result = await runTool({
    ...run,
    mask: request.secrets.map((s) => run.env[s] ?? '').filter(Boolean),
    onLine: (line) => {
      steps.push(line);
      log.info(`[${request.name}] ${line}`);
    },
  });
  if (result.exitCode !== 0) {
    throw new BuildFailedError(request.name, { step: steps.failedStep(), output: result.tail, exitCode: result.exitCode ?? undefined });
  }
}
