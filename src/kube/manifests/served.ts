// Kinds the cluster does not serve, asked of discovery right after connecting and before anything is built or
// written. A typo in kind or apiVersion, or a custom resource whose CRD is not installed, would otherwise surface
// at the apply plan, after the deploy lock was taken (and, with a build, after the version tags were pushed).
import { suggestion } from '../../config/suggest.ts';
import type { Problem } from '../../errors.ts';
import type { Cluster } from '../cluster.ts';
import { groupVersionPath, knownResource, resourcesOf, type ApiResourceList } from '../resources.ts';
import { crdScopes } from './kinds.ts';
import type { Manifest } from './validate.ts';

type Served = { served: false } | { served: true; kinds: string[] } | { served: 'unknown' };

/** One problem per object whose apiVersion or kind the API server does not serve; reads discovery only. */
export async function unservedKinds(manifests: readonly Manifest[], cluster: Pick<Cluster, 'request' | 'context'>): Promise<Problem[]> {
  // A custom resource whose CRD is applied in the same run is served only once that CRD is.
  const declared = crdScopes(manifests.map((m) => m.object));
  const discovery = new Map<string, Promise<Served>>();
  const servedIn = (apiVersion: string): Promise<Served> => {
    let pending = discovery.get(apiVersion);
    if (!pending) {
      pending = discover(cluster, apiVersion);
      discovery.set(apiVersion, pending);
    }
    return pending;
  };
  const problems = await Promise.all(
    manifests.map(async ({ object, source }): Promise<Problem | undefined> => {
      const { apiVersion, kind } = object;
      if (knownResource(apiVersion, kind) || declared(apiVersion, kind) !== undefined) return undefined;
      const served = await servedIn(apiVersion);
      const what = `${kind} ${object.metadata.name}`;
      if (served.served === false) {
        return {
          file: source.file,
          line: source.lineOf(['apiVersion']),
          field: 'apiVersion',
          message: `${what}: the API server (context ${cluster.context}) does not serve ${apiVersion}${apiVersion.includes('.') ? ' (is its CustomResourceDefinition installed?)' : ''}`,
        };
      }
      if (served.served === true && !served.kinds.includes(kind)) {
        return {
          file: source.file,
          line: source.lineOf(['kind']),
          field: 'kind',
          message: `${what}: the API server (context ${cluster.context}) has no kind ${kind} in ${apiVersion}${suggestion(kind, served.kinds)}`,
        };
      }
      return undefined;
    }),
  );
  return problems.filter((p): p is Problem => p !== undefined);
}

/** Whether a group/version is served, and its kinds; 'unknown' when discovery cannot say (the apply will). */
async function discover(cluster: Pick<Cluster, 'request'>, apiVersion: string): Promise<Served> {
  try {
    const res = await cluster.request(groupVersionPath(apiVersion), { headers: { accept: 'application/json' } });
    if (res.status === 404) return { served: false };
    if (!res.ok) return { served: 'unknown' };
    return { served: true, kinds: [...resourcesOf((await res.json()) as ApiResourceList).keys()] };
  } catch {
    return { served: 'unknown' };
  }
}
