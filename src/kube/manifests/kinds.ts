// What rollgate knows about built-in kinds without asking a server: whether objects of a kind live in a
// namespace, and in which apply group they go. Keyed by API group and kind, so a custom resource that happens to
// be called `Deployment` is not taken for one.
import type { KubeObject } from '../cluster.ts';

/** The apply groups, in the order they are applied. */
export const APPLY_GROUPS = ['namespaces', 'crds', 'access', 'config', 'storage', 'services', 'workloads', 'rest'] as const;
export type ApplyGroupName = (typeof APPLY_GROUPS)[number];

interface KindInfo {
  namespaced: boolean;
  group: ApplyGroupName;
}

const cluster = (group: ApplyGroupName = 'rest'): KindInfo => ({ namespaced: false, group });
const namespaced = (group: ApplyGroupName = 'rest'): KindInfo => ({ namespaced: true, group });

const RBAC = 'rbac.authorization.k8s.io';

/**
 * `<api group>/<kind>` ('' for the core group). ResourceQuota, LimitRange and PriorityClass go with the access
 * objects: admission reads them when pods are created, so they must exist before the workloads.
 */
const KINDS: Readonly<Record<string, KindInfo>> = {
  '/Namespace': cluster('namespaces'),
  'apiextensions.k8s.io/CustomResourceDefinition': cluster('crds'),

  '/ServiceAccount': namespaced('access'),
  [`${RBAC}/Role`]: namespaced('access'),
  [`${RBAC}/RoleBinding`]: namespaced('access'),
  [`${RBAC}/ClusterRole`]: cluster('access'),
  [`${RBAC}/ClusterRoleBinding`]: cluster('access'),
  '/ResourceQuota': namespaced('access'),
  '/LimitRange': namespaced('access'),
  'scheduling.k8s.io/PriorityClass': cluster('access'),

  '/ConfigMap': namespaced('config'),
  '/Secret': namespaced('config'),

  'storage.k8s.io/StorageClass': cluster('storage'),
  '/PersistentVolume': cluster('storage'),
  '/PersistentVolumeClaim': namespaced('storage'),

  '/Service': namespaced('services'),

  'apps/Deployment': namespaced('workloads'),
  'apps/StatefulSet': namespaced('workloads'),
  'apps/DaemonSet': namespaced('workloads'),
  'apps/ReplicaSet': namespaced('workloads'),
  'batch/Job': namespaced('workloads'),
  'batch/CronJob': namespaced('workloads'),
  '/Pod': namespaced('workloads'),
  '/ReplicationController': namespaced('workloads'),

  // The rest: only the scope matters.
  '/Node': cluster(),
  '/Endpoints': namespaced(),
  '/Event': namespaced(),
  '/PodTemplate': namespaced(),
  'apps/ControllerRevision': namespaced(),
  'autoscaling/HorizontalPodAutoscaler': namespaced(),
  'policy/PodDisruptionBudget': namespaced(),
  'networking.k8s.io/Ingress': namespaced(),
  'networking.k8s.io/IngressClass': cluster(),
  'networking.k8s.io/NetworkPolicy': namespaced(),
  'discovery.k8s.io/EndpointSlice': namespaced(),
  'coordination.k8s.io/Lease': namespaced(),
  'events.k8s.io/Event': namespaced(),
  'node.k8s.io/RuntimeClass': cluster(),
  'storage.k8s.io/CSIDriver': cluster(),
  'storage.k8s.io/CSINode': cluster(),
  'storage.k8s.io/VolumeAttachment': cluster(),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': cluster(),
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': cluster(),
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': cluster(),
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': cluster(),
  'apiregistration.k8s.io/APIService': cluster(),
  'certificates.k8s.io/CertificateSigningRequest': cluster(),
  'flowcontrol.apiserver.k8s.io/FlowSchema': cluster(),
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': cluster(),
};

/** The API group of an apiVersion: '' for `v1`, `apps` for `apps/v1`. */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `apps/Deployment`, `/ConfigMap`: the key of a kind, versions aside. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiGroupOf(apiVersion)}/${kind}`;
}

/** Whether a kind is one of the built-ins this table knows (by group, any version). */
export function isKnownKind(apiVersion: string, kind: string): boolean {
  return KINDS[kindKey(apiVersion, kind)] !== undefined;
}

export function applyGroupOf(object: Pick<KubeObject, 'apiVersion' | 'kind'>): ApplyGroupName {
  return KINDS[kindKey(object.apiVersion, object.kind)]?.group ?? 'rest';
}

/**
 * Whether objects of a kind live in a namespace, from the table, then the CRDs declared alongside, then what the
 * caller learnt elsewhere (discovery); undefined when nobody knows (the caller decides, usually "namespaced").
 */
export type ScopeLookup = (apiVersion: string, kind: string) => boolean | undefined;

export function builtinScope(apiVersion: string, kind: string): boolean | undefined {
  return KINDS[kindKey(apiVersion, kind)]?.namespaced;
}

/** Scopes declared by CustomResourceDefinitions among the manifests (`spec.scope: Namespaced | Cluster`). */
export function crdScopes(objects: readonly KubeObject[]): ScopeLookup {
  const scopes = new Map<string, boolean>();
  for (const o of objects) {
    if (kindKey(o.apiVersion, o.kind) !== 'apiextensions.k8s.io/CustomResourceDefinition') continue;
    const spec = o.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string') continue;
    scopes.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return (apiVersion, kind) => scopes.get(kindKey(apiVersion, kind));
}

/** The first lookup that knows wins. */
export function combineScopes(...lookups: ScopeLookup[]): ScopeLookup {
  return (apiVersion, kind) => {
    for (const lookup of lookups) {
      const known = lookup(apiVersion, kind);
      if (known !== undefined) return known;
    }
    return undefined;
  };
}
