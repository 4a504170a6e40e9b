// The pod status a kubelet derives from its containers' statuses: the phase (kubelet getPhase), the conditions
// (status/generate.go) and the QoS class, as pure functions of the spec and container statuses.
import type { Container, ContainerStatus, PodCondition, PodSpec, PodStatus } from './workload-types.ts';

/** kubelet getPhase: a container waiting after a crash counts as stopped, so a crash-looping pod is Running. */
export function podPhase(
  spec: PodSpec,
  statuses: readonly ContainerStatus[],
  initStatuses: readonly ContainerStatus[] = [],
): NonNullable<PodStatus['phase']> {
  let pendingInit = 0;
  let failedInit = 0;
  for (const container of spec.initContainers ?? []) {
    const status = initStatuses.find((s) => s.name === container.name);
    if (!status || status.state.running) pendingInit++;
    else if (status.state.terminated) {
      if (status.state.terminated.exitCode !== 0) failedInit++;
    } else if (status.lastState.terminated) {
      if (status.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  if (failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let unknown = 0;
  for (const container of spec.containers) {
    const status = statuses.find((s) => s.name === container.name);
    if (!status) {
      unknown++;
      continue;
    }
    if (status.state.running) running++;
    else if (status.state.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.lastState.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    const policy = spec.restartPolicy ?? 'Always';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

export interface ConditionInputs {
  spec: PodSpec;
  statuses: readonly ContainerStatus[];
  initStatuses?: readonly ContainerStatus[];
  phase: NonNullable<PodStatus['phase']>;
  /** The sandbox (network namespace) is up. */
  sandboxReady: boolean;
  /** The conditions the pod has now: PodScheduled is kept, transition times are kept when nothing changed. */
  previous: readonly PodCondition[];
  now: string;
}

/** In the order a real kubelet writes them. */
export function podConditions(input: ConditionInputs): PodCondition[] {
  const { spec, statuses, phase, previous, now } = input;
  const done = phase === 'Succeeded' || phase === 'Failed';
  const unready = spec.containers.filter((c) => !statuses.find((s) => s.name === c.name)?.ready).map((c) => c.name);
  const containersReady: Omit<PodCondition, 'type'> = done
    ? { status: 'False', reason: 'PodCompleted' }
    : unready.length
      ? { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }
      : { status: 'True' };
  const wanted: PodCondition[] = [
    { type: 'PodReadyToStartContainers', status: input.sandboxReady ? 'True' : 'False' },
    { type: 'Initialized', ...initialized(input) },
    { type: 'Ready', ...containersReady },
    { type: 'ContainersReady', ...containersReady },
  ];
  const scheduled = previous.find((c) => c.type === 'PodScheduled');
  return [...wanted.map((c) => withTransitionTime(c, previous, now)), ...(scheduled ? [scheduled] : [])];
}

/** status.GeneratePodInitializedCondition */
function initialized({ spec, statuses, initStatuses = [], phase }: ConditionInputs): Omit<PodCondition, 'type'> {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (s.state.terminated?.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'True', reason: 'PodCompleted' };
  if (statuses.some((s) => s.state.running || s.state.terminated || s.lastState.terminated)) return { status: 'True' };
  const messages = [
    ...(unknown.length ? [`containers with unknown status: [${unknown.join(' ')}]`] : []),
    ...(incomplete.length ? [`containers with incomplete status: [${incomplete.join(' ')}]`] : []),
  ];
  return messages.length ? { status: 'False', reason: 'ContainersNotInitialized', message: messages.join(', ') } : { status: 'True' };
}

function withTransitionTime(condition: PodCondition, previous: readonly PodCondition[], now: string): PodCondition {
  const before = previous.find((c) => c.type === condition.type);
  const lastTransitionTime = before && before.status === condition.status ? before.lastTransitionTime : now;
  return { type: condition.type, status: condition.status, lastProbeTime: null, lastTransitionTime, ...rest(condition) };
}

function rest(c: PodCondition): Partial<PodCondition> {
  return { ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
}

/**
 * Which container instance `kubectl logs [--previous]` reads (kubelet validateContainerLogStatus), or the error
 * the kubelet answers with.
 */
export function logContainerId(
  status: ContainerStatus,
  podName: string,
  previous: boolean,
): { id: string } | { error: string } {
  const { name } = status;
  const { running, terminated, waiting } = status.state;
  const last = status.lastState.terminated;
  const strip = (id: string) => ({ id: id.replace(/^docker:\/\//, '') });
  if (previous) {
    return last?.containerID ? strip(last.containerID) : { error: `previous terminated container "${name}" in pod "${podName}" not found` };
  }
  if (running) return status.containerID ? strip(status.containerID) : { error: `container "${name}" in pod "${podName}" is waiting to start: ContainerCreating` };
  if (terminated) {
    const id = terminated.containerID || last?.containerID;
    return id ? strip(id) : { error: `container "${name}" in pod "${podName}" is terminated` };
  }
  if (last) return last.containerID ? strip(last.containerID) : { error: `container "${name}" in pod "${podName}" is terminated` };
  const reason = waiting?.reason ?? 'ContainerCreating';
  const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
  return { error: `container "${name}" in pod "${podName}" is waiting to start: ${why}` };
}

/** Guaranteed when every container limits and requests CPU and memory equally, BestEffort when nothing is set. */
export function qosClass(containers: readonly Container[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    if (Object.keys(limits).length || Object.keys(requests).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!limits[r] || requests[r] !== limits[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
