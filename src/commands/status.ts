// rollgate status --config F --env E: what is deployed in the environment: where its target tags point (the
// version, the commit), the workloads (images with digests, ready and updated counts, since when the revision runs)
// and whether they run what the tags say; for a rollout that is not done, why: one pass of the same rules the
// tracker applies, with the lookup and the log lines a failure asks for.
import type { Config, EnvironmentConfig } from '../config/types.ts';
import type { RegistryLookup } from '../deploy/target-tags.ts';
import { versionOn, versionsOn, versionTagsOf, type VersionTag } from '../deploy/version-history.ts';
import { OCI_REVISION_LABEL } from '../image/labels.ts';
import { readImageLabels } from '../image/inventory.ts';
import { InputError } from '../errors.ts';
import { parseImageRef, parseRepository, sameRepository } from '../image/ref.ts';
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
  /** Reads where the environment's target tags point; without it status looks at the cluster alone. */
  registryFor?: RegistryLookup;
}

/** Where one image's target tag points, and what of it the workloads run. */
export interface TargetTagStatus {
  image: string;
  repository: string;
  tag: string;
  /** Undefined when the tag does not exist (nothing deployed yet) or could not be read (see `error`). */
  digest?: string;
  /** The version tags on that digest, newest first (a rebuild's build tag before its version). */
  versions: string[];
  /** The commit the image was built from (its org.opencontainers.image.revision label). */
  revision?: string;
  /** Workloads whose pods run that digest (`Deployment web`). */
  runningIn: string[];
  /** Containers of this repository that run another digest than the tag's: a deploy that did not finish, or a hand edit. */
  drift: { workload: string; container: string; digest: string; version?: string }[];
  /** The registry could not be read. */
  error?: string;
}

export interface ImageStatus {
  container: string;
  /** As the pod template names it. */
  image: string;
  /** From the reference when pinned, else from what the new revision's pods run. */
  digest?: string;
  /** The version tag on that digest, when the registry was asked and the image is one of rollgate.yml's. */
  version?: string;
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
  /** One per image of rollgate.yml, when the registry was asked. */
  targetTags?: TargetTagStatus[];
  workloads: WorkloadStatus[];
}

