// The whole sandbox cluster driven by the real kubectl: apply, rollout status (success, and the progress-deadline
// failure), logs, a service proxy path; and every failure of the fail-fast table produced by a manifest, reported
// with the reasons a real cluster uses.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from './cluster.ts';
import { condition, waitFor, waitForEvent } from './test-helpers.ts';
import type { CoreEvent } from './event-recorder.ts';
import type { Pod } from './workload-types.ts';

const image = inject('baseImage');
let cluster: SandboxCluster;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(inject('sandboxDir'), 'kube-cluster-'));
  cluster = await startSandboxCluster({ dir, dockerHost: inject('dockerHost'), pauseImage: image, backOffScale: 0.1, maxGracePeriodSeconds: 1 });
});

afterAll(async () => {
  await cluster?.stop();
});

function kubectl(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', cluster.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function apply(yaml: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return kubectl('apply', '--server-side', '--validate=false', '-f', file);
}

/** A Deployment of one busybox container; `container` is YAML merged into the container (indented 8). */
function deployment(ns: string, name: string, container: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 1
  progressDeadlineSeconds: 8
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
${extra}      containers:
      - name: app
        image: ${image}
${container}
---
`;
}

const server = `        command: [sh, -c, 'echo "$GREETING" > /tmp/index.html; echo started; exec httpd -f -p 8080 -h /tmp']
        ports: [{name: http, containerPort: 8080}]
        env: [{name: GREETING, valueFrom: {configMapKeyRef: {name: web-config, key: greeting}}}]
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}`;

describe('the sandbox cluster under kubectl', () => {
  it('rolls out a good image: rollout status, logs and the service proxy answer as on a real cluster', async () => {
    const applied = await apply(`apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {greeting: hello from the sandbox}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
${deployment('shop', 'web', server)}`);
    expect(applied.stderr).toBe('');
    const rollout = await kubectl('-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=60s');
    expect(rollout.stdout.trim().split('\n').pop()).toBe('deployment "web" successfully rolled out');
    expect(rollout.code).toBe(0);
    const proxied = await kubectl('get', '--raw', '/api/v1/namespaces/shop/services/web:80/proxy/');
    expect(proxied.stdout).toBe('hello from the sandbox\n');
    const logs = await kubectl('-n', 'shop', 'logs', 'deployment/web');
    expect(logs.stdout).toBe('started\n');
    const listed = await kubectl('-n', 'shop', 'get', 'deploy,rs,pods,events');
    expect(listed.stdout).toMatch(/deployment\.apps\/web\s+1\/1\s+1\s+1/);
    expect(listed.stdout).toMatch(/Scaled up replica set web-\w+ to 1/);
  });

  it('ends rollout status for a crashing image with the progress-deadline message', async () => {
    await apply(`apiVersion: v1
kind: Namespace
metadata: {name: crash}
---
${deployment('crash', 'crash', `        command: [sh, -c, 'echo "cannot connect to the database"; exit 3']`)}`);
    const rollout = await kubectl('-n', 'crash', 'rollout', 'status', 'deployment/crash', '--timeout=60s');
    expect(rollout.code).toBe(1);
    expect(rollout.stderr.trim()).toBe('error: deployment "crash" exceeded its progress deadline');
    const pod = cluster.store.list<Pod>('pods', { namespace: 'crash' }).items[0]!;
    const status = pod.status!.containerStatuses![0]!;
    expect(status.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(status.restartCount).toBeGreaterThanOrEqual(1);
    const previous = await kubectl('-n', 'crash', 'logs', pod.metadata.name!, '--previous');
    expect(previous.stdout).toBe('cannot connect to the database\n');
  });
});

describe('StatefulSets, DaemonSets and Jobs under kubectl', () => {
  it('rolls out a StatefulSet and a DaemonSet, and runs a Job to completion', async () => {
    const pod = `      containers:
      - name: app
        image: ${image}
        command: [sleep, '3600']
      terminationGracePeriodSeconds: 1`;
    const applied = await apply(`apiVersion: v1
kind: Namespace
metadata: {name: infra}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: infra}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
${pod}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: infra}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
${pod}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: infra}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: ${image}
        command: [sh, -c, 'echo migrated']
