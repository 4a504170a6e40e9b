// Each fail-fast rule and each tolerated case on synthetic objects, with reasons and messages as the kubelet,
// the scheduler, the cluster autoscaler and the controllers write them (kubernetes pkg/kubelet/images,
// pkg/kubelet/kuberuntime, the scheduler's FitError, cluster-autoscaler's NotTriggerScaleUp).
import { describe, expect, it } from 'vitest';
import { emptyMemory, recordLookup, type RolloutMemory } from '../../../src/kube/rollout/memory.ts';
import type { Deployment, KubeEvent, Pod, StatefulSet, Workload } from '../../../src/kube/rollout/objects.ts';
import { judgeWorkload } from '../../../src/kube/rollout/rules.ts';
import { CONFIRMATION_TTL_MS, DEFAULT_RULE_OPTIONS, type RuleOptions } from '../../../src/kube/rollout/windows.ts';
import { at, deployment, event, IMAGE, NEW_HASH, NS, OLD_HASH, pod, readyPod, replicaSet, replicaSets, T0 } from './builders.ts';

interface Judge {
  events?: KubeEvent[];
  now?: number;
  memory?: RolloutMemory;
  options?: Partial<RuleOptions>;
  workload?: Workload;
}

function judge(pods: Pod[], o: Judge = {}) {
  return judgeWorkload(
    { workload: o.workload ?? deployment(), replicaSets: replicaSets(), pods, events: o.events ?? [], since: T0 },
    { now: o.now ?? T0 + 10_000, options: { ...DEFAULT_RULE_OPTIONS, ...o.options }, ...(o.memory ? { memory: o.memory } : {}) },
  );
}

const waiting = (reason: string, message?: string) => ({ state: { waiting: { reason, ...(message ? { message } : {}) } } });

describe('image-pull', () => {
  it('fails at once when the registry says the manifest does not exist (containerd wording)', () => {
    const cause = `failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": ${IMAGE}: not found`;
    const p = pod({ container: waiting('ErrImagePull', `rpc error: code = NotFound desc = ${cause}`) });
    const { verdict } = judge([p], { events: [event(p, 'Failed', `Failed to pull image "${IMAGE}": rpc error: code = NotFound desc = ${cause}`, { container: 'web', at: 2_500 })] });
    expect(verdict).toMatchObject({
      status: 'failed',
      rule: 'image-pull',
      workload: { kind: 'Deployment', namespace: NS, name: 'web' },
      pod: p.metadata!.name,
      container: 'web',
      reason: 'ErrImagePull',
      signalAt: at(2_500),
      hint: expect.stringContaining('does not exist in the registry'),
    });
    expect(verdict.events[0]).toMatchObject({ reason: 'Failed', type: 'Warning', object: `Pod/${p.metadata!.name}` });
  });

  it('reads the cause of an older kubelet\'s bare ImagePullBackOff from its Failed event', () => {
    const p = pod({ container: waiting('ImagePullBackOff', `Back-off pulling image "${IMAGE}"`) });
    const denied = `Failed to pull image "${IMAGE}": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us-docker.pkg.dev/v2/token: 403 Forbidden`;
    const { verdict } = judge([p], { events: [event(p, 'Failed', denied, { container: 'web', count: 2 })] });
    expect(verdict).toMatchObject({ rule: 'image-pull', reason: 'ImagePullBackOff', hint: expect.stringContaining('imagePullSecrets') });
    expect(verdict.message).toContain('403 Forbidden');
  });

  it('reads the cause a 1.32+ kubelet appends to ImagePullBackOff', () => {
    const p = pod({ container: waiting('ImagePullBackOff', `Back-off pulling image "${IMAGE}": ErrImagePull: unexpected status code [manifests sha256:3f1c]: 401 Unauthorized`) });
    expect(judge([p]).verdict).toMatchObject({ status: 'failed', rule: 'image-pull', message: expect.stringContaining('401 Unauthorized') });
  });

  it('fails at once on an invalid image name', () => {
    const p = pod({ container: waiting('InvalidImageName', 'Failed to apply default image tag "Invoice:Dev": couldn\'t parse image name "Invoice:Dev": invalid reference format: repository name must be lowercase') });
    expect(judge([p]).verdict).toMatchObject({ rule: 'image-pull', reason: 'InvalidImageName', hint: expect.stringContaining('malformed') });
  });

  it('gives rate limits a budget of pullErrorBudget failed attempts, counted across observations', () => {
    const limited = 'rpc error: code = Unknown desc = failed to pull and unpack image: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.';
    const sequence = ['ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull'];
    let memory = emptyMemory();
    const statuses = sequence.map((reason, i) => {
      const p = pod({ container: waiting(reason, reason === 'ErrImagePull' ? limited : `Back-off pulling image "${IMAGE}"`) });
      const judged = judge([p], { memory, now: T0 + 5_000 + i * 10_000 });
      memory = judged.memory;
      return judged.verdict.status;
    });
    expect(statuses).toEqual(['progressing', 'progressing', 'progressing', 'progressing', 'progressing', 'progressing', 'failed']);
  });

  it('counts the same ErrImagePull seen twice once, and a timeout that clears is forgotten by success', () => {
    const timeout = 'rpc error: code = Unknown desc = failed to pull and unpack image: failed to do request: Head "https://us-docker.pkg.dev/v2/acme/apps/invoice/manifests/dev": dial tcp: i/o timeout';
    const p = pod({ container: waiting('ErrImagePull', timeout) });
    let memory = emptyMemory();
    for (const now of [T0 + 2_000, T0 + 3_000, T0 + 4_000, T0 + 5_000]) memory = judge([p], { memory, now }).memory;
    expect(Object.values(memory.containers)[0]!.pullFailures).toBe(1);
    expect(judge([readyPod()], { memory }).verdict.status).toBe('progressing');
  });
});

