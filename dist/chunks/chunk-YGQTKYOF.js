import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/registry/retry.ts
var DEFAULT_RETRY = { attempts: 4, baseDelayMs: 250, maxDelayMs: 1e4 };
function isRetryableStatus(status) {
  return status === 429 || status >= 500 && status !== 501 && status !== 505;
}
var TRANSIENT_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED"
]);
function connectionErrorCode(err) {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e != "object") return;
    let { code, cause, errors, message, name } = e;
    if (typeof code == "string" && TRANSIENT_CODES.has(code)) return code;
    if (name === "TimeoutError") return "ETIMEDOUT";
    if (message === "socket hang up" || message === "other side closed") return "ECONNRESET";
    if (Array.isArray(errors)) {
      let inner = errors.map(connectionErrorCode).find(Boolean);
      if (inner) return inner;
    }
    e = cause;
  }
}
function parseRetryAfter(value, now = Date.now()) {
  if (!value) return;
  let trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  let date = Date.parse(trimmed);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - now);
}
function backoffDelay(policy, attempt, retryAfterMs) {
  if (retryAfterMs !== void 0) return Math.min(retryAfterMs, policy.maxDelayMs);
  let ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (policy.random ?? Math.random)() * (ceiling / 2));
}
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export {
  DEFAULT_RETRY,
  isRetryableStatus,
  connectionErrorCode,
  parseRetryAfter,
  backoffDelay,
  sleep
};
