// Where a registry host is reached and how: pure functions over the host name and Config.registries.
import type { RegistrySettings } from '../config/types.ts';
import { parseImageRef, repositoryOf } from '../image/ref.ts';

export interface RepositoryName {
  /** Registry host as written in image references, with port if any: `127.0.0.1:5000`, `ghcr.io`. */
  host: string;
  /** Repository path inside the registry: `acme/apps/invoice`. */
  path: string;
}

export interface Endpoint {
  /** Base URL without trailing slash; the API lives under `<baseUrl>/v2/`. */
  baseUrl: string;
  /** False only for loopback hosts and hosts listed as insecure. */
  verifyTls: boolean;
}

/** Splits `host/path` with the image reference grammar; a tag or digest here is a caller's mistake. */
export function parseRepository(repository: string): RepositoryName {
  const ref = parseImageRef(repository);
  if (ref.tag || ref.digest) {
    throw new Error(`repository "${repository}" must not carry a tag or digest (expected ${repositoryOf(ref)})`);
  }
  return { host: ref.registry, path: ref.path };
}

/** The host name without its port: `[::1]:5000` -> `::1`, `localhost:5000` -> `localhost`. */
export function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  const colon = host.lastIndexOf(':');
  return colon > 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

export function isLoopback(host: string): boolean {
  const name = hostnameOf(host).toLowerCase();
  return name === 'localhost' || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

// Docker Hub's API is not served on the name images use.
const DOCKER_HUB_API = 'https://registry-1.docker.io';

export function endpointFor(host: string, registries: Record<string, RegistrySettings> = {}): Endpoint {
  const settings = registries[host];
  const insecure = isLoopback(host) || settings?.insecure === true;
  if (settings?.endpoint) {
    const url = new URL(settings.endpoint);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`registries.${host}.endpoint must be an http(s) URL, got ${settings.endpoint}`);
    }
    return { baseUrl: url.href.replace(/\/+$/, ''), verifyTls: !insecure };
  }
  if (host === 'docker.io') return { baseUrl: DOCKER_HUB_API, verifyTls: true };
  return { baseUrl: `${insecure ? 'http' : 'https'}://${host}`, verifyTls: !insecure };
}