describe('crash-loop and oom-killed', () => {
  const crashed = (restartCount: number, state: object, reason = 'Error', exitCode = 1) => ({
    restartCount,
    ...state,
    lastState: { terminated: { exitCode, reason, startedAt: at(3_000), finishedAt: at(4_000) } },
  });

  it('CrashLoopBackOff beyond allowRestarts: exit code, restarts, the logs of the previous container', () => {
    const p = pod({ container: crashed(3, waiting('CrashLoopBackOff', `back-off 40s restarting failed container=web pod=web-${NEW_HASH}-x7k2p_${NS}(pod-uid)`)) });
    const { verdict } = judge([p]);
    expect(verdict).toMatchObject({
      status: 'failed',
      rule: 'crash-loop',
      reason: 'CrashLoopBackOff',
      exitCode: 1,
      restarts: 3,
      signalAt: at(4_000),
      message: `container web in pod ${p.metadata!.name} crashes at start (exit code 1, 3 restarts, allowRestarts: 0)`,
      needsLogs: { namespace: NS, pod: p.metadata!.name, container: 'web', previous: true },
    });
  });

  it('with allowRestarts 0 the first crash is enough: a terminated container is about to be restarted', () => {
    const p = pod({ container: { restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error', startedAt: at(3_000), finishedAt: at(3_400) } } } });
    expect(judge([p]).verdict).toMatchObject({ rule: 'crash-loop', exitCode: 3, needsLogs: { previous: false } });
  });

  it('tolerates a crash then recovery within allowRestarts', () => {
    const p = readyPod({ container: crashed(1, { state: { running: { startedAt: at(5_000) } } }) });
    expect(judge([p], { options: { allowRestarts: 1 } }).verdict.status).toBe('progressing');
    expect(judge([p], { options: { allowRestarts: 0 } }).verdict.status).toBe('failed');
  });

  it('says when the liveness probe is the killer', () => {
    const p = pod({ container: crashed(2, waiting('CrashLoopBackOff'), 'Error', 137) });
    const events = [
      event(p, 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', { container: 'web', count: 6 }),
      event(p, 'Killing', 'Container web failed liveness probe, will be restarted', { container: 'web', type: 'Normal', at: 2_100 }),
    ];
    expect(judge([p], { events }).verdict.hint).toContain('liveness probe kills the container');
  });

  it('OOMKilled is its own rule, with the memory limit in the message and the hint', () => {
    const p = pod({ container: crashed(1, waiting('CrashLoopBackOff'), 'OOMKilled', 137) });
    expect(judge([p]).verdict).toMatchObject({
      rule: 'oom-killed',
      exitCode: 137,
      message: expect.stringContaining('is OOMKilled at start (memory limit 256Mi, 1 restart'),
      hint: expect.stringContaining('resources.limits.memory'),
    });
  });

  it('restarts a pod had before the rollout began do not count (an unchanged revision re-applied)', () => {
    const old = readyPod({ created: -86_400_000, container: crashed(5, { state: { running: { startedAt: at(-80_000_000) } } }) });
    expect(judge([old]).verdict.status).toBe('progressing');
  });
});

describe('config-missing: confirmed before it is fatal', () => {
  const missing = () => pod({ container: waiting('CreateContainerConfigError', 'configmap "invoice-settings" not found') });
  const configMap = { kind: 'ConfigMap', namespace: NS, name: 'invoice-settings' } as const;

  it('asks the caller to look the ConfigMap up', () => {
    const p = missing();
    const events = [event(p, 'Failed', 'Error: configmap "invoice-settings" not found', { container: 'web', at: 2_200 })];
    expect(judge([p], { events }).verdict).toMatchObject({
      status: 'needs-confirmation',
      rule: 'config-missing',
      confirm: configMap,
      signalAt: at(2_200),
      hint: expect.stringContaining('Create the ConfigMap "invoice-settings" in invoice-dev'),
    });
  });

  it('fails once the lookup says it does not exist', () => {
    const memory = recordLookup(emptyMemory(), configMap, true, T0 + 9_000);
    expect(judge([missing()], { memory }).verdict).toMatchObject({ status: 'failed', rule: 'config-missing', reason: 'CreateContainerConfigError' });
  });

  it('tolerates a ConfigMap created by the same apply, and asks again if the error outlives the answer', () => {
    const memory = recordLookup(emptyMemory(), configMap, false, T0 + 9_000);
    expect(judge([missing()], { memory }).verdict).toMatchObject({ status: 'progressing', nextCheckAt: T0 + 9_000 + CONFIRMATION_TTL_MS });
    expect(judge([missing()], { memory, now: T0 + 9_000 + CONFIRMATION_TTL_MS }).verdict.status).toBe('needs-confirmation');
  });

  it('a missing key of an existing Secret asks about the key', () => {
    const p = pod({ container: waiting('CreateContainerConfigError', `couldn't find key DATABASE_URL in Secret ${NS}/invoice-db`) });
    expect(judge([p]).verdict.confirm).toEqual({ kind: 'Secret', namespace: NS, name: 'invoice-db', key: 'DATABASE_URL' });
  });
});

describe('container-create', () => {
  it('fails at once when the command is not in the image', () => {
    const message = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown';
    const p = pod({ container: { ...waiting('RunContainerError', message), lastState: { terminated: { exitCode: 128, reason: 'StartError', message, finishedAt: at(3_000), startedAt: '1970-01-01T00:00:00Z' } } } });
    expect(judge([p]).verdict).toMatchObject({
      rule: 'container-create',
      reason: 'RunContainerError',
      exitCode: 128,
      signalAt: at(3_000),
      hint: expect.stringContaining('command does not exist in the image'),
    });
  });

  it('runAsNonRoot against a root image', () => {
    const p = pod({ container: waiting('CreateContainerConfigError', `container has runAsNonRoot and image will run as root (pod: "web-${NEW_HASH}-x7k2p_${NS}(pod-uid)", container: web)`) });
    expect(judge([p]).verdict).toMatchObject({ rule: 'container-create', hint: expect.stringContaining('runAsNonRoot') });
  });

  it.each([
    'context deadline exceeded',
    'failed to reserve container name "web_web-7d9c4b8f6d-x7k2p_invoice-dev_0": name "web_..." is reserved for "4f1e"',
  ])('tolerates a slow runtime: CreateContainerError %j', (message) => {
    expect(judge([pod({ container: waiting('CreateContainerError', message) })]).verdict.status).toBe('progressing');
  });
});

describe('mount-missing', () => {
  const creating = () => pod({ phase: 'Pending', extra: { spec: { volumes: [{ name: 'settings', configMap: { name: 'invoice-settings' } }] } } });

  it('a FailedMount naming a missing ConfigMap asks for confirmation, then fails', () => {
    const p = creating();
    const events = [event(p, 'FailedMount', 'MountVolume.SetUp failed for volume "settings" : configmap "invoice-settings" not found', { count: 3 })];
    const first = judge([p], { events });
    expect(first.verdict).toMatchObject({ status: 'needs-confirmation', rule: 'mount-missing', confirm: { kind: 'ConfigMap', name: 'invoice-settings' } });
    const memory = recordLookup(first.memory, first.verdict.confirm!, true, T0 + 11_000);
    expect(judge([p], { events, memory }).verdict).toMatchObject({ status: 'failed', rule: 'mount-missing', reason: 'FailedMount' });
  });

  it('a missing key is traced through the pod\'s volumes to its ConfigMap', () => {
    const p = creating();
    const events = [event(p, 'FailedMount', 'MountVolume.SetUp failed for volume "settings" : configmap references non-existent config key: settings.py')];
    expect(judge([p], { events }).verdict.confirm).toEqual({ kind: 'ConfigMap', namespace: NS, name: 'invoice-settings', key: 'settings.py' });
  });

  it('tolerates "failed to sync configmap cache"', () => {
    const p = creating();
    const events = [event(p, 'FailedMount', 'MountVolume.SetUp failed for volume "settings" : failed to sync configmap cache: timed out waiting for the condition')];
    expect(judge([p], { events }).verdict.status).toBe('progressing');
  });

  it('a PersistentVolumeClaim that does not exist (the scheduler says so) asks about the claim at once', () => {
    const message = '0/3 nodes are available: persistentvolumeclaim "invoice-media" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    const p = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: at(1_100) }], extra: { status: { containerStatuses: [] } } });
    expect(judge([p], { now: T0 + 2_000 }).verdict).toMatchObject({
      status: 'needs-confirmation',
      rule: 'mount-missing',
      confirm: { kind: 'PersistentVolumeClaim', namespace: NS, name: 'invoice-media' },
    });
  });
});

describe('unschedulable', () => {
  const fitError = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  const pending = () =>
    pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: fitError, lastTransitionTime: at(1_100) }], extra: { status: { containerStatuses: [] } } });
  const old = () => [readyPod({ hash: OLD_HASH, suffix: 'a1', created: -86_400_000 }), readyPod({ hash: OLD_HASH, suffix: 'b2', created: -86_400_000 })];

  it('waits 15 s, telling the tracker when to look again; then names the surge as the reason', () => {
    const p = pending();
    const events = [event(p, 'FailedScheduling', fitError, { component: 'default-scheduler', at: 1_100 })];
    expect(judge([p, ...old()], { events, now: T0 + 10_000 }).verdict).toMatchObject({ status: 'progressing', nextCheckAt: T0 + 16_100 });
    expect(judge([p, ...old()], { events, now: T0 + 16_100 }).verdict).toMatchObject({
      status: 'failed',
      rule: 'unschedulable',
      reason: 'Unschedulable',
      signalAt: at(1_100),
      windowMs: 15_000,
      message: expect.stringContaining('3 Insufficient cpu'),
      hint: expect.stringContaining('No room for the surge pods'),
    });
  });

  it('fails at once when the cluster autoscaler says no node is coming', () => {
    const p = pending();
    const events = [event(p, 'NotTriggerScaleUp', "pod didn't trigger scale-up: 1 max node group size reached", { component: 'cluster-autoscaler', type: 'Normal', at: 2_000 })];
    expect(judge([p], { events, now: T0 + 3_000 }).verdict).toMatchObject({ status: 'failed', rule: 'unschedulable', reason: 'NotTriggerScaleUp', signalAt: at(2_000) });
  });

  it('gives a node the autoscaler is adding time to join', () => {
    const p = pending();
    const events = [
      event(p, 'TriggeredScaleUp', 'pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/acme/zones/us-central1-a/instanceGroups/gke-pool-1 1->2 (max: 3)}]', { component: 'cluster-autoscaler', type: 'Normal' }),
    ];
    expect(judge([p], { events, now: T0 + 60_000 }).verdict).toMatchObject({ status: 'progressing', nextCheckAt: T0 + 1_100 + 180_000 });
  });
});

