// One command step of a round: any program, judged by its exit code. It gets the target as SMOKE_BASE_URL, the
// round number as SMOKE_ROUND and every capture so far as SMOKE_<NAME> (the name upper-cased). A string runs
// through `sh -c`; a list is the argv. Exit 0 passes, 75 (EX_TEMPFAIL) is a transient failure, anything else is
// final. A program still running at the timeout is killed with its whole process group, and counts as transient,
// like a request that got no answer.
import { spawn } from 'node:child_process';
import type { SmokeCommandStep } from '../config/smoke-schema.ts';
import { fill } from './captures.ts';
import { EXCERPT_CHARS, type Round, type RunContext, type StepOutcome } from './step-outcome.ts';

export const EX_TEMPFAIL = 75;
const OUTPUT_TAIL_CHARS = 8_192;

export interface CommandContext extends RunContext {
  baseUrl: string;
  env: NodeJS.ProcessEnv;
  cwd?: string | undefined;
  timeoutMs: number;
}

export function commandEnv(round: Round, baseUrl: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, SMOKE_BASE_URL: baseUrl, SMOKE_ROUND: String(round.number) };
  for (const [name, value] of round.captures) out[`SMOKE_${name.toUpperCase()}`] = value.text;
  return out;
}

export function commandText(command: string | readonly string[]): string {
  if (typeof command === 'string') return command;
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export async function runCommandStep(step: SmokeCommandStep, round: Round, ctx: CommandContext): Promise<StepOutcome> {
  const argv = typeof step.command === 'string' ? ['sh', '-c', fill(step.command, round.captures)] : step.command.map((a) => fill(a, round.captures));
  // The step as written, placeholders and all: captured values stay out of reports.
  const shown = ctx.redactor.redact(commandText(step.command));
  if (ctx.signal.aborted) return { verdict: 'cancelled' };
  const started = ctx.clock.now();
  const { exit, output } = await run(argv, commandEnv(round, ctx.baseUrl, ctx.env), ctx);
  const latencyMs = ctx.clock.now() - started;
  if (exit.kind === 'cancelled') return { verdict: 'cancelled' };
  if (exit.kind === 'exited' && exit.code === 0) return { verdict: 'pass', latencyMs };
  const message =
    exit.kind === 'timeout' ? `did not finish within ${ctx.timeoutMs} ms (killed)`
    : exit.kind === 'error' ? `cannot run: ${exit.message}`
    : exit.kind === 'signal' ? `killed by ${exit.signal}`
    : `exited with ${exit.code}${exit.code === EX_TEMPFAIL ? ' (EX_TEMPFAIL: transient)' : ''}`;
  return {
    verdict: 'fail',
    transient: exit.kind === 'timeout' || (exit.kind === 'exited' && exit.code === EX_TEMPFAIL),
    latencyMs,
    detail: {
      message: ctx.redactor.redact(message),
      command: shown,
      ...(exit.kind === 'exited' ? { exitCode: exit.code } : {}),
      ...(output ? { responseExcerpt: ctx.redactor.redact(output).slice(-EXCERPT_CHARS) } : {}),
    },
  };
}

type Exit =
  | { kind: 'exited'; code: number }
  | { kind: 'signal'; signal: string }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

function run(argv: string[], env: NodeJS.ProcessEnv, ctx: CommandContext): Promise<{ exit: Exit; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    let stopped: 'timeout' | 'cancelled' | undefined;
    // Its own process group, so a timeout also ends what `sh -c` started.
    const child = spawn(argv[0]!, argv.slice(1), { env, cwd: ctx.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const kill = (why: 'timeout' | 'cancelled'): void => {
      stopped ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill('timeout'), ctx.timeoutMs);
    const onAbort = (): void => kill('cancelled');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (exit: Exit): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      resolve({ exit: stopped ? { kind: stopped } : exit, output });
    };
    child.on('error', (err) => finish({ kind: 'error', message: err.message }));
    child.on('exit', () => {
      // A background child left holding stdout must not keep the step waiting for the pipes to close.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 1_000).unref();
    });
    child.on('close', (code, signal) => finish(signal ? { kind: 'signal', signal } : { kind: 'exited', code: code ?? 1 }));
  });
}
