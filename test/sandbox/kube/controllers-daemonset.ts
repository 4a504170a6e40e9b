// The DaemonSet controller: one pod per node that will run it (taints and nodeSelector respected, so never on
// `virtual`), rolling updates within maxUnavailable, and the status kubectl rollout status reads
// (desiredNumberScheduled, updatedNumberScheduled, numberAvailable).
import {
  availableAt,
  controllerRef,
  createObject,
  isActive,
  isAvailable,
  owned,
  readySince,
  recorderFor,
  templateHash,
  watchOwned,
  WorkQueue,
  type ControllerContext,
  type Key,
} from './controllers-common.ts';
import { StoreError } from './store.ts';
import type { DaemonSet, Node, Pod, Toleration } from './workload-types.ts';

const REVISION_LABEL = 'controller-revision-hash';

/** What the DaemonSet controller adds to every daemon pod (daemon pods survive node conditions). */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function runsOn(ds: DaemonSet, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  if (Object.entries(ds.spec.template.spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  const tolerations = [...(ds.spec.template.spec.tolerations ?? []), ...DAEMON_TOLERATIONS];
  return (node.spec.taints ?? []).every(
    (taint) =>
      taint.effect === 'PreferNoSchedule' ||
      tolerations.some((t) => (!t.effect || t.effect === taint.effect) && (t.operator === 'Exists' ? !t.key || t.key === taint.key : t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))),
  );
}

export function startDaemonSetController(ctx: ControllerContext): () => void {
  const { store } = ctx;
  const recorder = recorderFor(store, 'daemonset-controller');
  const now = ctx.now ?? Date.now;

  const remove = (ds: DaemonSet, pod: Pod) => {
    try {
      store.delete('pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
    }
  };

  const reconcile = ({ namespace, name }: Key): number | undefined => {
    const ds = store.get<DaemonSet>('daemonsets.apps', namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return undefined;
    const t = now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    const hash = templateHash(ds.spec.template);
    const nodes = store.list<Node>('nodes').items;
    const eligible = new Set(nodes.filter((n) => runsOn(ds, n)).map((n) => n.metadata.name!));
    const pods = owned<Pod>(store, 'pods', ds).filter(isActive);
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) byNode.set(p.spec.nodeName ?? '', [...(byNode.get(p.spec.nodeName ?? '') ?? []), p]);

    for (const [node, onNode] of byNode) {
      if (!eligible.has(node)) onNode.forEach((p) => remove(ds, p));
      else onNode.slice(1).forEach((p) => remove(ds, p));
    }
    // Rolling update: old pods that are not available go at once, available ones within maxUnavailable.
    if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const raw = ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
      const maxUnavailable = typeof raw === 'number' ? raw : Math.max(1, Math.floor((parseInt(raw, 10) * eligible.size) / 100));
      const current = [...eligible].map((n) => byNode.get(n)?.[0]);
      let unavailable = current.filter((p) => !p || !isAvailable(p, minReady, t)).length;
      for (const pod of current) {
        if (!pod || pod.metadata.labels?.[REVISION_LABEL] === hash) continue;
        if (!isAvailable(pod, minReady, t)) remove(ds, pod);
        else if (unavailable < maxUnavailable) {
          remove(ds, pod);
          unavailable++;
        }
      }
    }
    for (const node of eligible) {
      const existing = owned<Pod>(store, 'pods', ds).filter((p) => isActive(p) && p.spec.nodeName === node);
      if (existing.length) continue;
      const template = structuredClone(ds.spec.template);
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: `${name}-`,
          namespace,
          labels: { ...template.metadata?.labels, [REVISION_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
          ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
          ownerReferences: [controllerRef(ds)],
        },
        spec: { ...template.spec, nodeName: node, tolerations: [...(template.spec.tolerations ?? []), ...DAEMON_TOLERATIONS] },
      };
      try {
        const created = createObject(ctx, 'pods', pod);
        recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (err) {
        recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      }
    }

    const now2 = owned<Pod>(store, 'pods', ds).filter(isActive);
    const scheduled = now2.filter((p) => eligible.has(p.spec.nodeName ?? ''));
    const available = scheduled.filter((p) => isAvailable(p, minReady, t)).length;
    store.mutate<DaemonSet>('daemonsets.apps', namespace, name, (d) => {
      if (d.metadata.uid !== ds.metadata.uid) return d;
      d.status = {
        currentNumberScheduled: new Set(scheduled.map((p) => p.spec.nodeName)).size,
        numberMisscheduled: now2.length - scheduled.length,
        desiredNumberScheduled: eligible.size,
        numberReady: scheduled.filter((p) => readySince(p) !== undefined).length,
        observedGeneration: ds.metadata.generation ?? 1,
        updatedNumberScheduled: scheduled.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash).length,
        numberAvailable: available,
        ...(eligible.size - available > 0 ? { numberUnavailable: eligible.size - available } : {}),
      };
    });
    const next = scheduled.map((p) => availableAt(p, minReady, t)).filter((x): x is number => x !== undefined);
    return next.length ? Math.min(...next) - t + 5 : undefined;
  };

  const queue = new WorkQueue('daemonset-controller', reconcile);
  const enqueueAll = () => {
    for (const ds of store.list('daemonsets.apps').items) queue.add(ds.metadata.namespace ?? '', ds.metadata.name ?? '');
  };
  const stops = [
    store.watch('daemonsets.apps', { resourceVersion: '0' }, (e) => {
      if (e.type !== 'DELETED') queue.add(e.object.metadata.namespace ?? '', e.object.metadata.name ?? '');
    }),
    watchOwned(store, 'pods', 'DaemonSet', (ns, name) => queue.add(ns, name)),
    store.watch('nodes', {}, enqueueAll),
  ];
  return () => {
    for (const stop of stops) stop();
    queue.stop();
  };
}
