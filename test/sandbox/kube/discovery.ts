// Discovery documents: /version, the legacy /api and /apis lists, and the aggregated discovery (apidiscovery.k8s.io/v2)
// that kubectl asks for first. Both describe the same table, resources.ts.
import { RESOURCES, VERBS, apiVersionOf, type ResourceInfo } from './resources.ts';

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-sandbox' };

export function versionInfo(): Record<string, string> {
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: KUBE_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

interface Subresource {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

function subresources(info: ResourceInfo): Subresource[] {
  const out: Subresource[] = [];
  if (info.status) out.push({ name: 'status', kind: info.kind, verbs: ['get', 'patch', 'update'] });
  if (info.scale) out.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  if (info.group === '' && info.resource === 'pods') {
    out.push({ name: 'log', kind: 'Pod', verbs: ['get'] });
    out.push({ name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  }
  if (info.group === '' && info.resource === 'services') {
    out.push({ name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  }
  return out;
}

/** The groups in discovery order, each with its one version. */
export function groups(): Array<{ name: string; version: string; resources: ResourceInfo[] }> {
  const out: Array<{ name: string; version: string; resources: ResourceInfo[] }> = [];
  for (const info of RESOURCES) {
    let g = out.find((x) => x.name === info.group);
    if (!g) out.push((g = { name: info.group, version: info.version, resources: [] }));
    g.resources.push(info);
  }
  return out;
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: { name: string; version: string }): Record<string, unknown> {
  const gv = { groupVersion: `${g.name}/${g.version}`, version: g.version };
  return { name: g.name, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().filter((g) => g.name !== '').map(apiGroup) };
}

export function apiGroupDoc(name: string): Record<string, unknown> | undefined {
  const g = groups().find((x) => x.name === name && name !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const g = groups().find((x) => x.name === group && x.version === version);
  if (!g) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const info of g.resources) {
    resources.push({
      name: info.resource,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: VERBS,
      ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
      ...(info.categories.length ? { categories: info.categories } : {}),
    });
    for (const sub of subresources(info)) {
      resources.push({
        name: `${info.resource}/${sub.name}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(sub.group ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether an Accept header asks for aggregated discovery v2 (kubectl >= 1.30 lists it first). */
export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    return params.get('g') === 'apidiscovery.k8s.io' && params.get('v') === 'v2' && params.get('as') === 'APIGroupDiscoveryList';
  });
}

/** The aggregated document for /api (core only) or /apis (every other group). */
export function aggregatedDiscovery(core: boolean): Record<string, unknown> {
  const items = groups()
    .filter((g) => (g.name === '') === core)
    .map((g) => ({
      metadata: { ...(g.name ? { name: g.name } : {}), creationTimestamp: null },
      versions: [
        {
          version: g.version,
          resources: g.resources.map((info) => ({
            resource: info.resource,
            responseKind: { group: info.group, version: info.version, kind: info.kind },
            scope: info.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: info.singular,
            verbs: VERBS,
            ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
            ...(info.categories.length ? { categories: info.categories } : {}),
            ...(subresources(info).length
              ? {
                  subresources: subresources(info).map((sub) => ({
                    subresource: sub.name,
                    responseKind: { group: sub.group ?? info.group, version: sub.version ?? info.version, kind: sub.kind },
                    verbs: sub.verbs,
                  })),
                }
              : {}),
          })),
          freshness: 'Current',
        },
      ],
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
