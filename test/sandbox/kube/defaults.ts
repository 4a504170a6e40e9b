// The defaults a real API server fills in on every write (SetDefaults_* in k8s.io/kubernetes/pkg/apis/*/v1), for
// the fields controllers and rollgate read. Defaulting runs on the result of every write, so applying the same
// manifest twice compares equal and is not written again, as in Kubernetes.
import type { KubeObject } from './store.ts';
import { isPlainObject } from './list-types.ts';

type Obj = Record<string, unknown>;

function obj(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (isPlainObject(v)) return v;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

function set(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

const defaulters: Record<string, (o: KubeObject) => void> = {
  pods: (o) => {
    const spec = obj(o, 'spec');
    defaultPodSpec(spec);
    // What admission adds to every pod (ServiceAccount, DefaultTolerationSeconds, Priority).
    set(spec, 'serviceAccountName', 'default');
    set(spec, 'serviceAccount', spec.serviceAccountName);
    set(spec, 'enableServiceLinks', true);
    set(spec, 'priority', 0);
    set(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    set(spec, 'tolerations', [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  },
  services: defaultService,
  namespaces: (o) => {
    set(obj(o, 'spec'), 'finalizers', ['kubernetes']);
    const labels = (o.metadata.labels ??= {});
    labels['kubernetes.io/metadata.name'] = o.metadata.name ?? '';
  },
  secrets: (o) => {
    // stringData is write-only, as on a real server (the v1 -> internal conversion): merged into data as base64,
    // winning over a data key of the same name, and never stored or returned, dry runs included.
    if (isPlainObject(o.stringData) && Object.keys(o.stringData).length > 0) {
      const data = obj(o, 'data');
      for (const [key, value] of Object.entries(o.stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    }
    delete o.stringData;
    set(o, 'type', 'Opaque');
  },
  'deployments.apps': (o) => {
    const spec = obj(o, 'spec');
    set(spec, 'replicas', 1);
    const strategy = obj(spec, 'strategy');
    set(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = obj(strategy, 'rollingUpdate');
      set(ru, 'maxUnavailable', '25%');
      set(ru, 'maxSurge', '25%');
    }
    set(spec, 'revisionHistoryLimit', 10);
    set(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  },
  'replicasets.apps': (o) => {
    const spec = obj(o, 'spec');
    set(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  'statefulsets.apps': (o) => {
    const spec = obj(o, 'spec');
    set(spec, 'replicas', 1);
    set(spec, 'podManagementPolicy', 'OrderedReady');
    const us = obj(spec, 'updateStrategy');
    set(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') set(obj(us, 'rollingUpdate'), 'partition', 0);
    set(spec, 'revisionHistoryLimit', 10);
    set(obj(spec, 'persistentVolumeClaimRetentionPolicy'), 'whenDeleted', 'Retain');
    set(obj(spec, 'persistentVolumeClaimRetentionPolicy'), 'whenScaled', 'Retain');
    defaultTemplate(spec);
  },
  'daemonsets.apps': (o) => {
    const spec = obj(o, 'spec');
    const us = obj(spec, 'updateStrategy');
    set(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') {
      const ru = obj(us, 'rollingUpdate');
      set(ru, 'maxUnavailable', 1);
      set(ru, 'maxSurge', 0);
    }
    set(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  },
  'jobs.batch': (o) => {
    const spec = obj(o, 'spec');
    set(spec, 'completions', 1);
    set(spec, 'parallelism', 1);
    set(spec, 'backoffLimit', 6);
    set(spec, 'completionMode', 'NonIndexed');
    set(spec, 'suspend', false);
    set(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
    const uid = o.metadata.uid;
    // The Job's selector is generated from its uid (batch.kubernetes.io/controller-uid), as the real registry does.
    if (uid && !spec.selector) {
      spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      const template = obj(spec, 'template');
      const labels = (obj(template, 'metadata').labels ??= {}) as Record<string, string>;
      labels['batch.kubernetes.io/controller-uid'] = uid;
      labels['batch.kubernetes.io/job-name'] = o.metadata.name ?? '';
      labels['controller-uid'] = uid;
      labels['job-name'] = o.metadata.name ?? '';
    }
    const tspec = obj(obj(spec, 'template'), 'spec');
    defaultPodSpec(tspec);
  },
};

/** Fills defaults in place for a resource type ('deployments.apps'); other types are left alone. */
export function applyDefaults(type: string, o: KubeObject): void {
  defaulters[type]?.(o);
}

function defaultTemplate(spec: Obj): void {
  const template = obj(spec, 'template');
  obj(template, 'metadata');
  defaultPodSpec(obj(template, 'spec'));
}

function defaultPodSpec(spec: Obj): void {
  set(spec, 'restartPolicy', 'Always');
  set(spec, 'terminationGracePeriodSeconds', 30);
  set(spec, 'dnsPolicy', 'ClusterFirst');
  set(spec, 'schedulerName', 'default-scheduler');
  set(spec, 'securityContext', {});
  for (const list of ['initContainers', 'containers']) {
    const containers = spec[list];
    if (Array.isArray(containers)) for (const c of containers) if (isPlainObject(c)) defaultContainer(c);
  }
  const volumes = spec.volumes;
  if (Array.isArray(volumes)) {
    for (const v of volumes) {
      if (!isPlainObject(v)) continue;
      if (isPlainObject(v.configMap)) set(v.configMap, 'defaultMode', 420);
      if (isPlainObject(v.secret)) set(v.secret, 'defaultMode', 420);
    }
  }
}

function defaultContainer(c: Obj): void {
  set(c, 'terminationMessagePath', '/dev/termination-log');
  set(c, 'terminationMessagePolicy', 'File');
  set(c, 'resources', {});
  set(c, 'imagePullPolicy', pullPolicyFor(String(c.image ?? '')));
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) set(p, 'protocol', 'TCP');
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const p = c[probe];
    if (!isPlainObject(p)) continue;
    set(p, 'timeoutSeconds', 1);
    set(p, 'periodSeconds', 10);
    set(p, 'successThreshold', 1);
    set(p, 'failureThreshold', 3);
    if (isPlainObject(p.httpGet)) set(p.httpGet, 'scheme', 'HTTP');
  }
  const env = c.env;
  if (Array.isArray(env)) {
    for (const e of env) {
      if (isPlainObject(e) && isPlainObject(e.valueFrom) && isPlainObject(e.valueFrom.fieldRef)) set(e.valueFrom.fieldRef, 'apiVersion', 'v1');
    }
  }
}

/** `Always` for :latest or no tag, else `IfNotPresent` (a digest counts as a tag). */
function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultService(o: KubeObject): void {
  const spec = obj(o, 'spec');
  set(spec, 'type', 'ClusterIP');
  set(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    set(spec, 'ipFamilies', ['IPv4']);
    set(spec, 'ipFamilyPolicy', 'SingleStack');
    set(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isPlainObject(p)) continue;
      set(p, 'protocol', 'TCP');
      set(p, 'targetPort', p.port);
    }
  }
}

/** The status a freshly created object of a type with a status subresource starts with. */
export function initialStatus(type: string, o: KubeObject): Obj {
  if (type === 'pods') return { phase: 'Pending', qosClass: qosClass(o) };
  if (type === 'namespaces') return { phase: 'Active' };
  if (type === 'services') return { loadBalancer: {} };
  if (type === 'persistentvolumeclaims') return { phase: 'Pending' };
  return {};
}

/** BestEffort without requests or limits, Guaranteed when every container's limits equal its requests. */
function qosClass(o: KubeObject): string {
  const spec = isPlainObject(o.spec) ? o.spec : {};
  const containers = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers as Obj[]) {
    const res = isPlainObject(c.resources) ? c.resources : {};
    const limits = (isPlainObject(res.limits) ? res.limits : {}) as Record<string, string>;
    const requests = { ...limits, ...((isPlainObject(res.requests) ? res.requests : {}) as Record<string, string>) };
    if (Object.keys(limits).length || Object.keys(requests).length) any = true;
    for (const r of ['cpu', 'memory']) if (!limits[r] || limits[r] !== requests[r]) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
