// The one-minute smoke test: rounds of all steps, one starting every `intervalMs` for `durationMs`, the way a
// person checks a release by hand (log in, read a list, write a record, read it back).
//
// Every round starts with an empty cookie jar and no captures, so every round proves that logging in works, not
// only the first. A step that fails transiently (no answer, a gateway's 502/503/504) ends its round, since the
// steps after it build on it, and counts against `maxFailures`; the next round starts on schedule. The first
// deterministic failure (the app's own wrong answer, a failed command) ends the whole run at once: waiting out
// the minute would only delay the revert. `p95Ms` is judged at the end, over every HTTP request. A run in which
// no round passed fails even within `maxFailures`.
import type { SmokeSpec, SmokeStep } from '../config/smoke-schema.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Captures } from './captures.ts';
import { realClock, type Clock } from './clock.ts';
import { runCommandStep } from './command-step.ts';
import { CookieJar } from './cookie-jar.ts';
import { startForwarder, type Forwarder } from './forwarder.ts';
import { Redactor } from './redact.ts';
import { runRequestStep } from './request-step.ts';
import type { SmokeFailure, SmokeResult, SmokeStepResult } from './result.ts';
import { ms, percentile } from './stats.ts';
import type { Round, StepOutcome } from './step-outcome.ts';
import type { SmokeTransport } from './transport.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

