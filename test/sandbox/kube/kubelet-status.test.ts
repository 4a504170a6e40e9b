import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Backoff, goDuration } from './kubelet-backoff.ts';
import { containerCommand, containerEnv, expand, invalidImageMessage, volumeFiles, type ConfigLookup } from './kubelet-config.ts';
import { logContainerId, podConditions, podPhase, qosClass } from './kubelet-status.ts';
import type { ConfigMap, ContainerStatus, Pod, Secret } from './workload-types.ts';

const FIXTURES = '/work/shared/fixtures';
const fixture = (path: string) => parse(readFileSync(`${FIXTURES}/${path}`, 'utf8')) as Pod;

describe('podPhase agrees with pods recorded on real clusters', () => {
  it.each([
    'argo-cd/health/pod-crashloop.yaml',
    'argo-cd/health/pod-imagepullbackoff.yaml',
    'argo-cd/health/pod-error.yaml',
    'argo-cd/health/pod-failed.yaml',
    'argo-cd/health/pod-succeeded.yaml',
    'argo-cd/health/pod-running-restart-onfailure.yaml',
    'kubectl-status/pod-job-completed.yaml',
    'is-healthy/Pod/oomkilled-unhealthy.yaml',
    'is-healthy/Pod/pod-crashloop-pending.yaml',
  ])('%s', (path) => {
    const pod = fixture(path);
    expect(podPhase(pod.spec, statusesOf(pod), statusesOf(pod, true))).toBe(pod.status?.phase);
  });
});

function statusesOf(pod: Pod, init = false): ContainerStatus[] {
  return ((init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? []).map((s) => ({ ...s, lastState: s.lastState ?? {} }));
}

describe('podConditions agree with pods recorded on real clusters', () => {
  it('names the init container that has not completed', () => {
    const pod = fixture('is-healthy/Pod/pod-crashloop-pending.yaml');
    const conditions = podConditions({
      spec: pod.spec,
      statuses: statusesOf(pod),
      initStatuses: statusesOf(pod, true),
      phase: 'Pending',
      sandboxReady: true,
      previous: [],
      now: '2026-01-01T00:00:00Z',
    });
    const pick = (type: string) => {
      const c = conditions.find((x) => x.type === type)!;
      return { status: c.status, reason: c.reason, message: c.message };
    };
    const recorded = (type: string) => {
      const c = pod.status!.conditions!.find((x) => x.type === type)!;
      return { status: c.status, reason: c.reason, message: c.message };
    };
    for (const type of ['Initialized', 'Ready', 'ContainersReady']) expect(pick(type)).toEqual(recorded(type));
  });
});

const status = (name: string, state: ContainerStatus['state'], ready = false, lastState: ContainerStatus['lastState'] = {}): ContainerStatus => ({
  name,
  state,
  lastState,
  ready,
  restartCount: 0,
  image: 'x',
  imageID: '',
});

describe('podConditions', () => {
  const spec = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] };
  const now = '2026-01-01T00:00:10Z';

  it('names the unready containers and keeps PodScheduled and unchanged transition times', () => {
    const previous = [
      { type: 'Initialized', status: 'True' as const, lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'PodScheduled', status: 'True' as const, lastTransitionTime: '2026-01-01T00:00:00Z' },
    ];
    const statuses = [status('a', { running: {} }, true), status('b', { waiting: { reason: 'ContainerCreating' } })];
    const conditions = podConditions({ spec, statuses, phase: 'Pending', sandboxReady: true, previous, now });
    expect(conditions).toEqual([
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'ContainersNotReady', message: 'containers with unready status: [b]' },
      { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'ContainersNotReady', message: 'containers with unready status: [b]' },
      previous[1],
    ]);
  });

  it('says PodCompleted once the pod is done', () => {
    const statuses = [status('a', { terminated: { exitCode: 0 } }), status('b', { terminated: { exitCode: 0 } })];
    const ready = podConditions({ spec, statuses, phase: 'Succeeded', sandboxReady: false, previous: [], now }).find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });
});