describe('readiness', () => {
  const unready = () => pod({ container: { ready: false, started: true, state: { running: { startedAt: at(3_000) } } } });
  const probe404 = (p: Pod) => [event(p, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 404', { container: 'web', count: 4, at: 33_000 })];

  it('a slow starter inside its window is waited for (0 + 10 s x 3 + 5 s slack)', () => {
    expect(judge([unready()], { now: T0 + 30_000 }).verdict).toMatchObject({ status: 'progressing', nextCheckAt: T0 + 38_000 });
  });

  it('after the window: the newest probe failure, and the classic wrong path/port hint', () => {
    const p = unready();
    const { verdict } = judge([p], { events: probe404(p), now: T0 + 38_000 });
    expect(verdict).toMatchObject({
      status: 'failed',
      rule: 'readiness',
      signalAt: at(3_000),
      windowMs: 35_000,
      message: `container web in pod ${p.metadata!.name} has run for 35s without becoming Ready (window 35s, probe GET /healthz on port 8080, every 10s, 3 failures allowed): Readiness probe failed: HTTP probe failed with statuscode: 404`,
      hint: expect.stringContaining('readiness probe 404 on /healthz port 8080'),
      needsLogs: { container: 'web', previous: false },
    });
  });

  it('a probe aimed at a port the container does not declare says which one it declares', () => {
    const p = pod({
      spec: { readinessProbe: { httpGet: { path: '/healthz', port: 8000 } } },
      container: { ready: false, started: true, state: { running: { startedAt: at(3_000) } } },
    });
    const hint = judge([p], { events: probe404(p), now: T0 + 60_000 }).verdict.hint;
    expect(hint).toBe('readiness probe 404 on /healthz port 8000: the app does not serve that path on that port; a wrong path, or the app listens on another port (the container declares 8080).');
    expect(judge([unready()], { events: probe404(unready()), now: T0 + 60_000 }).verdict.hint).not.toContain('declares');
  });

  it('connection refused points at the port', () => {
    const p = unready();
    const events = [event(p, 'Unhealthy', 'Readiness probe failed: Get "http://10.8.0.12:8080/healthz": dial tcp 10.8.0.12:8080: connect: connection refused', { container: 'web' })];
    expect(judge([p], { events, now: T0 + 60_000 }).verdict.hint).toContain('Nothing listens on port 8080');
  });

  it('a container that was Ready and dropped out gets a fresh window from the drop', () => {
    const p = pod({
      container: { ready: false, started: true, state: { running: { startedAt: at(3_000) } } },
      conditions: [{ type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: at(300_000) }],
    });
    expect(judge([p], { now: T0 + 310_000 }).verdict).toMatchObject({ status: 'progressing', nextCheckAt: T0 + 335_000 });
    expect(judge([p], { now: T0 + 335_000 }).verdict).toMatchObject({
      rule: 'readiness',
      signalAt: at(300_000),
      message: expect.stringContaining('has not been Ready for 35s'),
    });
  });

  it('the window grows with the startup probe', () => {
    const p = pod({
      spec: { startupProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 12 } },
      container: { ready: false, started: false, state: { running: { startedAt: at(3_000) } } },
    });
    expect(judge([p], { now: T0 + 60_000 }).verdict).toMatchObject({ status: 'progressing', nextCheckAt: T0 + 3_000 + 95_000 });
  });
});

describe('workload signals', () => {
  it('replica-failure: a quota that has no room for the new pods', () => {
    const quota = `pods "web-${NEW_HASH}-" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=500m, used: requests.cpu=1900m, limited: requests.cpu=2`;
    const d = deployment();
    d.status!.conditions!.push({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quota, lastTransitionTime: at(1_500) });
    expect(judge([], { workload: d }).verdict).toMatchObject({
      status: 'failed',
      rule: 'replica-failure',
      reason: 'FailedCreate',
      message: quota,
      signalAt: at(1_500),
      hint: expect.stringContaining('ResourceQuota'),
    });
  });

  it('replica-failure from the new ReplicaSet before the Deployment copies it', () => {
    const rs = replicaSet(NEW_HASH, '2', [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'admission webhook "validate.kyverno.svc-fail" denied the request: require-requests-limits', lastTransitionTime: at(1_200) }]);
    const { verdict } = judgeWorkload({ workload: deployment(), replicaSets: [replicaSet(OLD_HASH, '1'), rs], pods: [], since: T0 }, { now: T0 + 2_000 });
    expect(verdict).toMatchObject({ rule: 'replica-failure', hint: expect.stringContaining('admission webhook') });
  });

  it('a StatefulSet says FailedCreate only in an event; one from an earlier rollout is ignored', () => {
    const sts: StatefulSet = {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NS, uid: 'sts-db', generation: 3 },
      spec: { replicas: 1, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
      status: { observedGeneration: 3, replicas: 0, updateRevision: 'db-6c9f', currentRevision: 'db-5b8e' },
    };
    const failedCreate = (ms: number): KubeEvent => ({
      involvedObject: { kind: 'StatefulSet', namespace: NS, name: 'db', uid: 'sts-db' },
      reason: 'FailedCreate',
      type: 'Warning',
      message: 'create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false',
      lastTimestamp: at(ms),
      count: 1,
    });
    const run = (ms: number) => judgeWorkload({ workload: sts, pods: [], events: [failedCreate(ms)], since: T0 }, { now: T0 + 5_000 }).verdict;
    expect(run(2_000)).toMatchObject({ status: 'failed', rule: 'replica-failure', hint: expect.stringContaining('Pod Security') });
    expect(run(-600_000).status).toBe('progressing');
  });

  it('progress-deadline, unless a pod says more precisely why', () => {
    const d = deployment();
    d.status!.conditions![1] = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "web-${NEW_HASH}" has timed out progressing.`, lastTransitionTime: at(600_000) };
    expect(judge([], { workload: d }).verdict).toMatchObject({ rule: 'progress-deadline', signalAt: at(600_000), message: expect.stringContaining('(progressDeadlineSeconds: 600)') });
    const crashing = pod({ container: { restartCount: 9, ...waiting('CrashLoopBackOff') } });
    expect(judge([crashing], { workload: d }).verdict.rule).toBe('crash-loop');
  });

  it('job-failed on FailureTarget, which comes before Failed', () => {
    const job: Workload = {
      kind: 'Job',
      metadata: { name: 'migrate', namespace: NS },
      spec: { backoffLimit: 2 },
      status: { failed: 3, conditions: [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: at(30_000) }] },
    };
    expect(judgeWorkload({ workload: job, pods: [] }, { now: T0 + 31_000 }).verdict).toMatchObject({
      rule: 'job-failed',
      message: 'Job has reached the specified backoff limit (3 failed of backoffLimit 2, 0 succeeded)',
    });
  });

  it('judges nothing before the controller has seen the new spec', () => {
    const d = deployment({ generation: 3 });
    const crashing = pod({ container: { restartCount: 9, ...waiting('CrashLoopBackOff') } });
    expect(judge([crashing], { workload: d }).verdict).toMatchObject({ status: 'progressing', message: 'waiting for the controller to observe generation 3 (observed: 2)' });
  });

  it('done when kubectl would say so', () => {
    const d = deployment({ status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 } });
    expect(judge([readyPod({ suffix: 'a' }), readyPod({ suffix: 'b' }), readyPod({ suffix: 'c' })], { workload: d }).verdict).toMatchObject({
      status: 'done',
      message: 'deployment "web" successfully rolled out',
      events: [],
    });
  });
});

describe('tolerated, never fatal', () => {
  const crashLoop = { restartCount: 7, ...waiting('CrashLoopBackOff'), lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(2_000) } } };

  it.each([
    ['an old-revision pod crash-looping', pod({ hash: OLD_HASH, container: crashLoop })],
    ['an evicted new pod', pod({ phase: 'Failed', container: crashLoop, extra: { status: { reason: 'Evicted', message: 'The node was low on resource: memory.' } } })],
    ['a new pod being deleted', pod({ container: crashLoop, extra: { metadata: { deletionTimestamp: at(5_000) } } })],
  ])('%s', (_, p) => {
    expect(judge([p, readyPod({ suffix: 'ok' })]).verdict.status).toBe('progressing');
  });

  it('"failed to sync configmap cache" while the container is created', () => {
    const p = pod({ container: waiting('CreateContainerConfigError', 'failed to sync configmap cache: timed out waiting for the condition') });
    expect(judge([p]).verdict.status).toBe('progressing');
  });
});

describe('judgeWorkload as a function', () => {
  it('never changes the memory it is given', () => {
    const memory = emptyMemory();
    const frozen = structuredClone(memory);
    const next = judge([pod({ container: waiting('ErrImagePull', 'i/o timeout') })], { memory }).memory;
    expect(memory).toEqual(frozen);
    expect(next).not.toEqual(frozen);
  });

  it('of two failing pods, reports the one whose signal came first', () => {
    const late = pod({ suffix: 'aaaaa', container: { restartCount: 2, ...waiting('CrashLoopBackOff'), lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(9_000) } } } });
    const early = pod({ suffix: 'zzzzz', container: { restartCount: 2, ...waiting('CrashLoopBackOff'), lastState: { terminated: { exitCode: 2, reason: 'Error', finishedAt: at(4_000) } } } });
    expect(judge([late, early]).verdict).toMatchObject({ pod: early.metadata!.name, exitCode: 2 });
  });

  it('prints progress as it changes', () => {
    const d: Deployment = deployment({ status: { observedGeneration: 2, replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3 } });
    const { progress } = judge([readyPod({ suffix: 'a' }), pod({ suffix: 'b' })], { workload: d, now: T0 + 14_700 });
    expect(progress.text).toBe('web: 2/3 updated, 1 ready, 14s');
  });
});
