// Durations as Go writes them (time.ParseDuration): a sequence of number+unit, `300ms`, `5s`, `1m30s`, `1.5h`.
// A bare number is refused: `5` could mean seconds or minutes, and guessing wrong turns a 5-minute timeout into 5 ms.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

export class DurationError extends Error {
  override name = 'DurationError';
}

/** Milliseconds in a Go-style duration; throws DurationError saying what is wrong. */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (input === '') throw new DurationError('the duration is empty; write it like 300ms, 5s, 5m, 1h or 1m30s');
  if (input === '0') return 0;
  if (input.startsWith('-')) throw new DurationError(`"${text}" is negative; a duration is 0 or more`);
  if (/^\d+(\.\d+)?$/.test(input)) {
    throw new DurationError(`"${text}" has no unit; write ${input}s, ${input}m or ${input}ms`);
  }
  let total = 0;
  let at = 0;
  while (at < input.length) {
    TERM.lastIndex = at;
    const m = TERM.exec(input);
    if (!m) {
      throw new DurationError(`"${text}" is not a duration; write it like 300ms, 5s, 5m, 1h or 1m30s`);
    }
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = TERM.lastIndex;
  }
  return total;
}

/** The shortest Go-style spelling of whole milliseconds: 90_000 -> `1m30s`, 300 -> `300ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}