export interface SmokeRunOptions {
  transport: SmokeTransport;
  /** Stops the run at once (a cancelled job): the in-flight request is aborted, a running command killed. */
  signal?: AbortSignal;
  clock?: Clock;
  logger?: Logger;
  requestTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** The environment command steps start from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

interface StepTally {
  kind: SmokeStep['kind'];
  requests: number;
  failures: number;
  latencies: number[];
}

type RoundEnd = { kind: 'passed' } | { kind: 'failed'; failure: SmokeFailure } | { kind: 'cancelled' };

export async function runSmoke(spec: SmokeSpec, options: SmokeRunOptions): Promise<SmokeResult> {
  const clock = options.clock ?? realClock;
  const signal = options.signal ?? new AbortController().signal;
  const logger = options.logger ?? silentLogger;
  const redactor = new Redactor(spec.secrets);
  const tallies = new Map<string, StepTally>(spec.steps.map((s) => [s.name, { kind: s.kind, requests: 0, failures: 0, latencies: [] }]));
  const latencies: number[] = [];
  const tolerated: SmokeFailure[] = [];
  let forwarder: Forwarder | undefined;
  const baseUrl = async (): Promise<string> => {
    if (options.transport.directUrl) return options.transport.directUrl;
    forwarder ??= await startForwarder(options.transport, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    return forwarder.url;
  };

  const runStep = async (step: SmokeStep, round: Round): Promise<StepOutcome> => {
    const run = { clock, redactor, signal };
    if (step.kind === 'request') {
      return runRequestStep(step, round, { ...run, transport: options.transport, requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS });
    }
    return runCommandStep(step, round, {
      ...run,
      baseUrl: await baseUrl(),
      env: options.env ?? process.env,
      cwd: options.cwd,
      timeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    });
  };

  const runRound = async (number: number): Promise<RoundEnd> => {
    const round: Round = { number, jar: new CookieJar(), captures: new Map() as Captures };
    for (const step of spec.steps) {
      const outcome = await runStep(step, round);
      if (outcome.verdict === 'cancelled') return { kind: 'cancelled' };
      const tally = tallies.get(step.name)!;
      tally.requests++;
      if (outcome.latencyMs !== undefined) {
        tally.latencies.push(outcome.latencyMs);
        if (step.kind === 'request') latencies.push(outcome.latencyMs);
      }
      if (outcome.verdict === 'fail') {
        tally.failures++;
        return { kind: 'failed', failure: { step: step.name, round: number, transient: outcome.transient, ...outcome.detail } };
      }
    }
    return { kind: 'passed' };
  };

  const start = clock.now();
  let rounds = 0;
  let passedRounds = 0;
  let firstFailure: SmokeFailure | undefined;
  let cancelled = false;
  try {
    let roundStart = start;
    for (;;) {
      if (signal.aborted) {
        cancelled = true;
        break;
      }
      rounds++;
      const end = await runRound(rounds);
      if (end.kind === 'cancelled') {
        cancelled = true;
        break;
      }
      if (end.kind === 'passed') {
        passedRounds++;
        logger.debug(`smoke: round ${rounds} passed`);
      } else if (!end.failure.transient || tolerated.length >= spec.maxFailures) {
        firstFailure = end.failure;
        break;
      } else {
        tolerated.push(end.failure);
        logger.warn(`smoke: round ${rounds}, step "${end.failure.step}": ${end.failure.message} (transient, ${tolerated.length} of ${spec.maxFailures} tolerated)`);
      }
      // A round that overran its slot pushes the schedule back rather than starting the next one late and then
      // squeezing rounds together.
      const next = roundStart + spec.intervalMs;
      if (next >= start + spec.durationMs) break;
      const wait = next - clock.now();
      if (wait > 0) {
        try {
          await clock.sleep(wait, signal);
        } catch {
          cancelled = true;
          break;
        }
      }
      roundStart = Math.max(next, clock.now());
    }
  } finally {
    await forwarder?.close();
  }

  const result = summarize(spec, { tallies, latencies, rounds, passedRounds, cancelled, firstFailure, tolerated }, {
    target: options.transport.description,
    durationMs: clock.now() - start,
  });
  result.message = redactor.redact(result.message);
  if (result.passed) logger.info(`smoke: ${result.message}`);
  else logger.error(`smoke: ${result.message}`);
  return result;
}

interface RunTally {
  tallies: ReadonlyMap<string, StepTally>;
  latencies: readonly number[];
  rounds: number;
  passedRounds: number;
  cancelled: boolean;
  firstFailure: SmokeFailure | undefined;
  tolerated: SmokeFailure[];
}

/** The verdict and the numbers, from what the rounds counted. */
function summarize(spec: SmokeSpec, run: RunTally, about: { target: string; durationMs: number }): SmokeResult {
  const { rounds, cancelled, firstFailure } = run;
  const p95 = percentile(run.latencies, 95);
  const steps: SmokeStepResult[] = spec.steps.map((s) => {
    const t = run.tallies.get(s.name)!;
    return {
      name: s.name,
      kind: t.kind,
      requests: t.requests,
      failures: t.failures,
      p50Ms: ms(percentile(t.latencies, 50)),
      p95Ms: ms(percentile(t.latencies, 95)),
      totalMs: ms(t.latencies.reduce((a, b) => a + b, 0)),
    };
  });
  const requests = steps.filter((s) => s.kind === 'request').reduce((n, s) => n + s.requests, 0);
  const failures = steps.reduce((n, s) => n + s.failures, 0);
  const overP95 = spec.p95Ms !== undefined && run.latencies.length > 0 && p95 > spec.p95Ms;
  const message = cancelled ? `cancelled after ${plural(rounds, 'round')}`
    : firstFailure ? failureLine(firstFailure)
    : overP95 ? `p95 latency ${ms(p95)} ms is above the limit of ${spec.p95Ms} ms`
    : run.passedRounds === 0 ? `no round passed (${plural(failures, 'transient failure')} tolerated)`
    : `passed: ${plural(rounds, 'round')}, ${plural(requests, 'request')}, p95 ${ms(p95)} ms`;
  return {
    passed: !cancelled && !firstFailure && !overP95 && run.passedRounds > 0,
    ...(cancelled ? { cancelled: true } : {}),
    message,
    target: about.target,
    rounds,
    requests,
    failures,
    maxFailures: spec.maxFailures,
    p95Ms: ms(p95),
    ...(spec.p95Ms !== undefined ? { p95LimitMs: spec.p95Ms } : {}),
    durationMs: ms(about.durationMs),
    steps,
    ...(firstFailure ? { firstFailure } : {}),
    tolerated: run.tolerated,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function failureLine(f: SmokeFailure): string {
  const what = f.transient ? 'transient failures beyond maxFailures; last' : 'failed';
  return `${what}: step "${f.step}" in round ${f.round}: ${f.message}`;
}
