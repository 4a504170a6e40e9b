// The Job controller: runs pods until `completions` succeed (at most `parallelism` at once), recreating failed
// ones after a back-off, and finishes with the conditions of a current cluster: SuccessCriteriaMet + Complete
// (CompletionsReached) or FailureTarget + Failed (BackoffLimitExceeded, DeadlineExceeded).
import { controllerRef, createObject, isActive, owned, recorderFor, watchOwned, WorkQueue, type ControllerContext, type Key } from './controllers-common.ts';
import { StoreError, timestamp } from './store.ts';
import type { Job, Pod } from './workload-types.ts';

type JobCondition = NonNullable<NonNullable<Job['status']>['conditions']>[number];

export interface JobControllerOptions {
  /** Multiplies the 10 s (doubling, up to 6 min) wait before a failed pod is replaced. */
  backOffScale?: number;
}

export function startJobController(ctx: ControllerContext, options: JobControllerOptions = {}): () => void {
  const { store } = ctx;
  const recorder = recorderFor(store, 'job-controller');
  const now = ctx.now ?? Date.now;
  const scale = options.backOffScale ?? 1;

  const reconcile = ({ namespace, name }: Key): number | undefined => {
    const job = store.get<Job>('jobs.batch', namespace, name);
    if (!job || job.metadata.deletionTimestamp) return undefined;
    const conditions = job.status?.conditions ?? [];
    if (conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return undefined;
    const t = now();
    const at = timestamp(new Date(t));
    const pods = owned<Pod>(store, 'pods', job);
    const active = pods.filter(isActive);
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
    const restarts = active.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, s) => m + s.restartCount, 0), 0);
    const completions = job.spec.completions ?? 1;
    const parallelism = job.spec.parallelism ?? 1;
    const backoffLimit = job.spec.backoffLimit ?? 6;
    const startTime = job.status?.startTime ?? at;

    let finished: { type: 'Complete' | 'Failed'; target: string; reason: string; message: string } | undefined;
    if (succeeded >= completions) {
      finished = { type: 'Complete', target: 'SuccessCriteriaMet', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
    } else if (failedPods.length > backoffLimit || (job.spec.template.spec.restartPolicy === 'OnFailure' && restarts > 0 && failedPods.length + restarts > backoffLimit)) {
      finished = { type: 'Failed', target: 'FailureTarget', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    } else if (job.spec.activeDeadlineSeconds !== undefined && Date.parse(startTime) + job.spec.activeDeadlineSeconds * 1000 <= t) {
      finished = { type: 'Failed', target: 'FailureTarget', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    }

    let requeue: number | undefined;
    let running = active;
    if (finished) {
      if (finished.type === 'Failed') {
        for (const p of active) deletePod(p);
        running = [];
        recorder.event(job, 'Warning', finished.reason, finished.message);
      } else recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else if (!job.spec.suspend) {
      const lastFailure = Math.max(0, ...failedPods.map((p) => finishedAt(p)));
      const delay = failedPods.length ? Math.min(360_000, 10_000 * 2 ** (failedPods.length - 1)) * scale : 0;
      const wait = lastFailure + delay - t;
      const want = Math.min(parallelism, completions - succeeded) - active.length;
      if (want > 0 && wait > 0) requeue = wait;
      else {
        for (let i = 0; i < want; i++) {
          try {
            const created = createObject(ctx, 'pods', podFor(job));
            recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
            running = [...running, created];
          } catch (err) {
            recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
            requeue = 1000;
            break;
          }
        }
      }
      if (job.spec.activeDeadlineSeconds !== undefined) {
        const deadline = Date.parse(startTime) + job.spec.activeDeadlineSeconds * 1000 - t;
        requeue = Math.min(requeue ?? deadline, deadline);
      }
    }

    store.mutate<Job>('jobs.batch', namespace, name, (j) => {
      if (j.metadata.uid !== job.metadata.uid) return j;
      const next: JobCondition[] = [...conditions];
      if (finished) {
        next.push(
          { type: finished.target, status: 'True', lastProbeTime: at, lastTransitionTime: at, reason: finished.reason, message: finished.message },
          { type: finished.type, status: 'True', lastProbeTime: at, lastTransitionTime: at, reason: finished.reason, message: finished.message },
        );
      }
      j.status = {
        ...(next.length ? { conditions: next } : {}),
        startTime,
        ...(finished?.type === 'Complete' ? { completionTime: at } : {}),
        ...(running.length ? { active: running.length } : {}),
        ...(succeeded ? { succeeded } : {}),
        ...(failedPods.length ? { failed: failedPods.length } : {}),
        ready: running.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length,
        terminating: 0,
        uncountedTerminatedPods: {},
      } as Job['status'];
    });
    return requeue;
  };

  const deletePod = (pod: Pod) => {
    try {
      store.delete('pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
    }
  };

  const queue = new WorkQueue('job-controller', reconcile);
  const stops = [
    store.watch('jobs.batch', { resourceVersion: '0' }, (e) => {
      if (e.type !== 'DELETED') queue.add(e.object.metadata.namespace ?? '', e.object.metadata.name ?? '');
    }),
    watchOwned(store, 'pods', 'Job', (ns, name) => queue.add(ns, name)),
  ];
  return () => {
    for (const stop of stops) stop();
    queue.stop();
  };
}

function podFor(job: Job): Pod {
  const template = structuredClone(job.spec.template);
  const uid = job.metadata.uid ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${job.metadata.name}-`,
      namespace: job.metadata.namespace,
      labels: {
        ...template.metadata?.labels,
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': job.metadata.name ?? '',
        'controller-uid': uid,
        'job-name': job.metadata.name ?? '',
      },
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [controllerRef(job)],
    },
    spec: template.spec,
  };
}

function finishedAt(pod: Pod): number {
  const times = (pod.status?.containerStatuses ?? []).map((s) => Date.parse(s.state.terminated?.finishedAt ?? '') || 0);
  return Math.max(0, ...times);
}
