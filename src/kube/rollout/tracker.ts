// The rollout tracker: one tracker per workload applied, all in parallel under one deadline, driven by watches.
// Every change to the workload, its pods, ReplicaSets/ControllerRevisions or the namespace's Events is fed to
// judgeWorkload; the only timers are the one a verdict asks for (a window ending: nextCheckAt) and the deadline.
// Watches are per kind and namespace, shared by the workloads there (observe.ts); each tracker picks its own
// objects out of them (its name, its selector).
//
//   const result = await trackRollout(cluster, workloads, { timeoutMs: 300_000, logger, signal, since: appliedAt });

import type { Cluster, KubeObject, ObjectRef } from '../cluster.ts';
import type { Logger } from '../../log.ts';
import { formatDiagnosis } from './diagnosis.ts';
import { eventTime } from './events.ts';
import { emptyMemory, lookupKey, recordLookup, type RolloutMemory } from './memory.ts';
import type { ControllerRevision, KubeEvent, Pod, ReplicaSet, Workload, WorkloadKind } from './objects.ts';
import { FeedHub, matchesSelector, type LabelSelector } from './observe.ts';
import { progressOf } from './progress.ts';
import { newRevision } from './revision.ts';
import { judgeWorkload, workloadEvents, type Observation } from './rules.ts';
import { isMissing, lastLogLines } from './tracker-evidence.ts';
import {
  failureOf,
  pendingSummary,
  progressKey,
  stuckContainer,
  timeoutVerdict,
  type RolloutResult,
  type WorkloadResult,
} from './tracker-result.ts';
import type { LogsRequest, Verdict, WorkloadRef } from './verdict.ts';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from './windows.ts';

export type { RolloutFailure, RolloutResult, WorkloadResult } from './tracker-result.ts';

export const TRACKED_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

const API_VERSIONS: Record<WorkloadKind, string> = { Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', Job: 'batch/v1' };

/** Events older than this before the rollout began are not kept (they are about earlier rollouts). */
const EVENT_HISTORY_MS = 5 * 60_000;

export interface TrackOptions {
  /** The one deadline for all workloads (rollout.timeout). */
  timeoutMs: number;
  rules?: Partial<RuleOptions>;
  /** ms when the rollout was applied: older restarts and events are not held against it. Default: now. */
  since?: number;
  logger?: Logger;
  /** Aborting stops every watch; the result is `cancelled`. */
  signal?: AbortSignal;
  /** Put before each progress line (`restore: web: 1/1 updated, 1 ready, 3s`). */
  progressPrefix?: string;
  /** The clock windows are measured with (tests). */
  now?: () => number;
}

/** The objects to track among those applied: Deployments, StatefulSets, DaemonSets and Jobs. */
export function workloadsOf(objects: readonly (ObjectRef | KubeObject)[]): ObjectRef[] {
  return objects
    .map((o) => ('metadata' in o ? { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) } : o))
    .filter((r) => (TRACKED_KINDS as readonly string[]).includes(r.kind));
}

/** Tracks every workload to a verdict. Rejects only when a watch fails for good (the Cluster gave up resuming it). */
export function trackRollout(cluster: Cluster, workloads: readonly ObjectRef[], options: TrackOptions): Promise<RolloutResult> {
  return new Rollout(cluster, workloads, options).run();
}

/** What every tracker of one rollout shares. */
interface Shared {
  cluster: Cluster;
  feeds: FeedHub;
  options: RuleOptions;
  since: number;
  now: () => number;
  startedAt: number;
  logger: Logger | undefined;
  prefix: string;
  /** A tracker reached its end. */
  finished: () => void;
}

class Rollout {
  readonly #cluster: Cluster;
  readonly #refs: readonly ObjectRef[];
  readonly #options: TrackOptions;
  readonly #now: () => number;
  readonly #trackers: WorkloadTracker[] = [];
  #feeds?: FeedHub;
  #deadline?: NodeJS.Timeout;
  #settle: (result: RolloutResult | Error) => void = () => {};
  #ended = false;
  #startedAt = 0;

