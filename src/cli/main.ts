// Runs one CLI invocation and returns its exit code. Commands are imported when they run, so `--help` never
// pays for the Kubernetes or GAR clients.
import { parseArgv, type Invocation } from './args.ts';
import { USAGE } from './help.ts';
import { VERSION } from '../version.ts';
import { ExitCode, InputError, BlockedError, formatProblem, exitCodeOf } from '../errors.ts';
import { textReporter } from '../report/text.ts';
import type { CommandContext } from '../commands/context.ts';
import type { RunDetails } from '../report/details.ts';
import { exitCodeFor, failureResult, type RunResult } from '../report/result.ts';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  signal?: AbortSignal;
  /** process.versions.node unless given (tests). */
  nodeVersion?: string;
}

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
};

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let inv: Invocation;
  try {
    const parsed = parseArgv(argv);
    if (parsed.kind === 'help') {
      io.stdout(USAGE);
      return ExitCode.ok;
    }
    if (parsed.kind === 'version') {
      io.stdout(`${VERSION}\n`);
      return ExitCode.ok;
    }
    inv = parsed.invocation;
  } catch (err) {
    io.stderr(`${describeFailure(err)}\nRun \`rollgate --help\` for usage.\n`);
    return exitCodeOf(err);
  }
  const tooOld = nodeTooOld(io.nodeVersion ?? process.versions.node);
  if (tooOld) {
    io.stderr(`rollgate: ${tooOld}\n`);
    return ExitCode.invalid;
  }

  const reporter = textReporter({ verbose: inv.verbose, env: io.env, stderr: io.stderr });
  const ctx: CommandContext = {
    logger: reporter.logger,
    env: io.env,
    cwd: io.cwd,
    signal: io.signal ?? new AbortController().signal,
  };
  let result: RunResult;
  let details: RunDetails = {};
  try {
    const { runCommand } = await import('./commands.ts');
    result = await runCommand(inv, ctx, { stdout: io.stdout, details: (d) => void (details = d) });
  } catch (err) {
    io.stderr(`${describeFailure(err)}\n`);
    result = failureResult(inv.command, err, { environment: inv.env, version: inv.version });
  }
  await reporter.finish(result, details, { ...inv.outputs, ...(inv.summary !== undefined ? { summary: inv.summary } : {}) }, ctx.cwd);
  return exitCodeFor(result);
}

/** The Kubernetes client's undici needs Node.js 22.19; on an older one it fails while loading, with a TypeError. */
export const MIN_NODE: readonly [number, number] = [22, 19];

/** Why this Node.js cannot run rollgate's commands (help and --version still print), or undefined. */
export function nodeTooOld(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return undefined;
  return `needs Node.js ${MIN_NODE.join('.')} or newer, this is ${version}; nothing was changed (in GitLab CI use an image with Node.js 22 or 24, e.g. node:24)`;
}

function describeFailure(err: unknown): string {
  if (err instanceof InputError) {
    return `rollgate: invalid input (nothing was changed):\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`;
  }
  if (err instanceof BlockedError) return `rollgate: refused to start (nothing was changed): ${err.message}`;
  return `rollgate: ${err instanceof Error ? err.message : String(err)}`;
}
