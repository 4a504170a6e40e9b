// The kubelet against the real Docker engine: each failure a rollout can meet, produced for real, reported with
// the reasons and messages a real kubelet uses (compare ../shared/fixtures and kubernetes' kubelet source).
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DockerRuntime } from './docker-runtime.ts';
import { Kubelet } from './kubelet.ts';
import { ObjectStore } from './store.ts';
import { condition, containerStatus, eventsAbout, podManifest, waitFor, waitForEvent } from './test-helpers.ts';
import type { Container, Pod } from './workload-types.ts';

const image = inject('baseImage');
const onNode = { nodeName: 'sandbox' };
const httpd = (extra: Partial<Container> = {}): Container => ({
  name: 'web',
  image,
  command: ['sh', '-c', 'echo ok > /tmp/index.html; echo serving; exec httpd -f -p 8080 -h /tmp'],
  ...extra,
});

describe('Kubelet', () => {
  const store = new ObjectStore();
  const runtime = new DockerRuntime(inject('dockerHost'));
  const clusterId = `kubelet-test-${process.pid}`;
  const kubelet = new Kubelet({
    store,
    runtime,
    dir: join(inject('sandboxDir'), clusterId),
    pauseImage: image,
    clusterId,
    backOffScale: 0.1,
    maxGracePeriodSeconds: 1,
  });
  const run = (pod: Pod) => store.create('pods', pod);
  const pod = (name: string, predicate: (p: Pod) => boolean, timeoutMs?: number) => waitFor<Pod>(store, 'pods', 'default', name, predicate, timeoutMs);

  beforeAll(() => kubelet.start());
  afterAll(() => kubelet.stop());

  it('registers its node with finite capacity', () => {
    expect(store.get('nodes', '', 'sandbox')).toMatchObject({
      status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi' } },
    });
  });

  it('runs a server that passes its readiness probe, reported like a real running pod', async () => {
    run(podManifest('good', [httpd({ readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } })], onNode));
    const ready = await pod('good', (p) => condition(p, 'Ready')?.status === 'True');
    const s = containerStatus(ready);
    expect(ready.status?.phase).toBe('Running');
    expect(s).toMatchObject({ name: 'web', ready: true, started: true, restartCount: 0, image, lastState: {} });
    expect(s.state.running?.startedAt).toMatch(/Z$/);
    expect(s.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(s.imageID).toMatch(new RegExp(`^docker-pullable://${image.replace(/:1$/, '')}@sha256:[0-9a-f]{64}$`));
    expect(ready.status?.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
    ]);
    expect(eventsAbout(store, 'default', 'good').map((e) => [e.reason, e.message, e.involvedObject.fieldPath])).toEqual(
      expect.arrayContaining([
        ['Created', 'Created container: web', 'spec.containers{web}'],
        ['Started', 'Started container web', 'spec.containers{web}'],
      ]),
    );
    expect(await text(await kubelet.logs('default', 'good'))).toBe('serving\n');
  });

  it('reports a missing tag as ErrImagePull, then ImagePullBackOff', async () => {
    const missing = image.replace(/:1$/, ':no-such-tag');
    run(podManifest('missing-image', [{ name: 'web', image: missing }], onNode));
    const failed = await waitForEvent(store, 'default', 'missing-image', 'Failed', /^Failed to pull image/);
    expect(failed.type).toBe('Warning');
    expect(failed.message).toBe(
      `Failed to pull image "${missing}": rpc error: code = Unknown desc = Error response from daemon: manifest for ${missing} not found: manifest unknown: manifest unknown`,
    );
    const backoff = await pod('missing-image', (p) => containerStatus(p).state.waiting?.reason === 'ImagePullBackOff');
    expect(containerStatus(backoff).state.waiting).toEqual({ reason: 'ImagePullBackOff', message: `Back-off pulling image "${missing}"` });
    expect(backoff.status?.phase).toBe('Pending');
    await expect(kubelet.logs('default', 'missing-image')).rejects.toThrow(
      'container "web" in pod "missing-image" is waiting to start: trying and failing to pull image',
    );
  });

  it('pulls an image pinned by tag and digest, as rollgate applies them', async () => {
    const res = await fetch(`http://${inject('registryHost')}/v2/sandbox/busybox/manifests/1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const pinned = `${image}@${res.headers.get('docker-content-digest')}`;
    run(podManifest('pinned', [{ name: 'app', image: pinned, imagePullPolicy: 'Always', command: ['sleep', '3600'] }], onNode));
    const running = await pod('pinned', (p) => Boolean(containerStatus(p).state.running));
    expect(containerStatus(running).imageID).toBe(`docker-pullable://${pinned.replace(/:1@/, '@')}`);
    expect((await waitForEvent(store, 'default', 'pinned', 'Pulled')).message).toMatch(
      new RegExp(`^Successfully pulled image "${pinned.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" in [\\d.]+m?s \\([\\d.]+m?s including waiting\\)\\. Image size: \\d+ bytes\\.$`),
    );
  });

  it('refuses an image name that does not parse with InvalidImageName', async () => {
    run(podManifest('bad-name', [{ name: 'app', image: 'Invoice/Web:1' }], onNode));
    const p = await pod('bad-name', (x) => containerStatus(x).state.waiting?.reason === 'InvalidImageName');
    const message = `Failed to apply default image tag "Invoice/Web:1": couldn't parse image reference "Invoice/Web:1": invalid reference format: repository name must be lowercase`;
    expect(containerStatus(p).state.waiting?.message).toBe(message);
    expect((await waitForEvent(store, 'default', 'bad-name', 'InspectFailed')).message).toBe(message);
  });

  it('reports a command that cannot run as RunContainerError / ContainerCannotRun', async () => {
    run(podManifest('cannot-run', [{ name: 'app', image, command: ['no-such-binary'] }], onNode));
    const p = await pod('cannot-run', (x) => containerStatus(x).state.waiting?.reason === 'RunContainerError');
    const s = containerStatus(p);
    expect(s.state.waiting?.message).toMatch(/^failed to start container "[0-9a-f]{64}": Error response from daemon: .*executable file not found in \$PATH/);
    expect(s.lastState.terminated).toMatchObject({ reason: 'ContainerCannotRun', exitCode: 127 });
    expect((await waitForEvent(store, 'default', 'cannot-run', 'Failed', /^Error: failed to start container "app"/)).type).toBe('Warning');
  });

  it('restarts a container that crashes at start with CrashLoopBackOff and keeps the previous logs', async () => {
    run(podManifest('crash', [{ name: 'app', image, command: ['sh', '-c', 'echo "see ya!"; exit 1'] }], onNode));
    const looping = await pod('crash', (p) => containerStatus(p).state.waiting?.reason === 'CrashLoopBackOff');
    const s = containerStatus(looping);
    expect(looping.status?.phase).toBe('Running');
    expect(s.restartCount).toBeGreaterThanOrEqual(1);
    expect(s.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(s.lastState.terminated?.containerID).toMatch(/^docker:\/\//);
    expect(s.state.waiting?.message).toMatch(
      new RegExp(`^back-off \\d+(\\.\\d+)?m?s restarting failed container=app pod=crash_default\\(${looping.metadata.uid}\\)$`),
    );
    expect(condition(looping, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    const backOff = await waitForEvent(store, 'default', 'crash', 'BackOff');
    expect(backOff.message).toBe(`Back-off restarting failed container app in pod crash_default(${looping.metadata.uid})`);
    expect(await text(await kubelet.logs('default', 'crash', { previous: true }))).toBe('see ya!\n');
  });

  it('keeps a server whose readiness probe answers 404 unready, with Unhealthy events', async () => {
    run(podManifest('unready', [httpd({ readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } })], onNode));
    const unhealthy = await waitForEvent(store, 'default', 'unready', 'Unhealthy');
    expect([unhealthy.type, unhealthy.message]).toEqual(['Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 404']);
    const p = store.get<Pod>('pods', 'default', 'unready')!;
    expect(containerStatus(p)).toMatchObject({ ready: false, started: true });
    expect(containerStatus(p).state.running).toBeDefined();
    expect(condition(p, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
  });

  it('waits with CreateContainerConfigError for a missing ConfigMap and starts once it appears', async () => {
    const app: Container = {
      name: 'app',
      image,
      command: ['sh', '-c', 'echo "mode=$MODE level=$(LEVEL)"; sleep 3600'],
      env: [{ name: 'LEVEL', value: 'debug' }, { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }],
    };
    run(podManifest('needs-config', [app], onNode));
    const waiting = await pod('needs-config', (p) => containerStatus(p).state.waiting?.reason === 'CreateContainerConfigError');
    expect(containerStatus(waiting).state.waiting?.message).toBe('configmap "settings" not found');
    expect((await waitForEvent(store, 'default', 'needs-config', 'Failed')).message).toBe('Error: configmap "settings" not found');
    store.create('configmaps', { metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast' } });
    await pod('needs-config', (p) => Boolean(containerStatus(p).state.running));
    await expect.poll(async () => text(await kubelet.logs('default', 'needs-config'))).toBe('mode=fast level=debug\n');
  });

  it('keeps a pod ContainerCreating with FailedMount while a volume ConfigMap is missing', async () => {
    const app: Container = { name: 'app', image, command: ['sh', '-c', 'cat /etc/app/greeting; sleep 3600'], volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }] };
    run(podManifest('needs-volume', [app], { ...onNode, volumes: [{ name: 'conf', configMap: { name: 'files' } }] }));
    const failed = await waitForEvent(store, 'default', 'needs-volume', 'FailedMount');
    expect([failed.type, failed.message]).toEqual(['Warning', 'MountVolume.SetUp failed for volume "conf" : configmap "files" not found']);
    const p = store.get<Pod>('pods', 'default', 'needs-volume')!;
    expect(containerStatus(p).state.waiting).toEqual({ reason: 'ContainerCreating' });
    expect(p.status?.phase).toBe('Pending');
    store.create('configmaps', { metadata: { name: 'files', namespace: 'default' }, data: { greeting: 'hello\n' } });
    await pod('needs-volume', (x) => Boolean(containerStatus(x).state.running));
    await expect.poll(async () => text(await kubelet.logs('default', 'needs-volume'))).toBe('hello\n');
  });

  it('reports a container killed over its memory limit as OOMKilled', async () => {
    const hog: Container = {
      name: 'hog',
      image,
      command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'],
      resources: { limits: { memory: '16Mi' } },
    };
    run(podManifest('oom', [hog], onNode));
    const killed = await pod('oom', (p) => containerStatus(p).lastState.terminated?.reason === 'OOMKilled' || containerStatus(p).state.terminated?.reason === 'OOMKilled');
    const s = containerStatus(killed);
    expect((s.lastState.terminated ?? s.state.terminated)?.exitCode).toBe(137);
    expect(killed.status?.qosClass).toBe('Burstable');
  });

  it('kills and restarts a container whose liveness probe fails', async () => {
    run(podManifest('not-alive', [httpd({ livenessProbe: { httpGet: { path: '/nope', port: 8080 }, periodSeconds: 1, failureThreshold: 2 } })], onNode));
    const killing = await waitForEvent(store, 'default', 'not-alive', 'Killing');
    expect(killing.message).toBe('Container web failed liveness probe, will be restarted');
    expect((await waitForEvent(store, 'default', 'not-alive', 'Unhealthy')).message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 404');
    await pod('not-alive', (p) => containerStatus(p).restartCount >= 1);
  });

  it('finishes a pod whose only container exits 0 under restartPolicy Never', async () => {
    run(podManifest('once', [{ name: 'job', image, command: ['sh', '-c', 'echo done'] }], { ...onNode, restartPolicy: 'Never' }));
    const done = await pod('once', (p) => p.status?.phase === 'Succeeded');
    expect(containerStatus(done).state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(condition(done, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(await text(await kubelet.logs('default', 'once'))).toBe('done\n');
  });

  it('runs init containers to completion first, sharing an emptyDir with the app that a non-root user can write', async () => {
    run(
      podManifest(
        'with-init',
        [{ name: 'app', image, command: ['sh', '-c', 'cat /work/seed; sleep 3600'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
        {
          ...onNode,
          initContainers: [{ name: 'seed', image, command: ['sh', '-c', 'echo seeded > /work/seed'], securityContext: { runAsUser: 10001 }, volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
          volumes: [{ name: 'work', emptyDir: {} }],
        },
      ),
    );
    const running = await pod('with-init', (p) => Boolean(containerStatus(p).state.running));
    expect(running.status?.initContainerStatuses?.[0]).toMatchObject({ name: 'seed', ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(condition(running, 'Initialized')?.status).toBe('True');
    await expect.poll(async () => text(await kubelet.logs('default', 'with-init'))).toBe('seeded\n');
  });

  it('holds the app containers in PodInitializing while an init container crash-loops', async () => {
    run(podManifest('init-fails', [{ name: 'app', image, command: ['sleep', '3600'] }], { ...onNode, initContainers: [{ name: 'migrate', image, command: ['sh', '-c', 'exit 2'] }] }));
    const stuck = await pod('init-fails', (p) => p.status?.initContainerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff');
    expect(stuck.status?.phase).toBe('Pending');
    expect(containerStatus(stuck).state.waiting).toEqual({ reason: 'PodInitializing' });
    expect(condition(stuck, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [migrate]' });
    expect(stuck.status?.initContainerStatuses?.[0]?.lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const backOff = await waitForEvent(store, 'default', 'init-fails', 'BackOff');
    expect(backOff.involvedObject.fieldPath).toBe('spec.initContainers{migrate}');
  });

  it('ignores pods bound to another node, and removes the containers of a deleted pod', async () => {
    store.create('pods', podManifest('elsewhere', [{ name: 'x', image }], { nodeName: 'virtual' }));
    const created = run(podManifest('short-lived', [{ name: 'app', image, command: ['sleep', '3600'] }], onNode));
    await pod('short-lived', (p) => Boolean(containerStatus(p).state.running));
    store.delete('pods', 'default', 'short-lived');
    const uid = { 'io.kubernetes.pod.uid': created.metadata.uid! };
    await expect.poll(() => runtime.list(uid), { timeout: 15_000 }).toEqual([]);
    expect(store.get<Pod>('pods', 'default', 'elsewhere')?.status).toBeUndefined();
  });
});
