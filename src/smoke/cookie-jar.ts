// The cookies of one smoke round, as a browser would keep them for one site (RFC 6265, sections 5.1.4 and 5.2-5.4).
// A round talks to one logical target, so cookies are keyed by name and path only: Domain names the site we
// already are on, and through the API server's service proxy the host we connect to is not the app's anyway.
// Secure is ignored for the same reason (the hop to the API server is TLS, the hop to the pod may be plain HTTP
// while the app still marks its cookies Secure). HttpOnly and SameSite are browser-only concerns.

export interface Cookie {
  name: string;
  value: string;
  path: string;
  /** Epoch milliseconds; absent for a session cookie. */
  expiresAt?: number;
}

export class CookieJar {
  readonly #cookies = new Map<string, Cookie>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Keeps what a response's Set-Cookie headers say, for a request to `requestPath` (the path, no query). */
  store(setCookies: readonly string[], requestPath: string): Cookie[] {
    const stored: Cookie[] = [];
    for (const line of setCookies) {
      const cookie = parseSetCookie(line, requestPath, this.#now());
      if (!cookie) continue;
      const key = `${cookie.name}\0${cookie.path}`;
      // An expiry in the past is how a server deletes a cookie (Django's logout, delete_cookie).
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= this.#now()) {
        this.#cookies.delete(key);
        continue;
      }
      this.#cookies.delete(key); // re-inserted last: the newest one wins among equal paths
      this.#cookies.set(key, cookie);
      stored.push(cookie);
    }
    return stored;
  }

  /** The Cookie header for a request to `path`: longer paths first, then older first (RFC 6265 5.4). */
  header(path: string): string | undefined {
    const matching = this.#live().filter((c) => pathMatches(path, c.path));
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.length > 0 ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** The value of cookie `name` (the most specific path, then the newest), as a capture reads it. */
  get(name: string): string | undefined {
    let best: Cookie | undefined;
    for (const c of this.#live()) if (c.name === name && (!best || c.path.length >= best.path.length)) best = c;
    return best?.value;
  }

  #live(): Cookie[] {
    const now = this.#now();
    return [...this.#cookies.values()].filter((c) => c.expiresAt === undefined || c.expiresAt > now);
  }
}

/** One Set-Cookie header; undefined when it has no name=value pair (browsers drop those). */
export function parseSetCookie(line: string, requestPath: string, now: number): Cookie | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq < 0) return undefined;
  const name = pair.slice(0, eq).trim();
  if (!name) return undefined;
  const cookie: Cookie = { name, value: pair.slice(eq + 1).trim(), path: defaultPath(requestPath) };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires') {
      const date = Date.parse(value);
      if (!Number.isNaN(date)) expires = date;
    }
  }
  // Max-Age wins over Expires when both are given (RFC 6265 5.3 step 3).
  if (maxAge !== undefined) cookie.expiresAt = maxAge <= 0 ? now - 1 : now + maxAge * 1000;
  else if (expires !== undefined) cookie.expiresAt = expires;
  return cookie;
}

/** RFC 6265 5.1.4: the request path up to, not including, its last `/`; `/` when that leaves nothing. */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const last = requestPath.lastIndexOf('/');
  return last <= 0 ? '/' : requestPath.slice(0, last);
}

export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
