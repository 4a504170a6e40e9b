// The cluster guard: deploy only where the environment says. rollgate.yml names the kubeconfig context (and
// optionally the API server URL) each environment must be reached through; a kubeconfig that selects anything
// else is refused before the first write (exit 4), so a stale current-context never deploys prd to dev.
import { BlockedError } from '../errors.ts';
import type { EnvironmentConfig } from '../config/types.ts';

export type GuardedEnvironment = Pick<EnvironmentConfig, 'name' | 'kubeContext' | 'apiServer'>;

/** What the kubeconfig in use points at. */
export interface ClusterInUse {
  context: string;
  /** The context's cluster.server. */
  server: string;
}

/** Throws BlockedError naming expected and actual when the cluster in use is not the environment's. */
export function checkClusterGuard(environment: GuardedEnvironment, inUse: ClusterInUse): void {
  const problems: string[] = [];
  if (environment.kubeContext !== undefined && environment.kubeContext !== inUse.context) {
    problems.push(`expects kubeconfig context "${environment.kubeContext}", but the context in use is "${inUse.context}"`);
  }
  if (environment.apiServer !== undefined) {
    const expected = normalizeServerUrl(environment.apiServer);
    const actual = normalizeServerUrl(inUse.server);
    if (expected !== actual) problems.push(`expects API server ${expected}, but context "${inUse.context}" points at ${actual}`);
  }
  if (problems.length) throw new BlockedError(`cluster guard: environment "${environment.name}" ${problems.join('; and ')}`);
}

/**
 * `https://Example.com:443/` and `example.com` are the same server: scheme (https when absent) and host in lower
 * case, the scheme's default port dropped, no trailing slash. A path stays (clusters behind a proxy have one).
 */
export function normalizeServerUrl(server: string): string {
  const text = server.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return text.replace(/\/+$/, '');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}
