// rollgate status --config F --env E: what is deployed in the environment (images with digests, ready and updated
// counts, since when the revision runs) and, for a rollout that is not done, why: one pass of the same rules the
// tracker applies, with the lookup and the log lines a failure asks for.
import type { Config, EnvironmentConfig } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { parseImageRef } from '../image/ref.ts';
import { describeRef, type Cluster, type ObjectRef } from '../kube/cluster.ts';
import { formatDiagnosis } from '../kube/rollout/diagnosis.ts';
import { recordLookup } from '../kube/rollout/memory.ts';
import { timeOf, type ControllerRevision, type KubeEvent, type Pod, type ReplicaSet, type Workload } from '../kube/rollout/objects.ts';
import { newRevision, type NewRevision } from '../kube/rollout/revision.ts';
import { judgeWorkload, type Judgement, type Observation } from '../kube/rollout/rules.ts';
import { isMissing, lastLogLines } from '../kube/rollout/tracker-evidence.ts';
import { stuckContainer } from '../kube/rollout/tracker-result.ts';
import { TRACKED_KINDS } from '../kube/rollout/tracker.ts';
import type { Verdict } from '../kube/rollout/verdict.ts';
import { DEFAULT_RULE_OPTIONS } from '../kube/rollout/windows.ts';

export interface StatusOptions {
  /** The workloads of the environment's manifests; every Deployment, StatefulSet and DaemonSet of the namespace when absent. */
  workloads?: readonly ObjectRef[];
  /** ms; the clock windows are measured against. */
  now?: number;
}

export interface ImageStatus {
  container: string;
  /** As the pod template names it. */
  image: string;
  /** From the reference when pinned, else from what the new revision's pods run. */
  digest?: string;
}

export interface WorkloadStatus {
  kind: string;
  namespace: string;
  name: string;
  /** ready: rolled out; progressing: still rolling out; failed: will not finish; missing: not in the cluster. */
  state: 'ready' | 'progressing' | 'failed' | 'missing';
  images: ImageStatus[];
  desired: number;
  updated: number;
  ready: number;
  /** The revision running: the ReplicaSet, the StatefulSet's updateRevision, the DaemonSet's hash. */
  revision?: string;
  /** ISO creation time of that revision. */
  since?: string;
  message: string;
  /** For a rollout that is not done: the tracker's diagnosis text, with log lines. */
  diagnosis?: string;
  verdict?: Verdict;
}

export interface StatusReport {
  environment: string;
  namespace: string;
  context: string;
  workloads: WorkloadStatus[];
}

export async function status(config: Config, envName: string, cluster: Cluster, options: StatusOptions = {}): Promise<{ report: StatusReport; text: string }> {
  const env = environmentOf(config, envName);
  const now = options.now ?? Date.now();
  const ns = env.namespace;
  const [workloads, pods, replicaSets, revisions, events] = await Promise.all([
    options.workloads ? readWorkloads(cluster, options.workloads, ns) : listWorkloads(cluster, ns),
    cluster.list('v1', 'Pod', ns),
    cluster.list('apps/v1', 'ReplicaSet', ns),
    cluster.list('apps/v1', 'ControllerRevision', ns),
    cluster.list('v1', 'Event', ns),
  ]);
  const related = {
    pods: pods.items as Pod[],
    replicaSets: replicaSets.items as ReplicaSet[],
    controllerRevisions: revisions.items as ControllerRevision[],
    events: events.items as KubeEvent[],
  };
  const report: StatusReport = {
    environment: env.name,
    namespace: ns,
    context: cluster.context,
    workloads: await Promise.all(workloads.map((w) => ('missing' in w ? missing(w.missing) : workloadStatus(cluster, w, related, env, now)))),
  };
  return { report, text: formatStatus(report) };
}

function environmentOf(config: Config, name: string): EnvironmentConfig {
  const env = config.environments[name];
  if (!env) throw new InputError(`environment "${name}" is not in ${config.file} (known: ${Object.keys(config.environments).join(', ') || 'none'})`);
  return env;
}

