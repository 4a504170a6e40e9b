// The Cluster seam: everything rollgate asks of a Kubernetes API server. One implementation talks to a real
// server (src/kube/client.ts: @kubernetes/client-node's KubeConfig for auth only; reads, watches and the
// server-side apply PATCH are our own JSON over HTTPS, because client-node's models drop unknown fields).
// Stages take a Cluster, so they are tested against the sandbox's API emulator exactly as against GKE.

/** Any Kubernetes object as JSON. Fields rollgate does not know are kept byte for byte. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Names one object. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export interface WatchOptions extends ListOptions {
  /** Start after this version (from a list); the watch resumes from the last seen version when it drops. */
  resourceVersion?: string;
}

export interface Watch {
  /** Stops the watch; no event is delivered after this returns. */
  stop(): void;
}

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  /** `All`: the server validates and returns the result without persisting (for the diff preview). */
  dryRun?: boolean;
}

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
}

export interface Cluster {
  /** The API server URL and the kubeconfig context in use (what the cluster guard checks). */
  readonly server: string;
  readonly context: string;
  /** undefined when the object (or its namespace) does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, namespace: string | undefined, options?: ListOptions): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /**
   * Watches a kind in a namespace. Events arrive in order; a dropped connection is resumed from the last
   * resourceVersion seen (a 410 Gone relists and replays as ADDED/MODIFIED). `onError` only hears of failures
   * that cannot be resumed.
   */
  watch(apiVersion: string, kind: string, namespace: string | undefined, options: WatchOptions, onEvent: (e: WatchEvent) => void, onError: (err: Error) => void): Promise<Watch>;
  /** Server-side apply (application/apply-patch+yaml) of the object as given. */
  apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /** Deletes; resolves when the API accepted it (not when it is gone). A missing object is not an error. */
  delete(ref: ObjectRef, options?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }): Promise<void>;
  /** Replaces an object guarded by its resourceVersion (Leases); a 409 Conflict rejects with ConflictError. */
  replace(object: KubeObject): Promise<KubeObject>;
  create(object: KubeObject): Promise<KubeObject>;
  podLogs(namespace: string, pod: string, options?: LogOptions): Promise<string>;
  /** A raw request to a path of the API server (the service proxy, discovery), authenticated. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

export function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
  };
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
