// What the tracker knows of one kind of object in a namespace: a list, then a watch from the list's version, kept
// as a map the rules can read at any moment. The Cluster resumes a dropped watch (a 410 relists and replays as
// ADDED/MODIFIED), so the map converges on the server's state and the same observation gives the same verdict.

import type { Cluster, KubeObject, ListOptions, Watch, WatchEvent } from '../cluster.ts';

export interface Feed<T> {
  readonly items: () => T[];
  stop(): void;
}

export interface FeedSpec {
  apiVersion: string;
  kind: string;
  namespace: string;
  options?: ListOptions;
  /** Objects that fail this are not kept (old Events, for one). */
  keep?: (o: KubeObject) => boolean;
}

/**
 * Lists, then watches from the list's resourceVersion; `onChange` runs after every event that changed the map.
 * `onError` hears of a watch the Cluster could not resume.
 */
export async function openFeed<T = KubeObject>(
  cluster: Cluster,
  spec: FeedSpec,
  onChange: () => void,
  onError: (err: Error) => void,
): Promise<Feed<T>> {
  const keep = spec.keep ?? (() => true);
  const objects = new Map<string, KubeObject>();
  const listed = await cluster.list(spec.apiVersion, spec.kind, spec.namespace, spec.options);
  for (const o of listed.items) if (keep(o)) objects.set(keyOf(o), o);
  let stopped = false;
  const watch: Watch = await cluster.watch(
    spec.apiVersion,
    spec.kind,
    spec.namespace,
    { ...spec.options, resourceVersion: listed.resourceVersion },
    (e: WatchEvent) => {
      if (stopped || !applyEvent(objects, e, keep)) return;
      onChange();
    },
    (err) => {
      if (!stopped) onError(err);
    },
  );
  return {
    items: () => [...objects.values()] as T[],
    stop() {
      stopped = true;
      watch.stop();
    },
  };
}

/** Applies one watch event to the map; false when nothing changed (an object we do not keep, a stale version). */
export function applyEvent(objects: Map<string, KubeObject>, e: WatchEvent, keep: (o: KubeObject) => boolean = () => true): boolean {
  const key = keyOf(e.object);
  if (e.type === 'DELETED') return objects.delete(key);
  if (!keep(e.object)) return objects.delete(key);
  const known = objects.get(key);
  // A resumed watch replays what the relist found: the same version again is not a change.
  if (known && known.metadata.resourceVersion !== undefined && known.metadata.resourceVersion === e.object.metadata.resourceVersion) return false;
  objects.set(key, e.object);
  return true;
}

function keyOf(o: KubeObject): string {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * The `?labelSelector=` text of a workload's spec.selector, so only its pods (and ReplicaSets, ControllerRevisions:
 * the controllers copy the template labels onto them) are sent. undefined selects everything in the namespace.
 */
export function labelSelectorText(selector: LabelSelector | undefined): string | undefined {
  if (!selector) return undefined;
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    switch (operator) {
      case 'In':
        terms.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        terms.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        terms.push(key);
        break;
      case 'DoesNotExist':
        terms.push(`!${key}`);
        break;
      default:
        throw new Error(`label selector operator "${operator}" on "${key}" is not one of In, NotIn, Exists, DoesNotExist`);
    }
  }
  return terms.length ? terms.join(',') : undefined;
}
