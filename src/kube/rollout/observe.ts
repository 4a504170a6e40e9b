// What the tracker knows of one kind of object in a namespace: a list, then a watch from the list's version, kept
// as a map the rules can read at any moment. The Cluster resumes a dropped watch (a 410 relists and replays as
// ADDED/MODIFIED), so the map converges on the server's state and the same observation gives the same verdict.
// One feed per kind and namespace, shared by every workload tracked there: a deploy of twenty Deployments holds
// four watches, not sixty, and leaves the client's connections free for lookups and logs.

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

/** Feeds shared by key (apiVersion, kind, namespace); every change is reported with the namespace it happened in. */
export class FeedHub {
  readonly #cluster: Cluster;
  readonly #onChange: (namespace: string) => void;
  readonly #onError: (err: Error) => void;
  readonly #feeds = new Map<string, Promise<Feed<KubeObject>>>();
  readonly #open = new Map<string, Feed<KubeObject>>();
  #stopped = false;

  constructor(cluster: Cluster, onChange: (namespace: string) => void, onError: (err: Error) => void) {
    this.#cluster = cluster;
    this.#onChange = onChange;
    this.#onError = onError;
  }

  /** Opens the feed unless it is open (or opening). */
  async open(spec: FeedSpec): Promise<void> {
    const key = feedKey(spec.apiVersion, spec.kind, spec.namespace);
    let feed = this.#feeds.get(key);
    if (!feed) {
      feed = openFeed(this.#cluster, spec, () => this.#onChange(spec.namespace), this.#onError);
      this.#feeds.set(key, feed);
      const opened = await feed;
      if (this.#stopped) opened.stop();
      else this.#open.set(key, opened);
    }
    await feed;
  }

  items<T>(apiVersion: string, kind: string, namespace: string): T[] {
    return (this.#open.get(feedKey(apiVersion, kind, namespace))?.items() ?? []) as T[];
  }

  stop(): void {
    this.#stopped = true;
    for (const feed of this.#open.values()) feed.stop();
    this.#open.clear();
  }
}

function feedKey(apiVersion: string, kind: string, namespace: string): string {
  return `${apiVersion}/${kind}/${namespace}`;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether labels match a selector the way the API server matches them (an absent selector matches nothing). */
export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in l;
    const ok =
      operator === 'In' ? has && values.includes(l[key]!) :
      operator === 'NotIn' ? !has || !values.includes(l[key]!) :
      operator === 'Exists' ? has :
      operator === 'DoesNotExist' ? !has :
      false;
    if (!ok) return false;
  }
  return true;
}
