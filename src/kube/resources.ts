// Kind -> REST path. The kinds rollgate applies every day are in a table; anything else (CRDs, newer groups) is
// found through discovery of its group/version, once per run.

export interface ResourceType {
  /** The plural resource name in URLs: `deployments`. */
  resource: string;
  namespaced: boolean;
}

const CORE: Record<string, Record<string, ResourceType>> = {};
function known(apiVersion: string, namespaced: boolean, kinds: Record<string, string>): void {
  const table = (CORE[apiVersion] ??= {});
  for (const [kind, resource] of Object.entries(kinds)) table[kind] = { resource, namespaced };
}
known('v1', true, {
  ConfigMap: 'configmaps', Secret: 'secrets', Service: 'services', ServiceAccount: 'serviceaccounts', Pod: 'pods',
  PersistentVolumeClaim: 'persistentvolumeclaims', Event: 'events', Endpoints: 'endpoints', LimitRange: 'limitranges',
  ResourceQuota: 'resourcequotas', ReplicationController: 'replicationcontrollers', PodTemplate: 'podtemplates',
});
known('v1', false, { Namespace: 'namespaces', Node: 'nodes', PersistentVolume: 'persistentvolumes' });
known('apps/v1', true, {
  Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', ReplicaSet: 'replicasets',
  ControllerRevision: 'controllerrevisions',
});
known('batch/v1', true, { Job: 'jobs', CronJob: 'cronjobs' });
known('coordination.k8s.io/v1', true, { Lease: 'leases' });
known('events.k8s.io/v1', true, { Event: 'events' });
known('networking.k8s.io/v1', true, { Ingress: 'ingresses', NetworkPolicy: 'networkpolicies' });
known('networking.k8s.io/v1', false, { IngressClass: 'ingressclasses' });
known('discovery.k8s.io/v1', true, { EndpointSlice: 'endpointslices' });
known('policy/v1', true, { PodDisruptionBudget: 'poddisruptionbudgets' });
known('autoscaling/v2', true, { HorizontalPodAutoscaler: 'horizontalpodautoscalers' });
known('autoscaling/v1', true, { HorizontalPodAutoscaler: 'horizontalpodautoscalers' });
known('rbac.authorization.k8s.io/v1', true, { Role: 'roles', RoleBinding: 'rolebindings' });
known('rbac.authorization.k8s.io/v1', false, { ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings' });
known('apiextensions.k8s.io/v1', false, { CustomResourceDefinition: 'customresourcedefinitions' });
known('storage.k8s.io/v1', false, { StorageClass: 'storageclasses' });
known('scheduling.k8s.io/v1', false, { PriorityClass: 'priorityclasses' });

export function knownResource(apiVersion: string, kind: string): ResourceType | undefined {
  return CORE[apiVersion]?.[kind];
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * The URL path of a collection (no name) or of one object. A namespaced kind without a namespace means every
 * namespace (lists and watches only); a cluster-scoped kind ignores the namespace.
 */
export function resourcePath(apiVersion: string, type: ResourceType, namespace: string | undefined, name?: string, subresource?: string): string {
  let path = groupVersionPath(apiVersion);
  if (type.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${type.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** The entries of a metav1.APIResourceList, as discovery answers. */
export interface ApiResourceList {
  groupVersion?: string;
  resources?: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/** Kind -> resource from a discovery document; subresources (`deployments/status`) are not kinds of their own. */
export function resourcesOf(list: ApiResourceList): Map<string, ResourceType> {
  const byKind = new Map<string, ResourceType>();
  for (const r of list.resources ?? []) {
    if (r.name.includes('/') || byKind.has(r.kind)) continue;
    byKind.set(r.kind, { resource: r.name, namespaced: r.namespaced });
  }
  return byKind;
}
