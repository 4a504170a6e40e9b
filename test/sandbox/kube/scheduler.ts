// The scheduler: binds each pending pod to a node where its requests fit, or leaves it Pending with
// PodScheduled=False/Unschedulable and a FailedScheduling event worded like kube-scheduler's FitError
// ("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {...}. preemption: ...").
import { EventRecorder } from './event-recorder.ts';
import { qosClass } from './kubelet-status.ts';
import { bytes, milliCpu } from './quantity.ts';
import { StoreError, timestamp, type ObjectStore, type StoreEvent } from './store.ts';
import type { Container, Node, Pod, PodCondition, Taint, Toleration } from './workload-types.ts';

export interface Requests {
  milliCpu: number;
  memory: number;
}

/** What a pod asks for: the sum over its containers (requests, or limits when requests are absent). */
export function podRequests(pod: Pod): Requests {
  const one = (c: Container): Requests => {
    const r = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
    return { milliCpu: milliCpu(r.cpu), memory: bytes(r.memory) };
  };
  const sum = pod.spec.containers.map(one).reduce((a, b) => ({ milliCpu: a.milliCpu + b.milliCpu, memory: a.memory + b.memory }), { milliCpu: 0, memory: 0 });
  // Init containers run one at a time before the others: the pod needs the largest of them.
  for (const init of pod.spec.initContainers ?? []) {
    const r = one(init);
    sum.milliCpu = Math.max(sum.milliCpu, r.milliCpu);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  return sum;
}

export type Verdict = { fits: true } | { fits: false; reasons: string[]; preemptionHelps: boolean };

/** Whether `pod` fits on `node` next to `podsOnNode` (the filter plugins kube-scheduler runs, in its words). */
export function nodeFits(pod: Pod, node: Node, podsOnNode: readonly Pod[]): Verdict {
  if (node.spec.unschedulable) return { fits: false, reasons: ['node(s) were unschedulable'], preemptionHelps: false };
  const labels = node.metadata.labels ?? {};
  if (Object.entries(pod.spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) {
    return { fits: false, reasons: ["node(s) didn't match Pod's node affinity/selector"], preemptionHelps: false };
  }
  const taint = (node.spec.taints ?? []).find((t) => t.effect !== 'PreferNoSchedule' && !tolerated(t, pod.spec.tolerations ?? []));
  if (taint) return { fits: false, reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], preemptionHelps: false };
  const allocatable = node.status.allocatable;
  const used = podsOnNode.map(podRequests).reduce((a, b) => ({ milliCpu: a.milliCpu + b.milliCpu, memory: a.memory + b.memory }), { milliCpu: 0, memory: 0 });
  const want = podRequests(pod);
  const reasons: string[] = [];
  if (podsOnNode.length + 1 > Number(allocatable.pods ?? 110)) reasons.push('Too many pods');
  if (want.milliCpu > 0 && used.milliCpu + want.milliCpu > milliCpu(allocatable.cpu)) reasons.push('Insufficient cpu');
  if (want.memory > 0 && used.memory + want.memory > bytes(allocatable.memory)) reasons.push('Insufficient memory');
  return reasons.length ? { fits: false, reasons, preemptionHelps: true } : { fits: true };
}

function tolerated(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** kube-scheduler's FitError text, with the default preemption plugin's post-filter message. */
export function fitErrorMessage(verdicts: readonly Verdict[]): string {
  const histogram = (items: string[]) => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
    return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  };
  const failed = verdicts.filter((v): v is Extract<Verdict, { fits: false }> => !v.fits);
  const n = verdicts.length;
  const filter = histogram(failed.flatMap((v) => v.reasons));
  const preemption = histogram(failed.map((v) => (v.preemptionHelps ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling')));
  const head = `0/${n} nodes are available${filter.length ? `: ${filter.join(', ')}` : ''}.`;
  return n === 0 ? `${head}` : `${head} preemption: 0/${n} nodes are available: ${preemption.join(', ')}.`;
}

export class Scheduler {
  readonly #store: ObjectStore;
  readonly #recorder: EventRecorder;
  readonly #stops: (() => void)[] = [];
  #scheduled = false;
  /** Per pod uid: the last FailedScheduling message and when it was recorded (the same one at most every 10 s). */
  readonly #reported = new Map<string, { message: string; at: number }>();

  constructor(store: ObjectStore) {
    this.#store = store;
    this.#recorder = new EventRecorder(store, { component: 'default-scheduler' });
  }

  start(): void {
    // Any change to pods or nodes may make room (a pod deleted, a node added): try the pending pods again.
    this.#stops.push(this.#store.watch('pods', { resourceVersion: '0' }, (e) => this.#onChange(e)));
    this.#stops.push(this.#store.watch('nodes', {}, () => this.#queue()));
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }

  #onChange(event: StoreEvent): void {
    const pod = event.object as Pod;
    if (event.type === 'DELETED' || (event.type === 'ADDED' && !pod.spec?.nodeName) || isTerminal(pod)) this.#queue();
  }

  #queue(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#scheduleAll();
    });
  }

  #scheduleAll(): void {
    const pods = this.#store.list<Pod>('pods').items;
    const pending = pods
      .filter((p) => !p.spec.nodeName && !p.metadata.deletionTimestamp && (p.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler')
      .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    if (!pending.length) return;
    const nodes = this.#store.list<Node>('nodes').items;
    const onNode = new Map<string, Pod[]>(nodes.map((n) => [n.metadata.name!, []]));
    for (const p of pods) if (p.spec.nodeName && !isTerminal(p)) onNode.get(p.spec.nodeName)?.push(p);
    for (const pod of pending) {
      const verdicts = nodes.map((n) => nodeFits(pod, n, onNode.get(n.metadata.name!) ?? []));
      const index = verdicts.findIndex((v) => v.fits);
      if (index >= 0) {
        const node = nodes[index]!.metadata.name!;
        if (this.#bind(pod, node)) onNode.get(node)!.push(pod);
      } else this.#unschedulable(pod, fitErrorMessage(verdicts));
    }
  }

  #bind(pod: Pod, node: string): boolean {
    const { namespace = 'default', name = '', uid } = pod.metadata;
    try {
      const bound = this.#store.mutate<Pod>('pods', namespace, name, (p) => {
        if (p.metadata.uid !== uid || p.spec.nodeName) throw new StoreError('Conflict', `pod ${name} changed while being scheduled`);
        p.spec.nodeName = node;
        p.status = withScheduled(p, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp() });
      });
      this.#reported.delete(uid ?? '');
      this.#recorder.event(bound, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
      return true;
    } catch (err) {
      if (err instanceof StoreError) return false;
      throw err;
    }
  }

  #unschedulable(pod: Pod, message: string): void {
    const { namespace = 'default', name = '', uid } = pod.metadata;
    const current = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    const changed = current?.status !== 'False' || current.message !== message;
    try {
      if (changed) {
        this.#store.mutate<Pod>('pods', namespace, name, (p) => {
          if (p.metadata.uid !== uid) return p;
          p.status = withScheduled(p, {
            type: 'PodScheduled',
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: current?.status === 'False' ? current.lastTransitionTime : timestamp(),
            reason: 'Unschedulable',
            message,
          });
        });
      }
      const last = this.#reported.get(uid ?? '');
      if (!last || last.message !== message || Date.now() - last.at >= 10_000) {
        this.#reported.set(uid ?? '', { message, at: Date.now() });
        this.#recorder.event(pod, 'Warning', 'FailedScheduling', message);
      }
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
    }
  }
}

function withScheduled(pod: Pod, condition: PodCondition): NonNullable<Pod['status']> {
  const status = pod.status ?? {};
  return {
    ...status,
    phase: status.phase ?? 'Pending',
    conditions: [...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), condition],
    qosClass: status.qosClass ?? qosClass(pod.spec.containers),
  };
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
