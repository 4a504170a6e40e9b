import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/config/duration.ts
var UNIT_MS = {
  ns: 1e-6,
  us: 1e-3,
  \u00B5s: 1e-3,
  \u03BCs: 1e-3,
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 36e5
}, TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y, DurationError = class extends Error {
  name = "DurationError";
};
function parseDuration(text) {
  let input = text.trim();
  if (input === "") throw new DurationError("the duration is empty; write it like 300ms, 5s, 5m, 1h or 1m30s");
  if (input === "0") return 0;
  if (input.startsWith("-")) throw new DurationError(`"${text}" is negative; a duration is 0 or more`);
  if (/^\d+(\.\d+)?$/.test(input))
    throw new DurationError(`"${text}" has no unit; write ${input}s, ${input}m or ${input}ms`);
  let total = 0, at = 0;
  for (; at < input.length; ) {
    TERM.lastIndex = at;
    let m = TERM.exec(input);
    if (!m)
      throw new DurationError(`"${text}" is not a duration; write it like 300ms, 5s, 5m, 1h or 1m30s`);
    total += Number(m[1]) * UNIT_MS[m[2]], at = TERM.lastIndex;
  }
  return total;
}
function formatDuration(ms) {
  if (ms === 0) return "0s";
  let parts = [], rest = Math.round(ms);
  for (let [unit, size] of [["h", 36e5], ["m", 6e4], ["s", 1e3], ["ms", 1]]) {
    let n = Math.floor(rest / size);
    n > 0 && parts.push(`${n}${unit}`), rest -= n * size;
  }
  return parts.join("");
}

export {
  DurationError,
  parseDuration,
  formatDuration
};
