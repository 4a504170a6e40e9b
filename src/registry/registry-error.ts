// One readable line per failed registry call: which host, which request, what came back, how often we tried.

export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly host: string;
  /** HTTP status of the last answer; undefined when the connection itself failed. */
  readonly status: number | undefined;
  /** Distribution error code from the body (`MANIFEST_UNKNOWN`, `DENIED`), when the registry gave one. */
  readonly code: string | undefined;

  constructor(fields: { host: string; request: string; outcome: string; status?: number; code?: string; attempts?: number; hint?: string }) {
    const tries = fields.attempts && fields.attempts > 1 ? ` after ${fields.attempts} attempts` : '';
    const code = fields.code ? ` (${fields.code})` : '';
    const hint = fields.hint ? `; ${fields.hint}` : '';
    super(`registry ${fields.host}: ${fields.request}: ${fields.outcome}${code}${tries}${hint}`);
    this.host = fields.host;
    this.status = fields.status;
    this.code = fields.code;
  }
}

/**
 * The first error code of a Distribution error body ({"errors":[{"code":"DENIED",...}]}). Only the code: the
 * message may echo what was sent.
 */
export function distributionErrorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { errors?: Array<{ code?: unknown }> }).errors?.[0]?.code;
    return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
