// What one step of one round came to, and what every step runner needs from the round and the run.
import type { Captures } from './captures.ts';
import type { Clock } from './clock.ts';
import type { CookieJar } from './cookie-jar.ts';
import type { Redactor } from './redact.ts';
import type { SmokeFailure } from './result.ts';

export type FailureDetail = Omit<SmokeFailure, 'step' | 'round' | 'transient'>;

export type StepOutcome =
  | { verdict: 'pass'; latencyMs: number }
  /** `latencyMs` is absent when no answer came (nothing to time). */
  | { verdict: 'fail'; transient: boolean; latencyMs?: number; detail: FailureDetail }
  | { verdict: 'cancelled' };

/** One round's state: fresh for every round, so each round proves that logging in works. */
export interface Round {
  /** 1-based. */
  number: number;
  jar: CookieJar;
  captures: Captures;
}

export interface RunContext {
  clock: Clock;
  redactor: Redactor;
  /** The run's cancellation. */
  signal: AbortSignal;
}

export const EXCERPT_CHARS = 500;
