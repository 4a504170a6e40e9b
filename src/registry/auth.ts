// Registry authentication as the Distribution token spec describes it: answer a 401's WWW-Authenticate with
// Basic credentials, or with a Bearer token from the realm it names; remember the scheme per host so later
// requests authenticate up front, and cache tokens per scope until they expire.
import type { Credentials, FoundCredentials } from './docker-config.ts';

export type Challenge =
  | { scheme: 'basic' }
  | { scheme: 'bearer'; realm: string; service?: string; scope?: string };

/** Parses the first Basic or Bearer challenge of a WWW-Authenticate header; undefined for anything else. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'basic') return { scheme: 'basic' };
  if (scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  const param = /\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
  for (let m = param.exec(match[2]!); m; m = param.exec(match[2]!)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  if (!params.realm) return undefined;
  return { scheme: 'bearer', realm: params.realm, service: params.service, scope: params.scope };
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** What rollgate asks of a repository: it reads manifests and blobs and writes tags. */
export function repositoryScope(path: string): string {
  return `repository:${path}:pull,push`;
}

export interface CredentialSource {
  lookup(host: string): Promise<FoundCredentials | undefined>;
}

export interface AuthenticatorOptions {
  /** Given credentials by host; they win over the Docker config (the action's registry-username/password). */
  credentials?: Record<string, Credentials>;
  store: CredentialSource;
  /** Fetch used for the token server (the client passes its own, so requests are counted and TLS rules hold). */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  now?: () => number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

// Tokens default to 60 s (token spec); renew a little early so a request never leaves with a dying token.
const DEFAULT_TOKEN_SECONDS = 60;
const RENEW_EARLY_MS = 5_000;
const CLIENT_ID = 'rollgate';

export class AuthError extends Error {
  override name = 'AuthError';
}

export class Authenticator {
  readonly #options: AuthenticatorOptions;
  readonly #now: () => number;
  readonly #challenges = new Map<string, Challenge>();
  readonly #tokens = new Map<string, Promise<CachedToken>>();
  readonly #credentials = new Map<string, Promise<FoundCredentials | undefined>>();

  constructor(options: AuthenticatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The Authorization header for a request to `host` on `scope`, when the host is known to want one. */
  async authorization(host: string, scope: string): Promise<string | undefined> {
    const challenge = this.#challenges.get(host);
    if (!challenge) return undefined;
    const found = await this.credentialsFor(host);
    if (challenge.scheme === 'basic') {
      return found?.credentials.kind === 'basic' ? basicAuthorization(found.credentials.username, found.credentials.password) : undefined;
    }
    const token = await this.#token(host, challenge, scope, found);
    return `Bearer ${token}`;
  }

  /**
   * Learns from a 401. True when a second attempt can differ from the first: a scheme we had not answered yet,
   * or a cached token the registry no longer accepts.
   */
  async unauthorized(host: string, scope: string, wwwAuthenticate: string | null, sent: string | undefined): Promise<boolean> {
    const challenge = parseChallenge(wwwAuthenticate);
    if (!challenge) return false;
    this.#challenges.set(host, challenge);
    if (challenge.scheme === 'basic') {
      return sent === undefined && (await this.credentialsFor(host))?.credentials.kind === 'basic';
    }
    if (sent?.startsWith('Bearer ')) this.#tokens.delete(`${host} ${scope}`);
    return true;
  }

  /** Where this host's credentials come from (`docker-credential-gcloud`, `given`), for error messages. */
  async sourceOf(host: string): Promise<string | undefined> {
    return (await this.credentialsFor(host).catch(() => undefined))?.source;
  }

  credentialsFor(host: string): Promise<FoundCredentials | undefined> {
    let found = this.#credentials.get(host);
    if (!found) {
      const given = this.#options.credentials?.[host];
      found = given ? Promise.resolve({ credentials: given, source: 'given credentials' }) : this.#options.store.lookup(host);
      this.#credentials.set(host, found);
    }
    return found;
  }

  async #token(host: string, challenge: Challenge & { scheme: 'bearer' }, scope: string, found: FoundCredentials | undefined): Promise<string> {
    const key = `${host} ${scope}`;
    const cached = this.#tokens.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && token.expiresAt > this.#now()) return token.value;
    }
    const fresh = this.#fetchToken(host, challenge, scope, found);
    this.#tokens.set(key, fresh);
    fresh.catch(() => this.#tokens.delete(key));
    return (await fresh).value;
  }

  async #fetchToken(host: string, challenge: Challenge & { scheme: 'bearer' }, scope: string, found: FoundCredentials | undefined): Promise<CachedToken> {
    let res = await this.#requestToken(challenge, scope, found?.credentials);
    // Read-only accounts and anonymous pulls are refused pull,push outright by some token servers: ask for
    // exactly what the registry challenged instead.
    if ((res.status === 401 || res.status === 403) && challenge.scope && challenge.scope !== scope) {
      res = await this.#requestToken(challenge, challenge.scope, found?.credentials);
    }
    const realmHost = new URL(challenge.realm).host;
    if (!res.ok) {
      const who = found ? ` with ${found.source}` : ' anonymously';
      throw new AuthError(`registry ${host}: token from ${realmHost}${who}: ${res.status} ${res.statusText}`.trimEnd());
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    const value = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof value !== 'string' || !value) throw new AuthError(`registry ${host}: token from ${realmHost} holds no token`);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : Number.NaN;
    const start = Number.isNaN(issued) ? this.#now() : Math.min(issued, this.#now());
    return { value, expiresAt: start + seconds * 1000 - RENEW_EARLY_MS };
  }

  #requestToken(challenge: Challenge & { scheme: 'bearer' }, scope: string, credentials: Credentials | undefined): Promise<Response> {
    const params = new URLSearchParams();
    if (challenge.service) params.set('service', challenge.service);
    params.set('scope', scope);
    if (credentials?.kind === 'identity-token') {
      // An identity token is an OAuth2 refresh token: the token spec trades it with a form POST.
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', credentials.token);
      params.set('client_id', CLIENT_ID);
      return this.#options.fetch(challenge.realm, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      });
    }
    const url = new URL(challenge.realm);
    for (const [k, v] of params) url.searchParams.set(k, v);
    const headers: Record<string, string> = credentials ? { authorization: basicAuthorization(credentials.username, credentials.password) } : {};
    return this.#options.fetch(url.href, { method: 'GET', headers });
  }
}
