// Keeps credentials out of everything the smoke test prints or returns: the spec's secrets (values of
// environment variables interpolated into it), cookie values, and captures whose name says they are secret.
// Each value is also hidden in the forms a response or URL may echo it in (URL-encoded, form-encoded, JSON).

export const REDACTED = '***';

/** Capture names (and header names) that hold credentials: a session, a token, a password, a key. */
const SECRET_NAME = /token|passw|secret|session|cookie|csrf|auth|key|credential|bearer/i;

/**
 * Values learned while running (cookies, captured tokens) shorter than this are not hidden: a `lang=en` cookie is
 * no credential, and hiding every "en" would make the excerpt useless. The spec's own secrets are always hidden.
 */
const MIN_LEARNED_LENGTH = 4;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class Redactor {
  readonly #values = new Set<string>();
  #ordered: string[] = [];

  constructor(secrets: readonly string[] = []) {
    for (const s of secrets) this.#add(s);
  }

  /** Hides a value learned at run time (a cookie, a captured token) from now on. */
  learn(value: string): void {
    if (value.length >= MIN_LEARNED_LENGTH) this.#add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.#ordered) if (out.includes(value)) out = out.replaceAll(value, REDACTED);
    return out;
  }

  /** Request headers for a report: credential-bearing ones hidden whole, the others with secrets hidden. */
  headers(headers: Headers | Record<string, string>): Record<string, string> {
    const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
    return Object.fromEntries(entries.map(([name, value]) => [name, isSecretName(name) ? REDACTED : this.redact(value)]));
  }

  #add(value: string): void {
    if (!value) return;
    for (const form of [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), JSON.stringify(value).slice(1, -1)]) {
      if (form) this.#values.add(form);
    }
    // Longest first, so a secret containing another is hidden whole.
    this.#ordered = [...this.#values].sort((a, b) => b.length - a.length);
  }
}