`);
    expect(applied.stderr).toBe('');
    const [sts, ds, job] = await Promise.all([
      kubectl('-n', 'infra', 'rollout', 'status', 'statefulset/db', '--timeout=60s'),
      kubectl('-n', 'infra', 'rollout', 'status', 'daemonset/agent', '--timeout=60s'),
      kubectl('-n', 'infra', 'wait', '--for=condition=complete', 'job/migrate', '--timeout=60s'),
    ]);
    expect(sts.stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated|statefulset rolling update complete 2 pods at revision db-\w+/);
    expect(ds.stdout.trim().split('\n').pop()).toBe('daemon set "agent" successfully rolled out');
    expect(job.stdout.trim()).toBe('job.batch/migrate condition met');
    expect((await kubectl('-n', 'infra', 'logs', 'job/migrate')).stdout).toBe('migrated\n');
    const agents = cluster.store.list<Pod>('pods', { namespace: 'infra', labelSelector: 'app=agent' }).items;
    expect(agents.map((p) => p.spec.nodeName)).toEqual(['sandbox']);
  });
});

describe('the failures of the fail-fast table, produced by manifests', () => {
  const ns = 'faults';
  const podOf = (app: string, predicate: (p: Pod) => boolean) => {
    const name = () => cluster.store.list<Pod>('pods', { namespace: ns, labelSelector: `app=${app}` }).items[0]?.metadata.name;
    return new Promise<Pod>((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        const n = name();
        if (n) return waitFor<Pod>(cluster.store, 'pods', ns, n, predicate).then(resolve, reject);
        if (Date.now() - started > 30_000) return reject(new Error(`no pod for ${app}`));
        setTimeout(tick, 50);
      };
      tick();
    });
  };
  const waiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state.waiting;

  beforeAll(async () => {
    const applied = await apply(`apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
${deployment(ns, 'missing-image', `        image: ${image.replace(/:1$/, ':does-not-exist')}`).replace(`        image: ${image}\n`, '')}
${deployment(ns, 'unready', `        command: [sh, -c, 'exec httpd -f -p 8080 -h /tmp']
        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}`)}
${deployment(ns, 'no-env-config', `        command: [sleep, '3600']
        envFrom: [{configMapRef: {name: absent-env}}]`)}
${deployment(
  ns,
  'no-volume-config',
  `        command: [sleep, '3600']
        volumeMounts: [{name: settings, mountPath: /etc/settings}]`,
  `      volumes: [{name: settings, configMap: {name: absent-files}}]\n`,
)}
${deployment(ns, 'too-big', `        command: [sleep, '3600']
        resources: {requests: {cpu: '3'}}`)}
${deployment(ns, 'oom', `        command: [dd, if=/dev/zero, of=/dev/null, bs=64M, count=1]
        resources: {limits: {memory: 16Mi}}`)}`);
    expect(applied.stderr).toBe('');
  });

  it('missing image: ErrImagePull, then ImagePullBackOff', async () => {
    const pod = await podOf('missing-image', (p) => waiting(p)?.reason === 'ImagePullBackOff');
    expect(waiting(pod)?.message).toMatch(/^Back-off pulling image ".*:does-not-exist"$/);
    const failed = await waitForEvent(cluster.store, ns, pod.metadata.name!, 'Failed', /^Failed to pull image/);
    expect(failed.message).toMatch(/: rpc error: code = Unknown desc = Error response from daemon: manifest for .*:does-not-exist not found: manifest unknown: manifest unknown$/);
  });

  it('readiness probe answering 404: Running, not Ready, Unhealthy events', async () => {
    const pod = await podOf('unready', (p) => Boolean(p.status?.containerStatuses?.[0]?.state.running));
    const event = await waitForEvent(cluster.store, ns, pod.metadata.name!, 'Unhealthy');
    expect(event.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 404');
    expect(condition(cluster.store.get<Pod>('pods', ns, pod.metadata.name!)!, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
  });

  it('ConfigMap missing from env: CreateContainerConfigError', async () => {
    const pod = await podOf('no-env-config', (p) => waiting(p)?.reason === 'CreateContainerConfigError');
    expect(waiting(pod)?.message).toBe('configmap "absent-env" not found');
  });

  it('ConfigMap missing as a volume: FailedMount, pod stays ContainerCreating', async () => {
    const pod = await podOf('no-volume-config', (p) => waiting(p)?.reason === 'ContainerCreating');
    const event = await waitForEvent(cluster.store, ns, pod.metadata.name!, 'FailedMount');
    expect(event.message).toBe('MountVolume.SetUp failed for volume "settings" : configmap "absent-files" not found');
  });

  it('more CPU than the node has: Unschedulable with a FailedScheduling event', async () => {
    const pod = await podOf('too-big', (p) => condition(p, 'PodScheduled')?.status === 'False');
    const message =
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {sandbox.rollgate.dev/virtual: }. ' +
      'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.';
    expect(condition(pod, 'PodScheduled')).toMatchObject({ reason: 'Unschedulable', message });
    const events = await kubectl('-n', ns, 'get', 'events', '-o', 'json', '--field-selector', `involvedObject.name=${pod.metadata.name}`);
    const items = (JSON.parse(events.stdout) as { items: CoreEvent[] }).items;
    expect(items.map((e) => [e.type, e.reason, e.message])).toContainEqual(['Warning', 'FailedScheduling', message]);
  });

  it('memory over the limit: OOMKilled, exit code 137', async () => {
    const pod = await podOf('oom', (p) => p.status?.containerStatuses?.[0]?.lastState.terminated?.reason === 'OOMKilled');
    expect(pod.status?.containerStatuses?.[0]?.lastState.terminated?.exitCode).toBe(137);
  });
});
