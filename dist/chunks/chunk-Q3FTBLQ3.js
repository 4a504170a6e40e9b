import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  BlockedError,
  ExitCode,
  InputError,
  formatProblem
} from "./chunk-FNCNTWIO.js";

// src/report/result.ts
var MUTATING = /* @__PURE__ */ new Set(["deploy", "promote", "rollback", "rebuild"]);
function failureResult(command, err, where = {}) {
  let invalid = err instanceof InputError, outcome = invalid ? "invalid" : err instanceof BlockedError ? "blocked" : MUTATING.has(command) ? "revert-failed" : "failed";
  return {
    command,
    outcome,
    ...where.environment !== void 0 ? { environment: where.environment } : {},
    ...where.version !== void 0 ? { version: where.version } : {},
    images: [],
    ...invalid ? { problems: err.problems.map(formatProblem) } : {},
    timings: {},
    message: err instanceof Error ? err.message : String(err)
  };
}
function exitCodeFor(result) {
  switch (result.outcome) {
    case "reverted":
    case "failed":
      return ExitCode.reverted;
    case "invalid":
      return ExitCode.invalid;
    case "revert-failed":
      return ExitCode.unsafe;
    case "blocked":
      return ExitCode.blocked;
    default:
      return ExitCode.ok;
  }
}

export {
  failureResult,
  exitCodeFor
};
