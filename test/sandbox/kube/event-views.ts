// events.k8s.io/v1 Events are core/v1 Events seen through other field names, as in a real server, where both APIs
// serve the same stored objects. The emulator stores the core form and converts on the way in and out.
import type { KubeObject } from './store.ts';

const RENAMES: Array<[core: string, events: string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];

const SHARED = ['metadata', 'eventTime', 'series', 'reportingInstance', 'action', 'reason', 'related', 'type'];

function rename(from: KubeObject, pairs: Array<[string, string]>, apiVersion: string): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: from.metadata };
  for (const key of SHARED) if (from[key] !== undefined && key !== 'metadata') out[key] = from[key];
  for (const [a, b] of pairs) if (from[a] !== undefined) out[b] = from[a];
  return out;
}

export function coreToEventsV1(core: KubeObject): KubeObject {
  const out = rename(core, RENAMES, 'events.k8s.io/v1');
  // The series of a core Event has its count in `count`; events.k8s.io/v1 keeps it in series.count as well.
  out.eventTime ??= null;
  return out;
}

export function eventsV1ToCore(ev: KubeObject): KubeObject {
  return rename(
    ev,
    RENAMES.map(([a, b]) => [b, a]),
    'v1',
  );
}

/** The field a selector on events.k8s.io/v1 names, in the core form the selector is evaluated on. */
export function coreFieldName(field: string): string {
  for (const [core, events] of RENAMES) {
    if (field === events) return core;
    if (field.startsWith(`${events}.`)) return core + field.slice(events.length);
  }
  return field;
}
