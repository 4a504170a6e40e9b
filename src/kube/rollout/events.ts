// Reading Events the same way whichever API served them (core/v1 or events.k8s.io/v1), and picking the ones about
// one pod or one container.

import { timeOf, type KubeEvent, type ObjectMeta, type ObjectReference } from './objects.ts';
import type { EventSummary } from './verdict.ts';

export function eventSubject(e: KubeEvent): ObjectReference | undefined {
  return e.involvedObject ?? e.regarding;
}

export function eventMessage(e: KubeEvent): string {
  return e.message ?? e.note ?? '';
}

/** When the event last happened: the newest occurrence of a series, else its single timestamp. */
export function eventTime(e: KubeEvent): number | undefined {
  return (
    timeOf(e.series?.lastObservedTime) ??
    timeOf(e.lastTimestamp) ??
    timeOf(e.deprecatedLastTimestamp) ??
    timeOf(e.eventTime) ??
    timeOf(e.firstTimestamp) ??
    timeOf(e.deprecatedFirstTimestamp) ??
    timeOf(e.metadata?.creationTimestamp)
  );
}

/** How many times it happened (the API folds repeats into one Event with a count). */
export function eventCount(e: KubeEvent): number {
  return Math.max(1, e.series?.count ?? e.count ?? e.deprecatedCount ?? 1);
}

/** The container an event is about, from `fieldPath: spec.containers{web}` (or initContainers). */
export function eventContainer(e: KubeEvent): string | undefined {
  const path = eventSubject(e)?.fieldPath;
  return path ? /^spec\.(?:init|ephemeral)?[cC]ontainers\{(.+)\}$/.exec(path)?.[1] : undefined;
}

export function isAbout(e: KubeEvent, kind: string, meta: ObjectMeta | undefined): boolean {
  const s = eventSubject(e);
  if (!s || !meta || s.kind !== kind || s.name !== meta.name) return false;
  if (s.namespace && meta.namespace && s.namespace !== meta.namespace) return false;
  // Same name, other uid: an event about an earlier object of that name (a pod of a StatefulSet re-created).
  return !(s.uid && meta.uid && s.uid !== meta.uid);
}

/** Newest first; events without a time last. */
export function newestFirst(events: readonly KubeEvent[]): KubeEvent[] {
  return [...events].sort((a, b) => (eventTime(b) ?? -Infinity) - (eventTime(a) ?? -Infinity));
}

export function eventsAbout(events: readonly KubeEvent[], kind: string, meta: ObjectMeta | undefined): KubeEvent[] {
  return newestFirst(events.filter((e) => isAbout(e, kind, meta)));
}

export function summarize(e: KubeEvent): EventSummary {
  const s = eventSubject(e);
  const at = eventTime(e);
  return {
    object: `${s?.kind ?? '?'}/${s?.name ?? '?'}`,
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: eventMessage(e),
    count: eventCount(e),
    ...(at !== undefined ? { at: new Date(at).toISOString() } : {}),
  };
}
