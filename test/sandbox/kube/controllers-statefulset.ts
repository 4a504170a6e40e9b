// The StatefulSet controller: pods <name>-0..N-1 created in order (OrderedReady waits for each to be Running and
// Ready), removed from the highest ordinal, rolled from the highest ordinal down one at a time (above the
// partition), each template kept as a ControllerRevision; status.currentRevision/updateRevision and the counters
// kubectl rollout status reads.
import {
  availableAt,
  controllerRef,
  createObject,
  isAvailable,
  isTerminal,
  owned,
  readySince,
  recorderFor,
  templateHash,
  watchOwned,
  WorkQueue,
  type ControllerContext,
  type Key,
} from './controllers-common.ts';
import { StoreError, type KubeObject } from './store.ts';
import type { Pod, PodTemplateSpec, StatefulSet } from './workload-types.ts';

const REVISION_LABEL = 'controller-revision-hash';

interface ControllerRevision extends KubeObject {
  data: { spec: { template: PodTemplateSpec & { $patch: 'replace' } } };
  revision: number;
}

export function startStatefulSetController(ctx: ControllerContext): () => void {
  const { store } = ctx;
  const recorder = recorderFor(store, 'statefulset-controller');
  const now = ctx.now ?? Date.now;

  const revisions = (sts: StatefulSet) => owned<ControllerRevision>(store, 'controllerrevisions.apps', sts);

  /** The ControllerRevision of the current template, created when new; returns its name. */
  const updateRevision = (sts: StatefulSet): string => {
    const hash = templateHash(sts.spec.template, sts.status?.collisionCount);
    const name = `${sts.metadata.name}-${hash}`;
    const existing = revisions(sts);
    if (!existing.some((r) => r.metadata.name === name)) {
      const revision: ControllerRevision = {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace: sts.metadata.namespace,
          labels: { ...(sts.spec.selector.matchLabels ?? {}), 'controller.kubernetes.io/hash': hash },
          ownerReferences: [controllerRef(sts)],
        },
        data: { spec: { template: { ...structuredClone(sts.spec.template), $patch: 'replace' } } },
        revision: Math.max(0, ...existing.map((r) => r.revision)) + 1,
      };
      try {
        store.create('controllerrevisions.apps', revision);
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === 'AlreadyExists')) throw err;
      }
    }
    return name;
  };

  const templateOf = (sts: StatefulSet, revision: string): PodTemplateSpec => {
    const found = store.get<ControllerRevision>('controllerrevisions.apps', sts.metadata.namespace ?? '', revision);
    if (!found) return sts.spec.template;
    const { $patch: _, ...template } = found.data.spec.template;
    return template;
  };

  const newPod = (sts: StatefulSet, ordinal: number, revision: string): Pod => {
    const template = structuredClone(templateOf(sts, revision));
    const name = `${sts.metadata.name}-${ordinal}`;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: sts.metadata.namespace,
        labels: {
          ...template.metadata?.labels,
          [REVISION_LABEL]: revision,
          'statefulset.kubernetes.io/pod-name': name,
          'apps.kubernetes.io/pod-index': String(ordinal),
        },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [controllerRef(sts)],
      },
      spec: { ...template.spec, hostname: name, ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}) },
    };
  };

  const remove = (sts: StatefulSet, pod: Pod) => {
    try {
      store.delete('pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      recorder.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`);
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
    }
  };

  const reconcile = ({ namespace, name }: Key): number | undefined => {
    const sts = store.get<StatefulSet>('statefulsets.apps', namespace, name);
    if (!sts || sts.metadata.deletionTimestamp) return undefined;
    const t = now();
    const replicas = sts.spec.replicas ?? 1;
    const ordered = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const update = updateRevision(sts);
    const current = sts.status?.currentRevision ?? update;
    const byOrdinal = new Map<number, Pod>();
    for (const pod of owned<Pod>(store, 'pods', sts)) {
      const ordinal = Number(pod.metadata.name?.slice((sts.metadata.name ?? '').length + 1));
      if (Number.isInteger(ordinal)) byOrdinal.set(ordinal, pod);
    }
    const healthy = (p: Pod | undefined) => p?.status?.phase === 'Running' && readySince(p) !== undefined;

    let blocked = false;
    for (let i = 0; i < replicas && !blocked; i++) {
      const pod = byOrdinal.get(i);
      if (pod && isTerminal(pod)) {
        remove(sts, pod);
        byOrdinal.delete(i);
        blocked = ordered;
        continue;
      }
      if (!pod) {
        const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
        const revision = i < partition ? current : update;
        const created = newPod(sts, i, revision);
        try {
          byOrdinal.set(i, createObject(ctx, 'pods', created));
          recorder.event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${created.metadata.name} in StatefulSet ${name} successful`);
        } catch (err) {
          recorder.event(sts, 'Warning', 'FailedCreate', `create Pod ${created.metadata.name} in StatefulSet ${name} failed error: ${(err as Error).message}`);
          blocked = true;
          continue;
        }
        if (ordered) blocked = true;
      } else if (ordered && !healthy(pod)) blocked = true;
    }
    // Scale down from the highest ordinal, one at a time when ordered.
    const extra = [...byOrdinal.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
    if (!blocked) {
      for (const i of ordered ? extra.slice(0, 1) : extra) {
        remove(sts, byOrdinal.get(i)!);
        byOrdinal.delete(i);
      }
    }
    // Rolling update: once every pod is healthy, replace the highest one still on an old revision.
    const strategy = sts.spec.updateStrategy?.type ?? 'RollingUpdate';
    const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    const inRange = [...byOrdinal].filter(([i]) => i < replicas);
    if (strategy === 'RollingUpdate' && !blocked && extra.length === 0 && inRange.length === replicas && inRange.every(([, p]) => healthy(p))) {
      const stale = inRange.filter(([i, p]) => i >= partition && p.metadata.labels?.[REVISION_LABEL] !== update).sort(([a], [b]) => b - a)[0];
      if (stale) {
        remove(sts, stale[1]);
        byOrdinal.delete(stale[0]);
      }
    }

    const pods = [...byOrdinal.values()].filter((p) => !isTerminal(p));
    const minReady = sts.spec.minReadySeconds ?? 0;
    const ready = pods.filter((p) => readySince(p) !== undefined).length;
    const updated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === update).length;
    let currentRevision = current;
    let currentReplicas = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === current).length;
    if (updated === replicas && pods.length === replicas && ready === replicas) {
      currentRevision = update;
      currentReplicas = updated;
    }
    store.mutate<StatefulSet>('statefulsets.apps', namespace, name, (s) => {
      if (s.metadata.uid !== sts.metadata.uid) return s;
      s.status = {
        observedGeneration: sts.metadata.generation ?? 1,
        replicas: pods.length,
        readyReplicas: ready,
        currentReplicas,
        updatedReplicas: updated,
        availableReplicas: pods.filter((p) => isAvailable(p, minReady, t)).length,
        currentRevision,
        updateRevision: update,
        collisionCount: sts.status?.collisionCount ?? 0,
      };
    });
    const next = pods.map((p) => availableAt(p, minReady, t)).filter((x): x is number => x !== undefined);
    return next.length ? Math.min(...next) - t + 5 : undefined;
  };

  const queue = new WorkQueue('statefulset-controller', reconcile);
  const stops = [
    store.watch('statefulsets.apps', { resourceVersion: '0' }, (e) => {
      if (e.type !== 'DELETED') queue.add(e.object.metadata.namespace ?? '', e.object.metadata.name ?? '');
    }),
    watchOwned(store, 'pods', 'StatefulSet', (ns, name) => queue.add(ns, name)),
  ];
  return () => {
    for (const stop of stops) stop();
    queue.stop();
  };
}
