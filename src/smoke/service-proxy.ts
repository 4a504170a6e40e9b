// A Service reached through the API server's service proxy, so internal services are tested with nothing
// exposed: `<apiServer>/api/v1/namespaces/N/services/S:PORT/proxy/<path>`. The caller brings the API server's URL
// and a fetch that carries the kubeconfig's credentials.
//
// What the proxy changes, and what this transport does about it (the API server's behaviour is in
// k8s.io/apimachinery/pkg/util/proxy, upgradeaware.go and transport.go):
// - Location: a redirect to an absolute path on the same host comes back prefixed with the proxy path. We strip
//   the prefix, so a step sees (and captures) the app's own `/accounts/profile/`.
// - Set-Cookie passes unchanged from the API server, but a proxy in front of it (kubectl proxy, a gateway) may
//   prefix the Path attribute like a Location. We strip that prefix too: the runner's jar keys cookies by the
//   logical target's paths, never by the proxy URL.
// - text/html bodies: href/src/action links are rewritten to the proxy path. We leave bodies alone, so an
//   `expect.body` should match text, not links.
// - Authorization: the API server authenticates the request with it and deletes it before proxying, so a step's
//   own Authorization header cannot reach the app. Such a request is refused here with that explanation rather
//   than sent with the cluster credentials replaced.
// - Host: the app sees the API server's host name (the proxy keeps the client's Host), plus X-Forwarded-For and
//   X-Forwarded-Uri. A Django app answers 400 (DisallowedHost) unless ALLOWED_HOSTS accepts that name.
// - CORS response headers are removed. The backend is spoken to over plain HTTP (the spec has no `https:` port).
// - The proxy's own failures are a v1 Status: 503 "no endpoints available for service" while no pod is ready,
//   503 "error trying to reach service" when dialling the pod fails (both worth another round), 403 when the
//   credentials may not use services/proxy (RBAC verbs follow the method: get, create, update, patch, delete).
import { UnsendableRequest, init, type FetchLike, type SmokeTransport } from './transport.ts';

export interface ServiceProxyTarget {
  /** The API server's URL, as the kubeconfig's cluster.server gives it. */
  apiServer: string;
  namespace: string;
  service: string;
  /** The Service's port, by number or name. */
  port: number | string;
  /** fetch with the kubeconfig's credentials (token header, client certificate, CA). */
  fetch: FetchLike;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function serviceProxyPath(namespace: string, service: string, port: number | string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;
}

export function serviceProxyTransport(target: ServiceProxyTarget): SmokeTransport {
  const server = new URL(target.apiServer);
  const base = target.apiServer.replace(/\/+$/, '');
  const proxyPath = serviceProxyPath(target.namespace, target.service, target.port);
  // An API server behind a path (Rancher's /k8s/clusters/<id>) may echo either form.
  const prefixes = [...new Set([server.pathname.replace(/\/+$/, '') + proxyPath, proxyPath])];
  const unprefix = (path: string): string | undefined => {
    for (const prefix of prefixes) {
      if (path === prefix) return '/';
      if (path.startsWith(`${prefix}/`)) return path.slice(prefix.length);
    }
    return undefined;
  };
  return {
    description: `service ${target.service}:${target.port} in namespace ${target.namespace} (through the API server's service proxy)`,
    async send(r) {
      if (r.headers.has('authorization')) {
        throw new UnsendableRequest(
          "an Authorization header cannot reach a Service through the API server's service proxy (the API server takes it as its own credential and removes it); use a url target, or a header of the app's own",
        );
      }
      const res = await target.fetch(base + proxyPath + r.path, init(r));
      const headers = new Headers();
      for (const [name, value] of res.headers) if (name !== 'set-cookie' && name !== 'location') headers.append(name, value);
      const location = res.headers.get('location');
      if (location !== null) headers.set('location', logicalLocation(location, server, unprefix));
      for (const cookie of res.headers.getSetCookie()) headers.append('set-cookie', logicalCookiePath(cookie, unprefix));
      return new Response(NULL_BODY_STATUSES.has(res.status) ? null : res.body, { status: res.status, statusText: res.statusText, headers });
    },
    explain(status, body) {
      const problem = apiServerStatus(body);
      if (problem === undefined) return undefined;
      const rbac = status === 401 || status === 403 ? `; the kubeconfig's user needs RBAC on services/proxy in namespace ${target.namespace}` : '';
      return `the API server answered, not the app: ${problem}${rbac}`;
    },
  };
}

function logicalLocation(location: string, server: URL, unprefix: (path: string) => string | undefined): string {
  let url: URL;
  try {
    url = new URL(location, server);
  } catch {
    return location;
  }
  if (url.host !== server.host) return location;
  const path = unprefix(url.pathname);
  return path === undefined ? location : path + url.search + url.hash;
}

function logicalCookiePath(setCookie: string, unprefix: (path: string) => string | undefined): string {
  return setCookie.replace(/(;\s*path\s*=\s*)([^;]*)/i, (whole, attribute: string, path: string) => {
    const logical = unprefix(path.trim());
    return logical === undefined ? whole : attribute + logical;
  });
}

/** The message of a Kubernetes v1 Status body: the answer came from the API server, not the app. */
function apiServerStatus(body: string): string | undefined {
  if (!body.includes('"Status"')) return undefined;
  try {
    const status = JSON.parse(body) as { kind?: unknown; apiVersion?: unknown; message?: unknown };
    if (status.kind === 'Status' && status.apiVersion === 'v1') return typeof status.message === 'string' ? status.message : 'no message';
  } catch {
    // not JSON: the app's own answer
  }
  return undefined;
}
