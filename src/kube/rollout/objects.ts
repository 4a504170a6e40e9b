// The few fields of Kubernetes objects the rollout rules read, as plain JSON shapes (what a watch or `kubectl get -o
// json` returns). Deliberately not @kubernetes/client-node's classes: the rules must work on raw JSON and on
// recorded fixtures, and every field is optional because real objects omit zero values.

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastUpdateTime?: string | null;
}

export interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
  httpGet?: { path?: string; port?: number | string; scheme?: string; host?: string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  exec?: { command?: string[] };
}

export interface Container {
  name: string;
  image?: string;
  ports?: { containerPort?: number; name?: string; protocol?: string }[];
  readinessProbe?: Probe;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  /** `Always` on an init container makes it a sidecar: it keeps running and restarts like a regular container. */
  restartPolicy?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface Volume {
  name: string;
  configMap?: { name?: string; optional?: boolean };
  secret?: { secretName?: string; optional?: boolean };
  persistentVolumeClaim?: { claimName?: string };
  projected?: { sources?: { configMap?: { name?: string }; secret?: { name?: string } }[] };
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: string;
  nodeName?: string;
}

export interface ContainerStateTerminated {
  exitCode?: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string | null };
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: PodSpec;
  status?: {
    phase?: string;
    /** Set by the kubelet or the eviction manager when the whole pod failed: `Evicted`, `NodeShutdown`, ... */
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    startTime?: string;
  };
}

interface RollingWorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  conditions?: Condition[];
}

export interface Deployment {
  apiVersion?: string;
  kind: 'Deployment';
  metadata?: ObjectMeta;
  spec?: {
    replicas?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    template?: PodTemplate;
  };
  status?: RollingWorkloadStatus & { unavailableReplicas?: number };
}

export interface ReplicaSet {
  apiVersion?: string;
  kind?: 'ReplicaSet';
  metadata?: ObjectMeta;
  spec?: { replicas?: number; template?: PodTemplate };
  status?: RollingWorkloadStatus & { fullyLabeledReplicas?: number };
}

export interface StatefulSet {
  apiVersion?: string;
  kind: 'StatefulSet';
  metadata?: ObjectMeta;
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    template?: PodTemplate;
  };
  status?: RollingWorkloadStatus & { currentReplicas?: number; currentRevision?: string; updateRevision?: string };
}

export interface DaemonSet {
  apiVersion?: string;
  kind: 'DaemonSet';
  metadata?: ObjectMeta;
  spec?: {
    updateStrategy?: { type?: string };
    /** Only in the old extensions/v1beta1 shape; apps/v1 keeps it in an annotation (see revision.ts). */
    templateGeneration?: number;
    template?: PodTemplate;
  };
  status?: {
    observedGeneration?: number;
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    conditions?: Condition[];
  };
}

export interface Job {
  apiVersion?: string;
  kind: 'Job';
  metadata?: ObjectMeta;
  spec?: { completions?: number; parallelism?: number; backoffLimit?: number; suspend?: boolean; template?: PodTemplate };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    ready?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: Condition[];
  };
}

export interface ControllerRevision {
  apiVersion?: string;
  kind?: 'ControllerRevision';
  metadata?: ObjectMeta;
  revision?: number;
}

/** The workloads a rollout is tracked for. */
export type Workload = Deployment | StatefulSet | DaemonSet | Job;
export type WorkloadKind = Workload['kind'];

/**
 * An Event in either API: core/v1 (`involvedObject`, `message`, `count`, `lastTimestamp`) or events.k8s.io/v1
 * (`regarding`, `note`, `deprecatedCount`, `series`). Use the readers in events.ts rather than the fields.
 */
export interface KubeEvent {
  metadata?: ObjectMeta;
  type?: string;
  reason?: string;
  message?: string;
  note?: string;
  involvedObject?: ObjectReference;
  regarding?: ObjectReference;
  count?: number;
  deprecatedCount?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string | null };
  source?: { component?: string };
  reportingController?: string;
  reportingComponent?: string;
}

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  fieldPath?: string;
}

/** The condition of that type, if the object reports one. */
export function conditionOf(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Milliseconds since the epoch of an API timestamp; undefined for absent or unparseable ones. */
export function timeOf(stamp: string | null | undefined): number | undefined {
  if (!stamp) return undefined;
  const ms = Date.parse(stamp);
  // The kubelet writes 1970-01-01T00:00:00Z for a container that never started (StartError): no real time.
  return Number.isNaN(ms) || ms <= 0 ? undefined : ms;
}

export function isControlledBy(meta: ObjectMeta | undefined, owner: ObjectMeta | undefined, kind: string): boolean {
  const ref = meta?.ownerReferences?.find((r) => r.controller !== false && r.kind === kind);
  if (!ref || !owner) return false;
  // Recorded objects sometimes lack uids; the name is then the best we have.
  return ref.uid && owner.uid ? ref.uid === owner.uid : ref.name === owner.name;
}
