// Synthetic objects shaped like a real cluster's: a Deployment `invoice-dev/web` rolling from revision 1 to 2,
// its ReplicaSets and pods, and kubelet/scheduler events worded as their sources word them.
import type {
  Condition,
  Container,
  ContainerStatus,
  Deployment,
  KubeEvent,
  Pod,
  ReplicaSet,
} from '../../../src/kube/rollout/objects.ts';

/** When the rollout was applied. */
export const T0 = Date.parse('2026-03-10T09:00:00Z');
export const at = (ms: number) => new Date(T0 + ms).toISOString();

export const NS = 'invoice-dev';
export const DEPLOYMENT_UID = '5a1d2c3b-0000-4000-8000-00000000d001';
export const NEW_HASH = '7d9c4b8f6d';
export const OLD_HASH = '5f6b8c9d7e';
export const IMAGE = 'us-docker.pkg.dev/acme/apps/invoice:dev@sha256:3f1c9e2b7a5d4c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a';

export function webContainer(overrides: Partial<Container> = {}): Container {
  return {
    name: 'web',
    image: IMAGE,
    ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
    readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1, successThreshold: 1 },
    resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '256Mi' } },
    ...overrides,
  };
}

export function deployment(overrides: { status?: Deployment['status']; spec?: Partial<NonNullable<Deployment['spec']>>; generation?: number } = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: NS,
      uid: DEPLOYMENT_UID,
      generation: overrides.generation ?? 2,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas: 3,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [webContainer()] } },
      ...overrides.spec,
    },
    status: overrides.status ?? {
      observedGeneration: 2,
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: at(-3_600_000) },
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "web-${NEW_HASH}" is progressing.`, lastTransitionTime: at(1_000) },
      ],
    },
  };
}

export function replicaSet(hash: string, revision: string, conditions?: Condition[]): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`,
      namespace: NS,
      uid: `rs-${hash}`,
      creationTimestamp: at(revision === '2' ? 500 : -86_400_000),
      labels: { app: 'web', 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: DEPLOYMENT_UID, controller: true }],
    },
    spec: { replicas: 1, template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: { containers: [webContainer()] } } },
    status: { replicas: 1, ...(conditions ? { conditions } : {}) },
  };
}

export const replicaSets = () => [replicaSet(OLD_HASH, '1'), replicaSet(NEW_HASH, '2')];

export interface PodOptions {
  hash?: string;
  suffix?: string;
  container?: Partial<ContainerStatus>;
  spec?: Partial<Container>;
  conditions?: Condition[];
  phase?: string;
  created?: number;
  extra?: Partial<Pod>;
}

/** A pod of the new ReplicaSet (or the old one with hash: OLD_HASH). */
export function pod(o: PodOptions = {}): Pod {
  const hash = o.hash ?? NEW_HASH;
  const name = `web-${hash}-${o.suffix ?? 'x7k2p'}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      uid: `pod-${name}`,
      creationTimestamp: at(o.created ?? 1_000),
      labels: { app: 'web', 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, uid: `rs-${hash}`, controller: true }],
      ...o.extra?.metadata,
    },
    spec: { containers: [webContainer(o.spec)], restartPolicy: 'Always', nodeName: 'gke-pool-1-a', ...o.extra?.spec },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.conditions ?? [{ type: 'PodScheduled', status: 'True', lastTransitionTime: at(1_100) }],
      containerStatuses: [{ name: 'web', image: IMAGE, ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } }, ...o.container }],
      ...o.extra?.status,
    },
  };
}

export function readyPod(o: PodOptions = {}): Pod {
  return pod({
    ...o,
    container: { ready: true, started: true, state: { running: { startedAt: at(3_000) } }, ...o.container },
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at(1_100) },
      { type: 'Ready', status: 'True', lastTransitionTime: at(5_000) },
    ],
  });
}

/** A core/v1 Event the way the kubelet or scheduler records it. */
export function event(
  p: Pod,
  reason: string,
  message: string,
  o: { at?: number; count?: number; type?: string; container?: string; component?: string } = {},
): KubeEvent {
  const time = at(o.at ?? 2_000);
  return {
    metadata: { name: `${p.metadata!.name}.${reason.toLowerCase()}`, namespace: NS },
    involvedObject: {
      kind: 'Pod',
      namespace: NS,
      name: p.metadata!.name!,
      uid: p.metadata!.uid!,
      ...(o.container ? { fieldPath: `spec.containers{${o.container}}` } : {}),
    },
    reason,
    message,
    type: o.type ?? 'Warning',
    count: o.count ?? 1,
    firstTimestamp: time,
    lastTimestamp: time,
    source: { component: o.component ?? 'kubelet' },
  };
}
