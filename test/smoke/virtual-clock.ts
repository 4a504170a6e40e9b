// A clock for smoke tests: time moves only when the runner sleeps between rounds or a test says so (a slow
// answer), so a minute of rounds runs at once and latencies are exact.
import type { Clock } from '../../src/smoke/clock.ts';

export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

export function virtualClock(): VirtualClock {
  let t = 0;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    async sleep(ms, signal) {
      signal.throwIfAborted();
      t += ms;
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    },
  };
}
