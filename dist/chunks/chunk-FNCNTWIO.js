import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/errors.ts
var ExitCode = {
  ok: 0,
  reverted: 1,
  invalid: 2,
  unsafe: 3,
  blocked: 4
};
function formatProblem(p) {
  let where = p.file ? `${p.file}${p.line ? `:${p.line}` : ""}${p.line && p.column ? `:${p.column}` : ""}` : "", field = p.field ? `${p.field}: ` : "";
  return `${where ? `${where}: ` : ""}${field}${p.message}`;
}
var InputError = class extends Error {
  problems;
  constructor(problems) {
    let list = typeof problems == "string" ? [{ message: problems }] : Array.isArray(problems) ? problems : [problems];
    super(list.length === 1 ? formatProblem(list[0]) : `${list.length} problems:
${list.map((p) => `  ${formatProblem(p)}`).join(`
`)}`), this.name = "InputError", this.problems = list;
  }
}, BlockedError = class extends Error {
  name = "BlockedError";
};
function exitCodeOf(err) {
  return err instanceof InputError ? ExitCode.invalid : err instanceof BlockedError ? ExitCode.blocked : ExitCode.unsafe;
}

export {
  ExitCode,
  formatProblem,
  InputError,
  BlockedError,
  exitCodeOf
};
