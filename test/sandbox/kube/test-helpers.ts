// Waiting on the object store the way a client watches a real API server, for the kubelet and controller tests.
import type { CoreEvent } from './event-recorder.ts';
import type { KubeObject, ObjectStore } from './store.ts';
import type { Container, Pod } from './workload-types.ts';

/** Resolves with the object once `predicate` holds for it; rejects after `timeoutMs` showing the last state. */
export function waitFor<T extends KubeObject>(
  store: ObjectStore,
  type: string,
  namespace: string,
  name: string,
  predicate: (obj: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let last: T | undefined = store.get<T>(type, namespace, name);
    const check = (obj: T | undefined): boolean => {
      if (!obj) return false;
      last = obj;
      try {
        return predicate(obj);
      } catch {
        return false;
      }
    };
    if (check(last)) return resolve(last!);
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${type} ${namespace}/${name} did not reach the expected state in ${timeoutMs} ms; last:\n${JSON.stringify(last?.status ?? last, null, 1)}`));
    }, timeoutMs);
    const stop = store.watch(type, { namespace }, (e) => {
      if (e.object.metadata.name !== name || e.type === 'DELETED') return;
      if (check(e.object as T)) {
        clearTimeout(timer);
        stop();
        resolve(e.object as T);
      }
    });
  });
}

/** Resolves with the first Event about `name` with `reason` (and a message matching `message`). */
export function waitForEvent(
  store: ObjectStore,
  namespace: string,
  name: string,
  reason: string,
  message?: RegExp,
  timeoutMs = 30_000,
): Promise<CoreEvent> {
  const matches = (e: CoreEvent) => e.involvedObject.name === name && e.reason === reason && (!message || message.test(e.message));
  return new Promise((resolve, reject) => {
    const found = store.list<CoreEvent>('events', { namespace }).items.find(matches);
    if (found) return resolve(found);
    const timer = setTimeout(() => {
      stop();
      const seen = eventsAbout(store, namespace, name).map((e) => `${e.reason}: ${e.message}`);
      reject(new Error(`no ${reason} event for ${name} in ${timeoutMs} ms; seen:\n${seen.join('\n')}`));
    }, timeoutMs);
    const stop = store.watch('events', { namespace }, (e) => {
      if (matches(e.object as CoreEvent)) {
        clearTimeout(timer);
        stop();
        resolve(e.object as CoreEvent);
      }
    });
  });
}

export function eventsAbout(store: ObjectStore, namespace: string, name: string): CoreEvent[] {
  return store.list<CoreEvent>('events', { namespace }).items.filter((e) => e.involvedObject.name === name);
}

export function podManifest(name: string, containers: Container[], extra: Partial<Pod['spec']> = {}, namespace = 'default'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers, ...extra } };
}

export const containerStatus = (pod: Pod, name?: string) =>
  (name ? pod.status?.containerStatuses?.find((s) => s.name === name) : pod.status?.containerStatuses?.[0])!;

export const condition = (obj: { status?: unknown }, type: string) =>
  ((obj.status as { conditions?: { type: string; status: string; reason?: string; message?: string }[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === type,
  );
