import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/registry/registry-error.ts
var RegistryError = class extends Error {
  name = "RegistryError";
  host;
  /** HTTP status of the last answer; undefined when the connection itself failed. */
  status;
  /** Distribution error code from the body (`MANIFEST_UNKNOWN`, `DENIED`), when the registry gave one. */
  code;
  constructor(fields) {
    let tries = fields.attempts && fields.attempts > 1 ? ` after ${fields.attempts} attempts` : "", code = fields.code ? ` (${fields.code})` : "", hint = fields.hint ? `; ${fields.hint}` : "";
    super(`registry ${fields.host}: ${fields.request}: ${fields.outcome}${code}${tries}${hint}`), this.host = fields.host, this.status = fields.status, this.code = fields.code;
  }
};
function distributionErrorCode(body) {
  try {
    let code = JSON.parse(body).errors?.[0]?.code;
    return typeof code == "string" && /^[A-Z_]{1,64}$/.test(code) ? code : void 0;
  } catch {
    return;
  }
}

export {
  RegistryError,
  distributionErrorCode
};
