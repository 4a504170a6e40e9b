// The one-line progress of a workload the tracker prints when it changes: `web: 2/3 updated, 1 ready, 14s`.

import { formatDuration } from '../../config/duration.ts';
import { conditionOf, type Pod, type Workload } from './objects.ts';
import type { NewRevision } from './revision.ts';

export interface Progress {
  name: string;
  /** Pods of the new revision (Jobs: succeeded). */
  updated: number;
  desired: number;
  /** Ready pods of the new revision (Jobs: active). */
  ready: number;
  elapsedMs?: number;
  text: string;
}

const isReady = (p: Pod) => conditionOf(p.status?.conditions, 'Ready')?.status === 'True';

export function progressOf(workload: Workload, revision: NewRevision, since: number | undefined, now: number): Progress {
  const name = workload.metadata?.name ?? '?';
  const elapsedMs = since === undefined ? undefined : Math.max(0, now - since);
  const elapsed = elapsedMs === undefined ? '' : `, ${formatDuration(Math.floor(elapsedMs / 1000) * 1000)}`;
  if (workload.kind === 'Job') {
    const s = workload.status ?? {};
    const desired = workload.spec?.completions ?? workload.spec?.parallelism ?? 1;
    const succeeded = s.succeeded ?? 0;
    const active = s.active ?? 0;
    return {
      name, updated: succeeded, desired, ready: active, ...(elapsedMs !== undefined ? { elapsedMs } : {}),
      text: `${name}: ${succeeded}/${desired} succeeded, ${active} active${s.failed ? `, ${s.failed} failed` : ''}${elapsed}`,
    };
  }
  const [updated, desired, readyFromStatus] = counts(workload);
  // The status counts every revision's ready pods; the new revision's own are what a person waits for.
  const ready = revision.revision !== undefined ? revision.pods.filter(isReady).length : readyFromStatus;
  return {
    name, updated, desired, ready, ...(elapsedMs !== undefined ? { elapsedMs } : {}),
    text: `${name}: ${updated}/${desired} updated, ${ready} ready${elapsed}`,
  };
}

function counts(workload: Exclude<Workload, { kind: 'Job' }>): [updated: number, desired: number, ready: number] {
  switch (workload.kind) {
    case 'Deployment': {
      const s = workload.status ?? {};
      return [s.updatedReplicas ?? 0, workload.spec?.replicas ?? 1, s.readyReplicas ?? 0];
    }
    case 'StatefulSet': {
      const s = workload.status ?? {};
      return [s.updatedReplicas ?? 0, workload.spec?.replicas ?? 1, s.readyReplicas ?? 0];
    }
    case 'DaemonSet': {
      const s = workload.status ?? {};
      return [s.updatedNumberScheduled ?? 0, s.desiredNumberScheduled ?? 0, s.numberReady ?? 0];
    }
  }
}
