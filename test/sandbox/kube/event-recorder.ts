// Events as client-go's recorder writes them (core/v1, one object per distinct message, `count` and
// `lastTimestamp` bumped when the same thing happens again), so `kubectl describe` shows "(x3 over 24s)".
import { timestamp, type KubeObject, type ObjectStore } from './store.ts';

export interface EventSource {
  /** 'kubelet', 'default-scheduler', 'deployment-controller', ... */
  component: string;
  /** The node name for the kubelet; absent for controllers. */
  host?: string;
}

export type EventType = 'Normal' | 'Warning';

export interface CoreEvent extends KubeObject {
  involvedObject: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    fieldPath?: string;
  };
  reason: string;
  message: string;
  type: EventType;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source: EventSource;
  reportingComponent: string;
  reportingInstance: string;
}

export class EventRecorder {
  readonly #store: ObjectStore;
  readonly #source: EventSource;
  /** Aggregation key -> event name, as client-go's EventCorrelator keeps it (in memory, per recorder). */
  readonly #seen = new Map<string, string>();

  constructor(store: ObjectStore, source: EventSource) {
    this.#store = store;
    this.#source = source;
  }

  /** Records `reason`/`message` about `obj`; `fieldPath` names a container: 'spec.containers{web}'. */
  event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const meta = obj.metadata;
    const namespace = meta.namespace || 'default';
    const involvedObject = {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    };
    const key = [this.#source.component, this.#source.host, obj.kind, namespace, meta.name, meta.uid, fieldPath, type, reason, message].join('\u0000');
    const now = timestamp();
    const existing = this.#seen.get(key);
    if (existing && this.#store.get('events', namespace, existing)) {
      this.#store.mutate<CoreEvent>('events', namespace, existing, (e) => {
        e.count = (e.count ?? 1) + 1;
        e.lastTimestamp = now;
      });
      return;
    }
    const name = `${meta.name}.${uniqueHex()}`;
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: this.#source,
      reportingComponent: this.#source.component,
      reportingInstance: this.#source.host ?? '',
    };
    this.#store.create('events', event);
    this.#seen.set(key, name);
  }
}

let lastNano = 0n;

/** client-go names events `<object>.<UnixNano in hex>`; strictly increasing here so two in one tick differ. */
function uniqueHex(): string {
  let nano = BigInt(Date.now()) * 1_000_000n;
  if (nano <= lastNano) nano = lastNano + 1n;
  lastNano = nano;
  return nano.toString(16);
}
