// Time for the smoke runner: when rounds start, how long requests take. Injected so tests run a minute of rounds
// in no time.
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolves after `ms`; rejects as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};
