// The resource types the Kubernetes API emulator serves, as a real API server's discovery describes them.
// A resource type is named the way kubectl names it: `<plural>` for the core group, `<plural>.<group>` otherwise
// ('pods', 'deployments.apps', 'leases.coordination.k8s.io'). The store, the API server and the controllers all
// use that name.

export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural, lower case: the path segment. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Has a `/status` subresource: writes to the main resource leave status alone and vice versa. */
  status: boolean;
  /** Has a `/scale` subresource (autoscaling/v1 Scale). */
  scale: boolean;
  /** metadata.generation is kept and bumps whenever anything but metadata and status changes. */
  generation: boolean;
  /** Stored as another resource type and converted on the way in and out (events.k8s.io Events are core Events). */
  storedAs?: string;
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(
  group: string,
  version: string,
  kind: string,
  resource: string,
  o: Partial<Pick<ResourceInfo, 'namespaced' | 'shortNames' | 'categories' | 'status' | 'scale' | 'generation' | 'storedAs'>> = {},
): ResourceInfo {
  return {
    group,
    version,
    kind,
    resource,
    singular: kind.toLowerCase(),
    namespaced: o.namespaced ?? true,
    shortNames: o.shortNames ?? [],
    categories: o.categories ?? [],
    status: o.status ?? false,
    scale: o.scale ?? false,
    generation: o.generation ?? false,
    ...(o.storedAs ? { storedAs: o.storedAs } : {}),
  };
}

const workload = { status: true, generation: true, categories: ['all'] };

/** In the order a real server lists them in discovery (the core group first, which kubectl relies on for 'events'). */
export const RESOURCES: readonly ResourceInfo[] = [
  r('', 'v1', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], status: true }),
  r('', 'v1', 'Node', 'nodes', { namespaced: false, shortNames: ['no'], status: true }),
  r('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  r('', 'v1', 'Secret', 'secrets'),
  r('', 'v1', 'Service', 'services', { shortNames: ['svc'], status: true, categories: ['all'] }),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  r('', 'v1', 'Pod', 'pods', { shortNames: ['po'], status: true, categories: ['all'] }),
  r('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  r('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { shortNames: ['pvc'], status: true }),
  r('apps', 'v1', 'Deployment', 'deployments', { ...workload, shortNames: ['deploy'], scale: true }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', { ...workload, shortNames: ['rs'], scale: true }),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', { ...workload, shortNames: ['sts'], scale: true }),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', { ...workload, shortNames: ['ds'] }),
  r('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  r('batch', 'v1', 'Job', 'jobs', { ...workload }),
  r('batch', 'v1', 'CronJob', 'cronjobs', { ...workload, shortNames: ['cj'] }),
  r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    status: true,
    categories: ['all'],
  }),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', { shortNames: ['pdb'], status: true, generation: true }),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { shortNames: ['ing'], status: true, generation: true }),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', { shortNames: ['netpol'], generation: true }),
  r('events.k8s.io', 'v1', 'Event', 'events', { shortNames: ['ev'], storedAs: 'events' }),
];

/** 'deployments.apps' for apps/deployments, 'pods' for core pods. */
export function typeName(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

const byType = new Map(RESOURCES.map((info) => [typeName(info), info]));

/** The resource a type name ('deployments.apps') stands for, or undefined. */
export function resourceInfo(type: string): ResourceInfo | undefined {
  return byType.get(type);
}

/** The resource type of an object of `apiVersion` and `kind` (ownerReferences, manifests), or undefined. */
export function typeOfKind(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const info = RESOURCES.find((i) => i.group === group && i.version === version && i.kind === kind);
  return info ? typeName(info) : undefined;
}

export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
