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

function describeFailure(err: unknown): string {
  if (err instanceof InputError) {
    return `rollgate: invalid input (nothing was changed):\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`;
  }
  if (err instanceof BlockedError) return `rollgate: refused to start (nothing was changed): ${err.message}`;
  return `rollgate: ${err instanceof Error ? err.message : String(err)}`;
}
