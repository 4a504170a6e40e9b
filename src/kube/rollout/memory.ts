// What the rules remember between two observations of the same rollout. A snapshot cannot tell a first pull
// failure from a fifth, or a restart from last week from one a minute ago; the tracker keeps this plain object and
// hands it back on every judgement. judgeWorkload() never changes the one it is given.

import type { ObjectToConfirm } from './verdict.ts';

export interface ContainerMemory {
  /** ms of the first observation of each waiting/terminated reason: a signalAt when the API gives no time. */
  firstSeen: Record<string, number>;
  /** restartCount when first seen, for pods that existed before this rollout began. */
  restartBaseline?: number;
  /** Image pull attempts seen failing (ErrImagePull entered, or a back-off we saw without its failure). */
  pullFailures: number;
  /** The waiting reason at the previous observation, to count entries into ErrImagePull once each. */
  lastWaiting?: string;
  /** The newest pull error text we saw; ImagePullBackOff of older kubelets carries none. */
  pullCause?: string;
}

export interface LookupAnswer {
  missing: boolean;
  checkedAt: number;
}

export interface RolloutMemory {
  /** Keyed by `<pod uid or name>/<container>`. */
  containers: Record<string, ContainerMemory>;
  /** Answers to needs-confirmation verdicts, keyed by lookupKey(). */
  lookups: Record<string, LookupAnswer>;
}

export function emptyMemory(): RolloutMemory {
  return { containers: {}, lookups: {} };
}

export function lookupKey(o: ObjectToConfirm): string {
  return `${o.kind}/${o.namespace}/${o.name}${o.key ? `#${o.key}` : ''}`;
}

/**
 * The tracker's answer to a needs-confirmation verdict: `missing` is true when the object (or, with a key, the
 * key in it) does not exist. Returns a new memory.
 */
export function recordLookup(memory: RolloutMemory, object: ObjectToConfirm, missing: boolean, now: number): RolloutMemory {
  return { ...memory, lookups: { ...memory.lookups, [lookupKey(object)]: { missing, checkedAt: now } } };
}

export function containerMemory(memory: RolloutMemory, key: string): ContainerMemory {
  let m = memory.containers[key];
  if (!m) {
    m = { firstSeen: {}, pullFailures: 0 };
    memory.containers[key] = m;
  }
  return m;
}

/** When `reason` was first seen for this container (now, if this is the first time). */
export function firstSeen(m: ContainerMemory, reason: string, now: number): number {
  return (m.firstSeen[reason] ??= now);
}
