// The Deployment controller: one ReplicaSet per pod-template hash (named <deployment>-<hash>, labelled
// pod-template-hash, annotated with the revision), rolling updates within maxSurge/maxUnavailable or Recreate,
// history cleanup, and the status kubectl rollout status reads, following pkg/controller/deployment.
import {
  controllerRef,
  createObject,
  isActive,
  owned,
  recorderFor,
  setCondition,
  templateHash,
  watchOwned,
  WorkQueue,
  type ControllerContext,
  type Key,
} from './controllers-common.ts';
import {
  condition,
  deadlineAt,
  deploymentComplete,
  DESIRED_REPLICAS,
  hasProgressDeadline,
  MAX_REPLICAS,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  progressing,
  calculateStatus,
  replicasOf,
  REVISION,
  rolloutStatus,
} from './controllers-deployment-rules.ts';
import { StoreError, timestamp } from './store.ts';
import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from './workload-types.ts';

const HASH = 'pod-template-hash';

export function startDeploymentController(ctx: ControllerContext): () => void {
  const { store } = ctx;
  const recorder = recorderFor(store, 'deployment-controller');
  const now = ctx.now ?? Date.now;

  const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
  const byCreation = (a: ReplicaSet, b: ReplicaSet) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

  const writeStatus = (d: Deployment, change: (s: DeploymentStatus) => DeploymentStatus): Deployment =>
    store.mutate<Deployment>('deployments.apps', d.metadata.namespace ?? '', d.metadata.name ?? '', (current) => {
      current.status = compact(change(current.status ?? {}));
    });

  const scale = (d: Deployment, rs: ReplicaSet, replicas: number): ReplicaSet => {
    const old = rs.spec.replicas ?? 0;
    const updated = store.mutate<ReplicaSet>('replicasets.apps', rs.metadata.namespace ?? '', rs.metadata.name ?? '', (current) => {
      current.spec.replicas = replicas;
      current.metadata.annotations = {
        ...current.metadata.annotations,
        [DESIRED_REPLICAS]: String(replicasOf(d)),
        [MAX_REPLICAS]: String(replicasOf(d) + maxSurge(d)),
      };
    });
    if (old !== replicas) {
      recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > old ? 'up' : 'down'} replica set ${rs.metadata.name} to ${replicas} from ${old}`);
    }
    return updated;
  };

  /** getNewReplicaSet: finds (and re-revisions) or creates the ReplicaSet of the current template. */
  const newReplicaSet = (d: Deployment, rsList: ReplicaSet[], create: boolean): { d: Deployment; newRS?: ReplicaSet } => {
    const hash = templateHash(d.spec.template, d.status?.collisionCount);
    const existing = rsList.find((rs) => rs.metadata.labels?.[HASH] === hash);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRevision = String(Math.max(0, ...oldRSs.map(revisionOf)) + 1);
    const { namespace = '', name = '' } = d.metadata;
    if (existing) {
      let rs = existing;
      if (revisionOf(rs) < Number(newRevision) || (rs.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
        rs = store.mutate<ReplicaSet>('replicasets.apps', namespace, rs.metadata.name ?? '', (current) => {
          if (revisionOf(current) < Number(newRevision)) current.metadata.annotations = { ...current.metadata.annotations, [REVISION]: newRevision };
          current.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        });
      }
      d = setRevision(d, rs.metadata.annotations?.[REVISION] ?? newRevision);
      if (hasProgressDeadline(d) && !progressing(d.status)) {
        const at = timestamp(new Date(now()));
        d = writeStatus(d, (s) => ({ ...s, conditions: setCondition(s.conditions ?? [], condition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${rs.metadata.name}"`, at)) }));
      }
      return { d, newRS: rs };
    }
    if (!create) return { d };
    const template = structuredClone(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH]: hash } };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${hash}`,
        namespace,
        labels: template.metadata.labels,
        annotations: { [DESIRED_REPLICAS]: String(replicasOf(d)), [MAX_REPLICAS]: String(replicasOf(d) + maxSurge(d)), [REVISION]: newRevision },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec.minReadySeconds ?? 0,
        selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [HASH]: hash } },
        template,
      },
    };
    rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    let created: ReplicaSet;
    try {
      created = createObject(ctx, 'replicasets.apps', rs);
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'AlreadyExists') {
        // Same name, different template: a hash collision. Bump collisionCount and try again next sync.
        writeStatus(d, (s) => ({ ...s, collisionCount: (s.collisionCount ?? 0) + 1 }));
        throw err;
      }
      const message = `Failed to create new replica set "${rs.metadata.name}": ${(err as Error).message}`;
      const at = timestamp(new Date(now()));
      if (hasProgressDeadline(d)) {
        writeStatus(d, (s) => ({ ...s, conditions: setCondition(s.conditions ?? [], condition('Progressing', 'False', 'ReplicaSetCreateError', message, at)) }));
      }
      recorder.event(d, 'Warning', 'ReplicaSetCreateError', message);
      throw err;
    }
    if ((created.spec.replicas ?? 0) > 0) {
      recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${created.spec.replicas}`);
    }
    d = setRevision(d, newRevision);
    if (hasProgressDeadline(d)) {
      const at = timestamp(new Date(now()));
      d = writeStatus(d, (s) => ({ ...s, conditions: setCondition(s.conditions ?? [], condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`, at)) }));
    }
    return { d, newRS: created };
  };

  const setRevision = (d: Deployment, revision: string): Deployment => {
    if (d.metadata.annotations?.[REVISION] === revision) return d;
    return store.mutate<Deployment>('deployments.apps', d.metadata.namespace ?? '', d.metadata.name ?? '', (current) => {
      current.metadata.annotations = { ...current.metadata.annotations, [REVISION]: revision };
    });
  };

  /** reconcileNewReplicaSet: true when it scaled. */
  const reconcileNew = (d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): boolean => {
    const want = replicasOf(d);
    const have = newRS.spec.replicas ?? 0;
    if (have === want) return false;
    const next = have > want ? want : newRSNewReplicas(d, allRSs, newRS);
    if (next === have) return false;
    scale(d, newRS, next);
    return true;
  };

  /** reconcileOldReplicaSets: scale old ReplicaSets down as far as maxUnavailable allows. */
  const reconcileOld = (d: Deployment, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean => {
    const spec = (rs: ReplicaSet) => rs.spec.replicas ?? 0;
    if (oldRSs.reduce((n, rs) => n + spec(rs), 0) === 0) return false;
    const allPods = allRSs.reduce((n, rs) => n + spec(rs), 0);
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = spec(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let total = 0;
    const sorted = [...oldRSs].sort(byCreation);
    // cleanupUnhealthyReplicas: unavailable old pods go first, they serve nobody.
    for (const [i, rs] of sorted.entries()) {
      if (total >= maxScaledDown) break;
      const unhealthy = spec(rs) - (rs.status?.availableReplicas ?? 0);
      if (spec(rs) === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown - total, unhealthy);
      sorted[i] = scale(d, rs, spec(rs) - down);
      total += down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: then available ones, keeping minAvailable.
    const available = [...sorted, newRS].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    if (available > minAvailable) {
      const budget = available - minAvailable;
      let done = 0;
      for (const rs of sorted) {
        if (done >= budget) break;
        if (spec(rs) === 0) continue;
        const down = Math.min(spec(rs), budget - done);
        scale(d, rs, spec(rs) - down);
        done += down;
      }
      total += done;
    }
    return total > 0;
  };

  const cleanup = (d: Deployment, oldRSs: ReplicaSet[]): void => {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const cleanable = oldRSs.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp);
    cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of cleanable.slice(0, Math.max(0, cleanable.length - limit))) {
      try {
        store.delete('replicasets.apps', rs.metadata.namespace ?? '', rs.metadata.name ?? '');
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
      }
    }
  };

  const syncStatus = (d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): number | undefined => {
    const fresh = (rs: ReplicaSet) => store.get<ReplicaSet>('replicasets.apps', rs.metadata.namespace ?? '', rs.metadata.name ?? '') ?? rs;
    const rsNow = allRSs.map(fresh);
    const newNow = newRS ? fresh(newRS) : undefined;
    const t = now();
    const status = rolloutStatus(d, rsNow, newNow, t);
    const written = writeStatus(d, () => status);
    const deadline = deadlineAt(written, written.status ?? {});
    return deadline === undefined ? undefined : Math.max(0, deadline - t);
  };

  const reconcile = ({ namespace, name }: Key): number | undefined => {
    let d = store.get<Deployment>('deployments.apps', namespace, name);
    if (!d || d.metadata.deletionTimestamp) return undefined;
    const rsList = owned<ReplicaSet>(store, 'replicasets.apps', d);

    if (d.spec.paused) {
      const cond = progressing(d.status);
      if (hasProgressDeadline(d) && cond?.reason !== 'ProgressDeadlineExceeded' && cond?.reason !== 'DeploymentPaused') {
        const at = timestamp(new Date(now()));
        d = writeStatus(d, (s) => ({ ...s, conditions: setCondition(s.conditions ?? [], condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', at)) }));
      }
      const found = newReplicaSet(d, rsList, false);
      const status = calculateStatus(rsList, found.newRS, found.d, now());
      writeStatus(found.d, () => status);
      return undefined;
    }
    if (progressing(d.status)?.reason === 'DeploymentPaused' && hasProgressDeadline(d)) {
      const at = timestamp(new Date(now()));
      d = writeStatus(d, (s) => ({ ...s, conditions: setCondition(s.conditions ?? [], condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', at)) }));
    }

    if ((d.spec.strategy?.type ?? 'RollingUpdate') === 'Recreate') return recreate(d, rsList);

    const found = newReplicaSet(d, rsList, true);
    d = found.d;
    const newRS = found.newRS!;
    const oldRSs = rsList.filter((rs) => rs.metadata.uid !== newRS.metadata.uid);
    const allRSs = [...oldRSs, newRS];
    if (reconcileNew(d, allRSs, newRS)) return syncStatus(d, allRSs, newRS);
    const active = oldRSs.filter((rs) => (rs.spec.replicas ?? 0) > 0);
    if (reconcileOld(d, allRSs, active, newRS)) return syncStatus(d, allRSs, newRS);
    if (deploymentComplete(d, d.status ?? {})) cleanup(d, oldRSs);
    return syncStatus(d, allRSs, newRS);
  };

  /** rolloutRecreate: old ReplicaSets to zero, wait until their pods are gone, then the new one to full size. */
  const recreate = (d: Deployment, rsList: ReplicaSet[]): number | undefined => {
    let found = newReplicaSet(d, rsList, false);
    const oldRSs = rsList.filter((rs) => rs.metadata.uid !== found.newRS?.metadata.uid);
    let scaledDown = false;
    for (const rs of oldRSs) {
      if ((rs.spec.replicas ?? 0) > 0) {
        scale(found.d, rs, 0);
        scaledDown = true;
      }
    }
    const all = () => [...oldRSs, ...(found.newRS ? [found.newRS] : [])];
    if (scaledDown) return syncStatus(found.d, all(), found.newRS);
    if (oldRSs.some((rs) => owned<Pod>(store, 'pods', rs).some(isActive))) return syncStatus(found.d, all(), found.newRS);
    if (!found.newRS) found = newReplicaSet(found.d, rsList, true);
    const newRS = found.newRS!;
    if ((newRS.spec.replicas ?? 0) !== replicasOf(found.d)) scale(found.d, newRS, replicasOf(found.d));
    if (deploymentComplete(found.d, found.d.status ?? {})) cleanup(found.d, oldRSs);
    return syncStatus(found.d, all(), newRS);
  };

  const queue = new WorkQueue('deployment-controller', reconcile);
  const stops = [
    store.watch('deployments.apps', { resourceVersion: '0' }, (e) => {
      if (e.type !== 'DELETED') queue.add(e.object.metadata.namespace ?? '', e.object.metadata.name ?? '');
    }),
    watchOwned(store, 'replicasets.apps', 'Deployment', (ns, name) => queue.add(ns, name)),
  ];
  return () => {
    for (const stop of stops) stop();
    queue.stop();
  };
}

/** Real DeploymentStatus fields are omitempty: zero counters are left out. */
function compact(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) if (s[k]) out[k] = s[k];
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined) out.collisionCount = s.collisionCount;
  return out;
}