describe('qosClass', () => {
  it.each([
    [{}, 'BestEffort'],
    [{ limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ limits: { memory: '16Mi' } }, 'Burstable'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
  ])('%j -> %s', (resources, expected) => {
    expect(qosClass([{ name: 'a', image: 'x', resources }])).toBe(expected);
  });
});

describe('logContainerId', () => {
  const term = (id: string) => ({ terminated: { exitCode: 1, containerID: `docker://${id}` } });
  it.each([
    [status('c', { running: {} }), false, { error: 'container "c" in pod "p" is waiting to start: ContainerCreating' }],
    [{ ...status('c', { running: {} }), containerID: 'docker://now' }, false, { id: 'now' }],
    [status('c', { waiting: { reason: 'CrashLoopBackOff' } }, false, term('old')), false, { id: 'old' }],
    [status('c', { waiting: { reason: 'CrashLoopBackOff' } }, false, term('old')), true, { id: 'old' }],
    [status('c', { waiting: { reason: 'ErrImagePull' } }), false, { error: `container "c" in pod "p" is waiting to start: image can't be pulled` }],
    [status('c', { waiting: { reason: 'CreateContainerConfigError' } }), false, { error: 'container "c" in pod "p" is waiting to start: CreateContainerConfigError' }],
    [status('c', { running: {} }), true, { error: 'previous terminated container "c" in pod "p" not found' }],
  ])('%j previous=%s', (s, previous, expected) => {
    expect(logContainerId(s, 'p', previous)).toEqual(expected);
  });
});

describe('containerEnv', () => {
  const cm = (name: string, data: Record<string, string>): ConfigMap => ({ metadata: { name, namespace: 'ns' }, data });
  const lookup = (maps: ConfigMap[], secrets: Secret[] = []): ConfigLookup => ({
    configMap: (_ns, name) => maps.find((m) => m.metadata.name === name),
    secret: (_ns, name) => secrets.find((s) => s.metadata.name === name),
  });
  const pod = (container: Pod['spec']['containers'][number]): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [container] } });

  it('takes envFrom first, then env, and expands $(VAR) from earlier variables', () => {
    const p = pod({
      name: 'c',
      image: 'x',
      envFrom: [{ configMapRef: { name: 'base' } }, { prefix: 'S_', secretRef: { name: 'creds' } }],
      env: [
        { name: 'MODE', value: 'override' },
        { name: 'URL', value: 'http://$(HOST):80/$(UNKNOWN)/$$(HOST)' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    });
    const secrets: Secret[] = [{ metadata: { name: 'creds', namespace: 'ns' }, data: { TOKEN: Buffer.from('t0k').toString('base64') } }];
    expect(containerEnv(p, p.spec.containers[0]!, lookup([cm('base', { HOST: 'db', MODE: 'base' })], secrets))).toEqual({
      ok: true,
      value: ['HOST=db', 'MODE=override', 'S_TOKEN=t0k', 'URL=http://db:80/$(UNKNOWN)/$(HOST)', 'POD=p'],
    });
  });

  it.each([
    [{ envFrom: [{ configMapRef: { name: 'gone' } }] }, 'configmap "gone" not found'],
    [{ envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'base', key: 'nope' } } }] }, "couldn't find key nope in ConfigMap ns/base"],
    [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] }, 'secret "gone" not found'],
  ])('%j fails with the kubelet message', (extra, message) => {
    const p = pod({ name: 'c', image: 'x', ...extra });
    expect(containerEnv(p, p.spec.containers[0]!, lookup([cm('base', {})]))).toEqual({ ok: false, message });
  });

  it('skips optional references that are missing', () => {
    const p = pod({ name: 'c', image: 'x', envFrom: [{ configMapRef: { name: 'gone', optional: true } }] });
    expect(containerEnv(p, p.spec.containers[0]!, lookup([]))).toEqual({ ok: true, value: [] });
  });

  it('expands command and args but leaves unknown references', () => {
    expect(containerCommand({ name: 'c', image: 'x', command: ['echo', '$(A)'], args: ['$(B)'] }, ['A=1'])).toEqual({ entrypoint: ['echo', '1'], cmd: ['$(B)'] });
    expect(expand('$$ $x $(A', new Map())).toBe('$ $x $(A');
  });
});

describe('volumeFiles', () => {
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [] } };
  const lookup: ConfigLookup = {
    configMap: (_ns, name) => (name === 'conf' ? { metadata: { name }, data: { a: '1', b: '2' } } : undefined),
    secret: () => undefined,
  };
  it.each([
    [{ name: 'v', configMap: { name: 'missing' } }, { ok: false, message: 'configmap "missing" not found' }],
    [{ name: 'v', secret: { secretName: 'missing' } }, { ok: false, message: 'secret "missing" not found' }],
    [{ name: 'v', configMap: { name: 'conf', items: [{ key: 'zz', path: 'z' }] } }, { ok: false, message: 'configmap references non-existent config key: zz' }],
    [{ name: 'v', configMap: { name: 'missing', optional: true } }, { ok: true, value: [] }],
    [{ name: 'v', configMap: { name: 'conf', items: [{ key: 'b', path: 'dir/b.txt' }] } }, { ok: true, value: [{ path: 'dir/b.txt', content: Buffer.from('2'), mode: 0o644 }] }],
  ])('%j', (volume, expected) => {
    expect(volumeFiles(pod, volume, lookup)).toEqual(expected);
  });
});

describe('invalidImageMessage', () => {
  it.each([
    ['127.0.0.1:5000/sandbox/busybox:1', undefined],
    ['busybox', undefined],
    ['127.0.0.1:5000/a/b:dev@sha256:' + 'a'.repeat(64), undefined],
    ['Invoice/Web:1', 'invalid reference format: repository name must be lowercase'],
    ['web:has space', 'invalid reference format'],
    ['web::1', 'invalid reference format'],
  ])('%s', (image, why) => {
    expect(invalidImageMessage(image)).toBe(why && `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": ${why}`);
  });
});

describe('Backoff', () => {
  it('restarts at once after the first crash, then waits 10s, 20s, ... up to 5m', () => {
    let now = 0;
    const b = new Backoff(10_000, 300_000, () => now);
    expect(b.isInBackOffSince('c', now)).toBe(false);
    b.next('c', now);
    const durations: number[] = [];
    for (let i = 0; i < 7; i++) {
      now += 1000;
      expect(b.isInBackOffSince('c', now)).toBe(true);
      durations.push(b.get('c'));
      now += b.get('c');
      expect(b.isInBackOffSince('c', now - b.get('c') - 1)).toBe(false);
      b.next('c', now);
    }
    expect(durations.map(goDuration)).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s']);
  });

  it.each([
    [500, '500ms'],
    [1500, '1.5s'],
    [3_600_000, '1h0m0s'],
  ])('goDuration(%d) = %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