  constructor(cluster: Cluster, refs: readonly ObjectRef[], options: TrackOptions) {
    this.#cluster = cluster;
    this.#refs = refs;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  run(): Promise<RolloutResult> {
    const settled = new Promise<RolloutResult | Error>((resolve) => (this.#settle = resolve));
    this.#startedAt = this.#now();
    const { signal } = this.#options;
    if (signal?.aborted) return Promise.resolve(this.#result('cancelled'));
    const onAbort = () => this.#end('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#deadline = setTimeout(() => void this.#timeout(), this.#options.timeoutMs);
    void this.#start();
    return settled.then((r) => {
      signal?.removeEventListener('abort', onAbort);
      if (r instanceof Error) throw r;
      return r;
    });
  }

  async #start(): Promise<void> {
    // API timestamps have whole seconds: a pod created or an event recorded in the second of the apply would
    // otherwise look older than the rollout (its restarts forgiven, its FailedCreate ignored).
    const since = Math.floor((this.#options.since ?? this.#startedAt) / 1000) * 1000;
    const feeds = new FeedHub(
      this.#cluster,
      (ns) => {
        for (const t of this.#trackers) if (t.ref.namespace === ns) t.poke();
      },
      (err) => this.#fail(err),
    );
    this.#feeds = feeds;
    const shared: Shared = {
      cluster: this.#cluster,
      feeds,
      options: { ...DEFAULT_RULE_OPTIONS, ...this.#options.rules },
      since,
      now: this.#now,
      startedAt: this.#startedAt,
      logger: this.#options.logger,
      prefix: this.#options.progressPrefix ?? '',
      finished: () => this.#check(),
    };
    try {
      for (const ref of this.#refs) this.#trackers.push(new WorkloadTracker(ref, shared));
      if (!this.#trackers.length) return this.#end('done');
      const recent = (o: KubeObject) => (eventTime(o as KubeEvent) ?? Infinity) >= since - EVENT_HISTORY_MS;
      await Promise.all(
        this.#trackers.flatMap((t) =>
          feedsFor(t.ref.kind).map((f) => feeds.open({ ...f, namespace: t.ref.namespace, ...(f.kind === 'Event' ? { keep: recent } : {}) })),
        ),
      );
      for (const t of this.#trackers) t.poke();
    } catch (err) {
      this.#fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** After each workload ends: the first failure ends the rollout, all done ends it too. */
  #check(): void {
    if (this.#ended) return;
    if (this.#trackers.some((t) => t.result?.status === 'failed')) return this.#end('failed');
    if (this.#trackers.every((t) => t.result?.status === 'done')) this.#end('done');
  }

  async #timeout(): Promise<void> {
    if (this.#ended) return;
    const deadline = this.#now();
    const waiting = this.#trackers.filter((t) => !t.result);
    for (const t of waiting) t.halt();
    await Promise.all(waiting.map((t) => t.timeOut(this.#options.timeoutMs, deadline)));
    // A tracker still reading logs for a failure it reached first ends the rollout itself, with that failure.
    if (!this.#trackers.some((t) => t.finishing)) this.#end('failed');
  }

  #end(status: RolloutResult['status']): void {
    if (this.#ended) return;
    this.#settle(this.#result(status));
  }

  #fail(err: Error): void {
    if (this.#ended) return;
    this.#stopAll();
    this.#settle(err);
  }

  #stopAll(): void {
    this.#ended = true;
    clearTimeout(this.#deadline);
    for (const t of this.#trackers) t.halt();
    this.#feeds?.stop();
  }

  #result(status: RolloutResult['status']): RolloutResult {
    this.#stopAll();
    const workloads = this.#trackers.map((t) => t.result ?? t.stoppedResult());
    const elapsedMs = this.#now() - this.#startedAt;
    if (status !== 'failed') return { status, workloads, elapsedMs };
    const failed = workloads.filter((w) => w.status === 'failed').sort((a, b) => (a.detectedAt ?? '').localeCompare(b.detectedAt ?? ''))[0];
    if (failed) return { status, workloads, failure: failureOf(failed), elapsedMs };
    const timedOut = workloads.filter((w) => w.status === 'timed-out');
    const first = failureOf(timedOut[0]!);
    const summary = pendingSummary(timedOut, this.#options.timeoutMs);
    return { status, workloads, failure: { ...first, message: summary, diagnosis: [summary, ...timedOut.map((w) => w.diagnosis)].join('\n') }, elapsedMs };
  }
}

class WorkloadTracker {
  readonly ref: WorkloadRef;
  readonly #apiVersion: string;
  readonly #shared: Shared;
  #memory: RolloutMemory = emptyMemory();
  #last: Verdict;
  #progress?: string;
  #printed?: string;
  #timer?: NodeJS.Timeout;
  #queued = false;
  #halted = false;
  /** A failure verdict is reached and its logs are being read. */
  #finishing = false;
  readonly #asking = new Set<string>();
  result?: WorkloadResult;

  constructor(ref: ObjectRef, shared: Shared) {
    if (!(TRACKED_KINDS as readonly string[]).includes(ref.kind)) throw new Error(`${ref.kind} ${ref.name} is not a workload the tracker follows (${TRACKED_KINDS.join(', ')})`);
    if (!ref.namespace) throw new Error(`${ref.kind} ${ref.name} has no namespace`);
    this.ref = { kind: ref.kind as WorkloadKind, namespace: ref.namespace, name: ref.name };
    this.#apiVersion = API_VERSIONS[this.ref.kind];
    this.#shared = shared;
    this.#last = { status: 'progressing', workload: this.ref, message: `waiting for ${ref.kind} ${ref.namespace}/${ref.name} to be read`, events: [] };
  }

  get finishing(): boolean {
    return this.#finishing && !this.result;
  }

  /** Something changed: judge once after the current burst of watch events. */
  poke(): void {
    if (this.#queued || this.result || this.#halted) return;
    this.#queued = true;
    setImmediate(() => {
      this.#queued = false;
      this.#judge();
    });
  }

  #workload(): Workload | undefined {
    const { kind, namespace, name } = this.ref;
    return this.#shared.feeds.items<Workload>(this.#apiVersion, kind, namespace).find((w) => w.metadata?.name === name);
  }

  #observation(workload: Workload): Observation {
    const { feeds } = this.#shared;
    const ns = this.ref.namespace;
    const selector = (workload.spec as { selector?: LabelSelector } | undefined)?.selector;
    const selected = <T extends { metadata?: { labels?: Record<string, string> } }>(items: T[]) => items.filter((o) => matchesSelector(selector, o.metadata?.labels));
    return {
      workload,
      pods: selected(feeds.items<Pod>('v1', 'Pod', ns)),
      ...(workload.kind === 'Deployment' ? { replicaSets: selected(feeds.items<ReplicaSet>('apps/v1', 'ReplicaSet', ns)) } : {}),
      ...(workload.kind === 'DaemonSet' ? { controllerRevisions: selected(feeds.items<ControllerRevision>('apps/v1', 'ControllerRevision', ns)) } : {}),
      events: feeds.items<KubeEvent>('v1', 'Event', ns),
      since: this.#shared.since,
    };
  }

  #judge(): void {
    if (this.result || this.#halted) return;
    const workload = this.#workload();
    if (!workload) {
      this.#last = { ...this.#last, status: 'progressing', message: `${this.ref.kind} ${this.ref.namespace}/${this.ref.name} does not exist` };
      return;
    }
    const now = this.#shared.now();
    const { verdict, progress, memory } = judgeWorkload(this.#observation(workload), { now, memory: this.#memory, options: this.#shared.options });
    this.#memory = memory;
    this.#last = verdict;
    this.#progress = progress.text;
    const key = progressKey(progress);
    if (key !== this.#printed) {
      this.#printed = key;
      this.#shared.logger?.info(`${this.#shared.prefix}${progress.text}`);
    }
    clearTimeout(this.#timer);
    switch (verdict.status) {
      case 'done':
      case 'failed':
        return void this.#finish(verdict.status, verdict, now);
      case 'needs-confirmation':
        return void this.#confirm(verdict);
      case 'progressing':
        if (verdict.nextCheckAt !== undefined) {
          // A few ms past the window's end, so the judgement sees it ended.
          this.#timer = setTimeout(() => this.poke(), Math.max(0, verdict.nextCheckAt - now) + 5);
        }
    }
  }

  /** needs-confirmation: look the object up, remember the answer, judge again. */
  async #confirm(verdict: Verdict): Promise<void> {
    const object = verdict.confirm!;
    const key = lookupKey(object);
    if (this.#asking.has(key)) return;
    this.#asking.add(key);
    let missing: boolean;
    try {
      missing = await isMissing(this.#shared.cluster, object);
    } catch (err) {
      // Not allowed to read it (RBAC on Secrets is common): the kubelet's word stands.
      this.#shared.logger?.debug(`could not look up ${object.kind} ${object.namespace}/${object.name}: ${(err as Error).message}`);
      missing = true;
    } finally {
      this.#asking.delete(key);
    }
    this.#memory = recordLookup(this.#memory, object, missing, this.#shared.now());
    if (!missing) {
      const what = `${object.kind} ${object.namespace}/${object.name}${object.key ? ` (key ${object.key})` : ''}`;
      this.#shared.logger?.info(`${this.#shared.prefix}${this.ref.name}: ${what} exists; the kubelet has not caught up yet`);
    }
    this.poke();
  }

  async #finish(status: 'done' | 'failed', verdict: Verdict, now: number): Promise<void> {
    this.halt();
    const base = { workload: this.ref, verdict, ...(this.#progress ? { progress: this.#progress } : {}), elapsedMs: now - this.#shared.startedAt };
    if (status === 'done') {
      this.result = { ...base, status };
      return this.#shared.finished();
    }
    // Detected now: reading the logs is reporting, not detection.
    const detectedAt = new Date(now).toISOString();
    this.#finishing = true;
    const logLines = verdict.needsLogs ? await lastLogLines(this.#shared.cluster, verdict.needsLogs) : [];
    this.result = { ...base, status, detectedAt, diagnosis: formatDiagnosis(verdict, logLines), logLines };
    this.#shared.finished();
  }

  /** The deadline came first: a failure naming what it still waited for, with the newest events and logs. */
  async timeOut(timeoutMs: number, deadline: number): Promise<void> {
    if (this.#finishing || this.result) return;
    const workload = this.#workload();
    let events: Verdict['events'] = [];
    let stuck: LogsRequest | undefined;
    if (workload) {
      const observation = this.#observation(workload);
      const revision = newRevision(workload, observation);
      events = workloadEvents(workload, revision.pods, observation.events ?? []);
      stuck = stuckContainer(revision.pods, this.ref.namespace);
      this.#progress = progressOf(workload, revision, this.#shared.since, deadline).text;
    }
    const verdict = timeoutVerdict(this.#last, timeoutMs, this.#shared.startedAt + timeoutMs, events, stuck);
    const logLines = stuck ? await lastLogLines(this.#shared.cluster, stuck) : [];
    this.result = {
      workload: this.ref,
      status: 'timed-out',
      verdict,
      ...(this.#progress ? { progress: this.#progress } : {}),
      elapsedMs: deadline - this.#shared.startedAt,
      detectedAt: new Date(deadline).toISOString(),
      diagnosis: formatDiagnosis(verdict, logLines),
      logLines,
    };
  }

  /** Where it stood when the rollout ended without it (another workload failed first, or the run was cancelled). */
  stoppedResult(): WorkloadResult {
    return { workload: this.ref, status: 'stopped', verdict: this.#last, ...(this.#progress ? { progress: this.#progress } : {}), elapsedMs: this.#shared.now() - this.#shared.startedAt };
  }

  /** No more judgements. */
  halt(): void {
    this.#halted = true;
    clearTimeout(this.#timer);
  }
}

/** The kinds a tracker reads in its namespace. */
function feedsFor(kind: WorkloadKind): { apiVersion: string; kind: string }[] {
  return [
    { apiVersion: API_VERSIONS[kind], kind },
    { apiVersion: 'v1', kind: 'Pod' },
    { apiVersion: 'v1', kind: 'Event' },
    ...(kind === 'Deployment' ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet' }] : []),
    ...(kind === 'DaemonSet' ? [{ apiVersion: 'apps/v1', kind: 'ControllerRevision' }] : []),
  ];
}