export async function status(config: Config, envName: string, cluster: Cluster, options: StatusOptions = {}): Promise<{ report: StatusReport; text: string }> {
  const env = environmentOf(config, envName);
  const now = options.now ?? Date.now();
  const ns = env.namespace;
  const [tags, workloads, pods, replicaSets, revisions, events] = await Promise.all([
    options.registryFor ? readTargetTags(config, env, options.registryFor) : undefined,
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
  const statuses = await Promise.all(workloads.map((w) => ('missing' in w ? missing(w.missing) : workloadStatus(cluster, w, related, env, now))));
  const report: StatusReport = {
    environment: env.name,
    namespace: ns,
    context: cluster.context,
    ...(tags ? { targetTags: compareWithCluster(tags, statuses) } : {}),
    workloads: statuses,
  };
  return { report, text: formatStatus(report) };
}

interface TagReading {
  status: Omit<TargetTagStatus, 'runningIn' | 'drift'>;
  /** Every version tag of the repository, to name what a workload runs. */
  history: VersionTag[];
}

/** For each image: the target tag's digest, the version tags on it and the commit it was built from. */
async function readTargetTags(config: Config, env: EnvironmentConfig, registryFor: RegistryLookup): Promise<TagReading[]> {
  return Promise.all(
    config.images.map(async (image): Promise<TagReading> => {
      const base = { image: image.name, repository: image.repository, tag: env.targetTag, versions: [] };
      try {
        const registry = await registryFor(image.repository);
        const [found, history] = await Promise.all([registry.resolve(image.repository, env.targetTag), versionTagsOf(registry, image.repository)]);
        if (!found) return { status: base, history };
        const versions = versionsOn(history, found.digest);
        // The labels only add the commit: a registry that will not give the config blob still says the version.
        const labels = await readImageLabels(registry, image.repository, found.digest).catch(() => ({}) as Record<string, string>);
        const revision = labels[OCI_REVISION_LABEL];
        return { status: { ...base, digest: found.digest, versions, ...(revision ? { revision } : {}) }, history };
      } catch (err) {
        return { status: { ...base, error: (err as Error).message }, history: [] };
      }
    }),
  );
}

/** Which workloads run each tag's digest and which run another; names the version of every workload image on the way. */
function compareWithCluster(tags: readonly TagReading[], workloads: WorkloadStatus[]): TargetTagStatus[] {
  return tags.map(({ status, history }) => {
    const runningIn = new Set<string>();
    const drift: TargetTagStatus['drift'] = [];
    for (const w of workloads) {
      for (const i of w.images) {
        if (!i.digest || !isOfRepository(i.image, status.repository)) continue;
        const version = versionOn(history, i.digest)?.tag;
        if (version) i.version = version;
        if (i.digest === status.digest) runningIn.add(`${w.kind} ${w.name}`);
        else if (status.digest) drift.push({ workload: `${w.kind} ${w.name}`, container: i.container, digest: i.digest, ...(version ? { version } : {}) });
      }
    }
    return { ...status, runningIn: [...runningIn], drift };
  });
}

function isOfRepository(image: string, repository: string): boolean {
  try {
    return sameRepository(image, parseRepository(repository));
  } catch {
    return false;
  }
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

/** The result's one line: what runs, and what is wrong. */
export function statusMessage(r: StatusReport): string {
  const stuck = r.workloads.filter((w) => w.state !== 'ready');
  const drifted = (r.targetTags ?? []).filter((t) => t.drift.length > 0);
  const parts = [
    stuck.length
      ? `${stuck.length} of ${r.workloads.length} workloads not ready: ${stuck.map((w) => `${w.name} ${w.state}`).join(', ')}`
      : `all ${r.workloads.length} workloads ready`,
    ...drifted.map((t) => `${t.image} drifted from ${t.tag} (${t.drift.map((d) => d.workload).join(', ')})`),
  ];
  const version = statusVersion(r).version;
  return `${version ? `${r.environment} runs ${version}; ` : ''}${parts.join('; ')}`;
}

/** The version the target tags point at, when every image's tag names the same one. */
export function statusVersion(r: StatusReport): { version?: string } {
  const versions = (r.targetTags ?? []).map((t) => t.versions[0]);
  const first = versions[0];
  return first !== undefined && versions.every((v) => v === first) ? { version: first } : {};
}

const STATE_WORD: Record<WorkloadStatus['state'], string> = { ready: 'rolled out', progressing: 'rolling out', failed: 'STUCK', missing: 'MISSING' };

export function formatStatus(r: StatusReport): string {
  const lines = [`environment ${r.environment}: namespace ${r.namespace}${r.context ? `, context ${r.context}` : ''}`];
  for (const t of r.targetTags ?? []) lines.push(...formatTargetTag(t));
  if (!r.workloads.length) lines.push('  no Deployments, StatefulSets or DaemonSets');
  for (const w of r.workloads) {
    const counts = w.state === 'missing' ? '' : `, ${w.ready}/${w.desired} ready, ${w.updated} updated`;
    const since = w.since ? `, since ${w.since}` : '';
    lines.push(`${w.kind} ${w.name}: ${STATE_WORD[w.state]}${counts}${w.revision ? `, revision ${w.revision}` : ''}${since}`);
    for (const i of w.images) {
      const running = i.digest && !i.image.includes(i.digest) ? `running ${i.digest}` : undefined;
      const about = [i.version, running].filter(Boolean).join(', ');
      lines.push(`  ${i.container}: ${i.image}${about ? ` (${about})` : ''}`);
    }
    if (w.diagnosis) lines.push(...w.diagnosis.split('\n').map((l) => `  ${l}`));
    else if (w.state === 'missing') lines.push(`  ${w.message}`);
  }
  return lines.join('\n');
}

function formatTargetTag(t: TargetTagStatus): string[] {
  const ref = `${t.repository}:${t.tag}`;
  if (t.error) return [`${t.image}: ${ref}: the registry could not be read: ${t.error}`];
  if (!t.digest) return [`${t.image}: ${ref} does not exist: nothing deployed to this environment yet`];
  const what = [t.versions.length ? t.versions.join(', ') : 'no version tag', t.digest, t.revision ? `commit ${t.revision.slice(0, 12)}` : undefined];
  const where = t.runningIn.length ? `, running in ${t.runningIn.join(', ')}` : ', run by no workload';
  const lines = [`${t.image}: ${ref} -> ${what.filter(Boolean).join(', ')}${where}`];
  for (const d of t.drift) {
    lines.push(
      `  DRIFT: ${d.workload} (${d.container}) runs ${d.version ?? d.digest}${d.version ? ` (${d.digest})` : ''}, not what ${t.tag} points at: ` +
        'a deploy that did not finish, or a change by hand; deploy again, or rollback to what should run',
    );
  }
  return lines;
}
