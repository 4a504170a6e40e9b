// The ReplicaSet controller: keeps spec.replicas active pods (creating from the template, deleting the least
// useful first), reports replicas/ready/available, and a ReplicaFailure condition with the API's refusal when a
// pod cannot be created (quota, admission), with the events replicaset-controller writes.
import {
  availableAt,
  controllerRef,
  createObject,
  displayName,
  isActive,
  isAvailable,
  owned,
  recorderFor,
  removeCondition,
  setCondition,
  watchOwned,
  WorkQueue,
  type ControllerContext,
  type Key,
} from './controllers-common.ts';
import { StoreError, timestamp } from './store.ts';
import type { Pod, ReplicaSet, ReplicaSetStatus, WorkloadCondition } from './workload-types.ts';

/** replicaset.go burstReplicas: at most this many creates or deletes in one sync. */
const BURST = 500;

export function startReplicaSetController(ctx: ControllerContext): () => void {
  const { store } = ctx;
  const recorder = recorderFor(store, 'replicaset-controller');
  const now = ctx.now ?? Date.now;

  const reconcile = ({ namespace, name }: Key): number | undefined => {
    const rs = store.get<ReplicaSet>('replicasets.apps', namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return undefined;
    const pods = owned<Pod>(store, 'pods', rs).filter(isActive);
    const want = rs.spec.replicas ?? 1;
    let failure: string | undefined;
    if (pods.length < want) {
      for (let i = 0; i < Math.min(want - pods.length, BURST); i++) {
        const pod = podFromTemplate(rs);
        try {
          const created = createObject(ctx, 'pods', pod);
          recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (err) {
          failure = (err as Error).message;
          recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${failure}`);
          break;
        }
      }
    } else if (pods.length > want) {
      for (const pod of podsToDelete(pods, pods.length - want)) {
        try {
          store.delete('pods', namespace, pod.metadata.name!);
          recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
        }
      }
    }
    return writeStatus(rs, failure);
  };

  const writeStatus = (rs: ReplicaSet, failure: string | undefined): number | undefined => {
    const { namespace = '', name = '' } = rs.metadata;
    const t = now();
    const minReady = rs.spec.minReadySeconds ?? 0;
    const pods = owned<Pod>(store, 'pods', rs).filter(isActive);
    const labels = rs.spec.template.metadata?.labels ?? {};
    const status: ReplicaSetStatus = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length,
      availableReplicas: pods.filter((p) => isAvailable(p, minReady, t)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    let conditions: WorkloadCondition[] = rs.status?.conditions ?? [];
    if (failure) {
      conditions = setCondition(conditions, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: timestamp(new Date(t)), reason: 'FailedCreate', message: failure });
    } else conditions = removeCondition(conditions, 'ReplicaFailure');
    if (conditions.length) status.conditions = conditions;
    store.mutate<ReplicaSet>('replicasets.apps', namespace, name, (current) => {
      if (current.metadata.uid !== rs.metadata.uid) return current;
      current.status = compact(status);
    });
    // Come back when a ready pod has been ready for minReadySeconds, or to retry a refused create.
    const next = pods.map((p) => availableAt(p, minReady, t)).filter((x): x is number => x !== undefined);
    if (failure) return 1000;
    return next.length ? Math.min(...next) - t + 5 : undefined;
  };

  const queue = new WorkQueue('replicaset-controller', reconcile);
  const stops = [
    store.watch('replicasets.apps', { resourceVersion: '0' }, (e) => {
      if (e.type !== 'DELETED') queue.add(e.object.metadata.namespace ?? '', e.object.metadata.name ?? '');
    }),
    watchOwned(store, 'pods', 'ReplicaSet', (ns, name) => queue.add(ns, name)),
  ];
  return () => {
    for (const stop of stops) stop();
    queue.stop();
  };
}

function podFromTemplate(rs: ReplicaSet): Pod {
  const template = structuredClone(rs.spec.template);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: template.metadata?.labels ?? {},
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [controllerRef(rs)],
    },
    spec: template.spec,
  };
}

/** controller.ActivePods ordering: unscheduled, pending, not ready, ready for less time, more restarts, newer. */
export function podsToDelete(pods: Pod[], count: number): Pod[] {
  const rank = (p: Pod): number[] => {
    const phase = p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2;
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
    const readySince = ready?.status === 'True' && ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
    const restarts = (p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
    const created = Date.parse(p.metadata.creationTimestamp ?? '') || 0;
    return [p.spec.nodeName ? 1 : 0, phase, ready?.status === 'True' ? 1 : 0, -readySince, -restarts, -created];
  };
  const ranked = pods.map((p) => ({ p, r: rank(p) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.r.length; i++) if (a.r[i] !== b.r[i]) return a.r[i]! - b.r[i]!;
    return displayName(a.p) < displayName(b.p) ? -1 : 1;
  });
  return ranked.slice(0, count).map((x) => x.p);
}

/** Real status omits zero counters (omitempty), except replicas. */
function compact(status: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: status.replicas };
  if (status.fullyLabeledReplicas) out.fullyLabeledReplicas = status.fullyLabeledReplicas;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.availableReplicas) out.availableReplicas = status.availableReplicas;
  out.observedGeneration = status.observedGeneration;
  if (status.conditions?.length) out.conditions = status.conditions;
  return out;
}