async function listWorkloads(cluster: Cluster, ns: string): Promise<Workload[]> {
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
  const lists = await Promise.all(kinds.map((k) => cluster.list('apps/v1', k, ns)));
  return lists.flatMap((l) => (l.items as Workload[]).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')));
}

async function readWorkloads(cluster: Cluster, refs: readonly ObjectRef[], ns: string): Promise<(Workload | { missing: ObjectRef })[]> {
  const tracked = refs.filter((r) => (TRACKED_KINDS as readonly string[]).includes(r.kind)).map((r) => ({ ...r, namespace: r.namespace ?? ns }));
  return Promise.all(tracked.map(async (ref) => ((await cluster.get(ref)) as Workload | undefined) ?? { missing: ref }));
}

function missing(ref: ObjectRef): WorkloadStatus {
  return {
    kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name, state: 'missing', images: [], desired: 0, updated: 0, ready: 0,
    message: `${describeRef(ref)} is in the manifests but not in the cluster`,
  };
}

interface Related {
  pods: Pod[];
  replicaSets: ReplicaSet[];
  controllerRevisions: ControllerRevision[];
  events: KubeEvent[];
}

async function workloadStatus(cluster: Cluster, workload: Workload, related: Related, env: EnvironmentConfig, now: number): Promise<WorkloadStatus> {
  const revision = newRevision(workload, related);
  const since = revisionSince(workload, revision, related);
  const observation: Observation = { workload, ...related, ...(since !== undefined ? { since } : {}) };
  const options = { ...DEFAULT_RULE_OPTIONS, allowRestarts: env.rollout.allowRestarts, unschedulableWindowMs: env.rollout.unschedulableWindowMs, pullErrorBudget: env.rollout.pullErrorBudget };
  let judged: Judgement = judgeWorkload(observation, { now, options });
  if (judged.verdict.status === 'needs-confirmation' && judged.verdict.confirm) {
    const answer = await isMissing(cluster, judged.verdict.confirm).catch(() => true);
    judged = judgeWorkload(observation, { now, options, memory: recordLookup(judged.memory, judged.verdict.confirm, answer, now) });
  }
  const { verdict, progress } = judged;
  const state = verdict.status === 'done' ? 'ready' : verdict.status === 'failed' ? 'failed' : 'progressing';
  let diagnosis: string | undefined;
  if (state !== 'ready') {
    const logs = verdict.needsLogs ?? stuckContainer(revision.pods, workload.metadata?.namespace ?? env.namespace);
    const lines = logs ? await lastLogLines(cluster, logs) : [];
    diagnosis = formatDiagnosis(logs && !verdict.needsLogs ? { ...verdict, needsLogs: logs } : verdict, lines);
  }
  return {
    kind: workload.kind,
    namespace: workload.metadata?.namespace ?? env.namespace,
    name: workload.metadata?.name ?? '?',
    state,
    images: imagesOf(workload, revision.pods),
    desired: progress.desired,
    updated: progress.updated,
    ready: progress.ready,
    ...(revision.revision !== undefined ? { revision: revision.revision } : {}),
    ...(since !== undefined ? { since: new Date(since).toISOString() } : {}),
    message: verdict.message,
    ...(diagnosis ? { diagnosis } : {}),
    verdict,
  };
}

/** When the running revision was created: its ReplicaSet or ControllerRevision, else its oldest pod. */
function revisionSince(workload: Workload, revision: NewRevision, related: Related): number | undefined {
  const created = (o: { metadata?: { creationTimestamp?: string } } | undefined) => timeOf(o?.metadata?.creationTimestamp);
  if (revision.replicaSet) return created(revision.replicaSet);
  if (workload.kind === 'Job') return timeOf(workload.status?.startTime) ?? created(workload);
  const cr = related.controllerRevisions.find((c) => c.metadata?.name === revision.revision || c.metadata?.name === `${workload.metadata?.name}-${revision.revision}`);
  if (cr) return created(cr);
  const pods = revision.pods.map(created).filter((t): t is number => t !== undefined);
  return pods.length ? Math.min(...pods) : created(workload);
}

function imagesOf(workload: Workload, pods: readonly Pod[]): ImageStatus[] {
  const containers = [...(workload.spec?.template?.spec?.initContainers ?? []), ...(workload.spec?.template?.spec?.containers ?? [])];
  return containers.map((c) => {
    const image = c.image ?? '';
    const digest = pinnedDigest(image) ?? runningDigest(pods, c.name);
    return { container: c.name, image, ...(digest ? { digest } : {}) };
  });
}

function pinnedDigest(image: string): string | undefined {
  try {
    return parseImageRef(image).digest;
  } catch {
    return undefined;
  }
}

/** The digest the kubelet reports in imageID (`docker-pullable://repo@sha256:...`, `repo@sha256:...`). */
function runningDigest(pods: readonly Pod[], container: string): string | undefined {
  for (const pod of pods) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const id = (statuses.find((s) => s.name === container) as { imageID?: string } | undefined)?.imageID;
    const digest = id ? /@(sha256:[0-9a-f]{64})$/.exec(id)?.[1] : undefined;
    if (digest) return digest;
  }
  return undefined;
}

const STATE_WORD: Record<WorkloadStatus['state'], string> = { ready: 'rolled out', progressing: 'rolling out', failed: 'STUCK', missing: 'MISSING' };

export function formatStatus(r: StatusReport): string {
  const lines = [`environment ${r.environment}: namespace ${r.namespace}${r.context ? `, context ${r.context}` : ''}`];
  if (!r.workloads.length) lines.push('  no Deployments, StatefulSets or DaemonSets');
  for (const w of r.workloads) {
    const counts = w.state === 'missing' ? '' : `, ${w.ready}/${w.desired} ready, ${w.updated} updated`;
    const since = w.since ? `, since ${w.since}` : '';
    lines.push(`${w.kind} ${w.name}: ${STATE_WORD[w.state]}${counts}${w.revision ? `, revision ${w.revision}` : ''}${since}`);
    for (const i of w.images) lines.push(`  ${i.container}: ${i.image}${i.digest && !i.image.includes(i.digest) ? ` (running ${i.digest})` : ''}`);
    if (w.diagnosis) lines.push(...w.diagnosis.split('\n').map((l) => `  ${l}`));
    else if (w.state === 'missing') lines.push(`  ${w.message}`);
  }
  return lines.join('\n');
}

