// Registry credentials the way the docker CLI keeps them: $DOCKER_CONFIG/config.json (else ~/.docker/config.json)
// with `auths`, `credHelpers` and `credsStore`. Read lazily: an anonymous registry never touches the file.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (`identitytoken`), traded at the token server for an access token. */
  | { kind: 'identity-token'; token: string };

export interface FoundCredentials {
  credentials: Credentials;
  /** Where they came from, for error messages: never the secret itself. */
  source: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export interface DockerCredentialOptions {
  /** Folder holding config.json; defaults to $DOCKER_CONFIG, else ~/.docker. */
  configDir?: string;
  /** Environment for credential helpers (PATH finds them); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  helperTimeoutMs?: number;
}

// Docker Hub credentials are filed under its v1 index URL.
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const HELPER_USERNAME_FOR_IDENTITY_TOKEN = '<token>';

/** The host an `auths` key names: `https://host:5000/v1/` -> `host:5000`, Docker Hub's keys -> `docker.io`. */
export function authKeyHost(key: string): string {
  const host = key.replace(/^https?:\/\//, '').split('/')[0]!.toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/** The credentials in one `auths` entry, or undefined when it holds none (a credsStore marker `{}`). */
export function credentialsOfEntry(entry: AuthEntry, where: string): Credentials | undefined {
  if (entry.identitytoken) return { kind: 'identity-token', token: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new Error(`${where}: "auth" is not base64 of "username:password"`);
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { kind: 'basic', username: entry.username, password: entry.password };
  return undefined;
}

/** Parses what `docker-credential-<helper> get` prints: {ServerURL, Username, Secret}. */
export function credentialsOfHelperOutput(stdout: string, helper: string): Credentials {
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(stdout) as typeof parsed;
  } catch {
    throw new Error(`docker-credential-${helper} printed something that is not JSON`);
  }
  if (typeof parsed.Secret !== 'string' || parsed.Secret === '') throw new Error(`docker-credential-${helper} returned no Secret`);
  if (parsed.Username === HELPER_USERNAME_FOR_IDENTITY_TOKEN) return { kind: 'identity-token', token: parsed.Secret };
  if (typeof parsed.Username !== 'string') throw new Error(`docker-credential-${helper} returned no Username`);
  return { kind: 'basic', username: parsed.Username, password: parsed.Secret };
}

export class DockerCredentialStore {
  readonly #file: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #helperTimeoutMs: number;
  #config: Promise<DockerConfigFile> | undefined;
  readonly #found = new Map<string, Promise<FoundCredentials | undefined>>();

  constructor(options: DockerCredentialOptions = {}) {
    this.#env = options.env ?? process.env;
    const dir = options.configDir ?? this.#env.DOCKER_CONFIG ?? join(homedir(), '.docker');
    this.#file = join(dir, 'config.json');
    this.#helperTimeoutMs = options.helperTimeoutMs ?? 30_000;
  }

  /**
   * Credentials for `host`: its credHelper, else its `auths` entry, else the credsStore. Docker itself skips
   * `auths` when a credsStore is set; reading the entry first is kinder to hand-written files.
   */
  lookup(host: string): Promise<FoundCredentials | undefined> {
    const key = authKeyHost(host);
    let found = this.#found.get(key);
    if (!found) {
      found = this.#lookup(key);
      this.#found.set(key, found);
    }
    return found;
  }

  async #lookup(host: string): Promise<FoundCredentials | undefined> {
    const config = await this.#read();
    const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => authKeyHost(key) === host)?.[1];
    if (helper) return this.#fromHelper(helper, host);
    for (const [key, entry] of Object.entries(config.auths ?? {})) {
      if (authKeyHost(key) !== host) continue;
      const credentials = credentialsOfEntry(entry, `${this.#file}: auths["${key}"]`);
      if (credentials) return { credentials, source: `${this.#file} auths` };
    }
    if (config.credsStore) return this.#fromHelper(config.credsStore, host);
    return undefined;
  }

  #read(): Promise<DockerConfigFile> {
    this.#config ??= readFile(this.#file, 'utf8').then(
      (text) => {
        try {
          return JSON.parse(text) as DockerConfigFile;
        } catch (err) {
          throw new Error(`${this.#file}: not valid JSON (${(err as Error).message})`);
        }
      },
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return {};
        throw new Error(`${this.#file}: ${err.message}`);
      },
    );
    return this.#config;
  }

  async #fromHelper(helper: string, host: string): Promise<FoundCredentials | undefined> {
    const program = `docker-credential-${helper}`;
    const serverUrl = host === 'docker.io' ? DOCKER_HUB_KEY : host;
    const { code, stdout, stderr } = await runHelper(program, serverUrl, this.#env, this.#helperTimeoutMs);
    // Helpers exit 1 with this text when they hold nothing for the server: anonymous access, not an error.
    if (code !== 0 && /credentials not found/i.test(stdout + stderr)) return undefined;
    if (code !== 0) {
      const reason = (stderr.trim() || stdout.trim()).split('\n')[0]?.slice(0, 200) ?? '';
      throw new Error(`${program} get for ${host} failed (exit ${code})${reason ? `: ${reason}` : ''}`);
    }
    return { credentials: credentialsOfHelperOutput(stdout, helper), source: program };
  }
}

function runHelper(program: string, input: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ENOENT' ? `credential helper ${program} is not on PATH` : `${program}: ${err.message}`)),
    );
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.on('error', () => {}); // a helper that exits without reading stdin is judged by its exit code
    child.stdin.end(input);
  });
}
