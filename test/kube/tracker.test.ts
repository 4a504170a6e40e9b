// The tracker against the whole sandbox cluster: every failure of the fail-fast table produced for real by a
// manifest ends in a failure verdict naming the rule (while `kubectl rollout status` on the same rollout still
// waits), the tolerated cases end done, and the deadline, cancellation and a dropped watch behave.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/kube/cluster.ts';
import { trackRollout, workloadsOf, type RolloutResult } from '../../src/kube/rollout/tracker.ts';
import type { RuleId } from '../../src/kube/rollout/verdict.ts';
import type { RuleOptions } from '../../src/kube/rollout/windows.ts';
import { denyingWebhook, resourceQuota } from '../sandbox/kube/controllers-admission.ts';
import { waitFor } from '../sandbox/kube/test-helpers.ts';
import type { Pod } from '../sandbox/kube/workload-types.ts';
import { loadOne, provenance } from './rollout/fixtures.ts';
import { configMap, deployment, podSpec, recordingLogger, refTo, server, sleeper, useTrackerSandbox, type Lines } from './tracker-cluster.ts';

const t = useTrackerSandbox();

interface RollOutOptions {
  rules?: Partial<RuleOptions>;
  timeoutMs?: number;
  logger?: Lines;
  signal?: AbortSignal;
}

/** Applies the objects in order and tracks their workloads, on a connection of its own. */
async function rollOut(objects: KubeObject[], options: RollOutOptions = {}): Promise<RolloutResult> {
  const cluster = await t.connect();
  const since = Date.now();
  for (const o of objects) await cluster.apply(o, { fieldManager: 'rollgate', force: true });
  return trackRollout(cluster, workloadsOf(objects), { timeoutMs: 60_000, since, ...options });
}

/** `kubectl rollout status` with a short timeout: still waiting means it timed out, not that it saw a failure. */
async function kubectlStillWaiting(ns: string, name: string): Promise<void> {
  const r = await t.kubectl('-n', ns, 'rollout', 'status', `deployment/${name}`, '--timeout=1s');
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/timed out waiting for the condition/);
}

interface FailureCase {
  name: string;
  rule: RuleId;
  objects: (ns: string, image: string) => KubeObject[];
  setup?: (ns: string) => void;
  rules?: Partial<RuleOptions>;
  message: RegExp;
  logs?: string;
}

const FAILURES: FailureCase[] = [
  {
    name: 'missing-image',
    rule: 'image-pull',
    objects: (ns, image) => [deployment(ns, 'missing-image', sleeper(image.replace(/:[^:/]+$/, ':does-not-exist')))],
    message: /cannot pull image ".*:does-not-exist": .*manifest unknown/,
  },
  {
    name: 'crash',
    rule: 'crash-loop',
    // With no readiness probe a container is Ready the moment it runs, and a Deployment whose pod is Ready for an
    // instant is rolled out for kubectl and for rollgate alike; real servers have a probe.
    objects: (ns, image) => [deployment(ns, 'crash', server(image, { command: ['sh', '-c', 'echo "cannot connect to the database"; exit 3'] }))],
    message: /crashes at start \(exit code 3/,
    logs: 'cannot connect to the database',
  },
  {
    name: 'unready',
    rule: 'readiness',
    objects: (ns, image) => [deployment(ns, 'unready', server(image, { readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } }))],
    message: /without becoming Ready .*statuscode: 404/,
    logs: 'started',
  },
  {
    name: 'no-env-config',
    rule: 'config-missing',
    objects: (ns, image) => [deployment(ns, 'no-env-config', sleeper(image, { envFrom: [{ configMapRef: { name: 'absent-env' } }] }))],
    message: /ConfigMap .*\/absent-env, which does not exist/,
  },
  {
    name: 'no-volume-config',
    rule: 'mount-missing',
    objects: (ns, image) => [
      deployment(ns, 'no-volume-config', sleeper(image, { volumeMounts: [{ name: 'settings', mountPath: '/etc/settings' }] }), {
        volumes: [{ name: 'settings', configMap: { name: 'absent-files' } }],
      }),
    ],
    message: /configmap "absent-files" not found/,
  },
  {
    name: 'too-big',
    rule: 'unschedulable',
    objects: (ns, image) => [deployment(ns, 'too-big', sleeper(image, { resources: { requests: { cpu: '3' } } }))],
    rules: { unschedulableWindowMs: 2_000 },
    message: /has been unschedulable for \d+s: 0\/2 nodes are available: 1 Insufficient cpu/,
  },
  {
    name: 'oom',
    rule: 'oom-killed',
    objects: (ns, image) => [deployment(ns, 'oom', server(image, { command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], resources: { limits: { memory: '16Mi' } } }))],
    message: /is OOMKilled at start \(memory limit 16Mi/,
  },
  {
    name: 'quota',
    rule: 'replica-failure',
    setup: (ns) => t.sandbox.admission.add(resourceQuota(ns, 'compute', { 'requests.cpu': '100m' })),
    objects: (ns, image) => [deployment(ns, 'quota', sleeper(image, { resources: { requests: { cpu: '200m' } } }))],
    message: /exceeded quota: compute, requested: requests.cpu=200m/,
  },
  {
    name: 'webhook',
    rule: 'replica-failure',
    setup: (ns) => t.sandbox.admission.add(denyingWebhook('images.policy.example.com', 'images must be signed', (p) => p.metadata.namespace === ns)),
    objects: (ns, image) => [deployment(ns, 'webhook', sleeper(image))],
    message: /admission webhook "images.policy.example.com" denied the request: images must be signed/,
  },
];

describe.concurrent('each failure of the fail-fast table, produced for real', () => {
  it.each(FAILURES)('$name ends in $rule while kubectl rollout status still waits', async (c) => {
    const ns = await t.namespace(`fail-${c.name}`);
    c.setup?.(ns);
    const result = await rollOut(c.objects(ns, t.image), { ...(c.rules ? { rules: c.rules } : {}) });
    expect(result.status).toBe('failed');
    const failure = result.failure!;
    expect(failure).toMatchObject({ rule: c.rule, resource: `Deployment ${ns}/${c.name}` });
    expect(failure.message).toMatch(c.message);
    expect(Date.parse(failure.signalAt!)).toBeLessThanOrEqual(Date.parse(failure.detectedAt));
    if (c.logs) expect(failure.logLines).toContain(c.logs);
    expect(failure.diagnosis).toContain(`Deployment ${ns}/${c.name} will not become ready [${c.rule}]`);
    expect(result.workloads).toMatchObject([{ status: 'failed', detectedAt: failure.detectedAt }]);
    await kubectlStillWaiting(ns, c.name);
  });
});

/** Resolves with the first pod in `ns` for which `predicate` holds, watching the sandbox's store. */
function podWhere(ns: string, predicate: (p: Pod) => boolean): Promise<Pod> {
  const store = t.sandbox.store;
  return new Promise((resolve) => {
    const found = store.list<Pod>('pods', { namespace: ns }).items.find(predicate);
    if (found) return resolve(found);
    const stop = store.watch('pods', { namespace: ns }, (e) => {
      if (e.type !== 'DELETED' && predicate(e.object as Pod)) {
        stop();
        resolve(e.object as Pod);
      }
    });
  });
}

const waitingReason = (p: Pod) => p.status?.containerStatuses?.[0]?.state.waiting?.reason;

describe.concurrent('what is tolerated ends done', () => {
  it('a good rollout of a Deployment, a StatefulSet, a DaemonSet and a Job, tracked together, prints its progress', async () => {
    const ns = await t.namespace('good');
    const logger = recordingLogger();
    const pod = (name: string) => ({ metadata: { labels: { app: name } }, spec: podSpec(sleeper(t.image)) });
    const result = await rollOut(
      [
        configMap(ns, 'web-config', { greeting: 'hello' }),
        deployment(ns, 'web', server(t.image, { env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'greeting' } } }] }), { replicas: 2 }),
        { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: ns }, spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: pod('db') } },
        { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: ns }, spec: { selector: { matchLabels: { app: 'agent' } }, template: pod('agent') } },
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'migrate', namespace: ns },
          spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: t.image, command: ['sh', '-c', 'echo migrated'] }] } } },
        },
      ],
      { logger },
    );
    expect(result).toMatchObject({ status: 'done' });
    expect(result.failure).toBeUndefined();
    expect(result.workloads.map((w) => [w.workload.kind, w.workload.name, w.status])).toEqual([
      ['Deployment', 'web', 'done'],
      ['StatefulSet', 'db', 'done'],
      ['DaemonSet', 'agent', 'done'],
      ['Job', 'migrate', 'done'],
    ]);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^web: 2\/2 updated, 2 ready, \d+s$/));
    expect(logger.lines).toContainEqual(expect.stringMatching(/^migrate: 1\/1 succeeded, 0 active, \d+s$/));
    // One line per change of the counts, not one per watch event.
    expect(new Set(logger.lines).size).toBe(logger.lines.length);
  });

  it('pods of the old revision crashing: the fix rolls out', async () => {
    const ns = await t.namespace('tolerate-old');
    const broken = await rollOut([deployment(ns, 'web', server(t.image, { command: ['sh', '-c', 'echo broken; exit 1'] }))]);
    expect(broken.failure?.rule).toBe('crash-loop');
    const fixed = await rollOut([deployment(ns, 'web', server(t.image))]);
    expect(fixed.status).toBe('done');
  });

  it('a crash, then recovery, within allowRestarts', async () => {
    const ns = await t.namespace('tolerate-restart');
    const once = 'if [ -f /work/started ]; then echo recovered > /tmp/index.html; exec httpd -f -p 8080 -h /tmp; fi; touch /work/started; echo first start fails; exit 1';
    const result = await rollOut(
      [deployment(ns, 'web', server(t.image, { command: ['sh', '-c', once], volumeMounts: [{ name: 'work', mountPath: '/work' }] }), { volumes: [{ name: 'work', emptyDir: {} }] })],
      { rules: { allowRestarts: 1 } },
    );
    expect(result.status).toBe('done');
    const pods = await t.cluster.list('v1', 'Pod', ns);
    expect((pods.items[0] as unknown as Pod).status?.containerStatuses?.[0]?.restartCount).toBe(1);
  });

  it('a ConfigMap of the same apply that the kubelet briefly reports not found', async () => {
    const ns = await t.namespace('tolerate-config');
    const since = Date.now();
    const web = deployment(ns, 'web', server(t.image, { envFrom: [{ configMapRef: { name: 'late-config' } }] }));
    await t.apply(web);
    // The kubelet's word, from before the ConfigMap existed, is still on the pod when tracking starts.
    await podWhere(ns, (p) => waitingReason(p) === 'CreateContainerConfigError');
    await t.apply(configMap(ns, 'late-config', { GREETING: 'late but here' }));
    const cluster = await t.connect();
    const logger = recordingLogger();
    const result = await trackRollout(cluster, workloadsOf([web]), { timeoutMs: 60_000, since, logger });
    expect(result.status).toBe('done');
    expect(logger.lines).toContain(`web: ConfigMap ${ns}/late-config exists; the kubelet has not caught up yet`);
  });

  it('a slow starter inside its readiness window', async () => {
    const ns = await t.namespace('tolerate-slow');
    const slow = server(t.image, {
      command: ['sh', '-c', 'sleep 4; echo "ready at last" > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'],
      readinessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: 2, periodSeconds: 1, failureThreshold: 3 },
    });
    const result = await rollOut([deployment(ns, 'slow', slow)]);
    expect(result.status).toBe('done');
  });
});

describe.concurrent('the deadline, cancellation and a dropped watch', () => {
  it('the rollout timeout ends a rollout no rule has failed yet, naming what it still waited for', async () => {
    const ns = await t.namespace('deadline');
    const patient = deployment(ns, 'patient', server(t.image, { readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 60, periodSeconds: 1 } }));
    const since = Date.now();
    await t.apply(patient);
    // Running, so the diagnosis can show its logs; its readiness window (60s + 3s + slack) outlasts the deadline.
    await podWhere(ns, (p) => Boolean(p.status?.containerStatuses?.[0]?.state.running));
    const result = await trackRollout(await t.connect(), workloadsOf([patient]), { timeoutMs: 2_000, since });
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ rule: 'rollout-timeout', resource: `Deployment ${ns}/patient`, pod: expect.stringMatching(/^patient-/), container: 'app' });
    expect(result.failure?.message).toMatch(new RegExp(`^rollout timeout 2s reached; still waiting for Deployment ${ns}/patient \\(patient: 1/1 updated, 0 ready, \\d+s\\)$`));
    expect(result.failure?.logLines).toEqual(['started']);
    expect(result.workloads).toMatchObject([{ status: 'timed-out' }]);
  });

  it('cancelling stops every watch and reports where each workload stood', async () => {
    const ns = await t.namespace('cancel');
    const controller = new AbortController();
    const logger = recordingLogger(() => controller.abort());
    const result = await rollOut([deployment(ns, 'web', server(t.image, { readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 } }))], {
      logger,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ status: 'cancelled', workloads: [{ status: 'stopped', verdict: { status: 'progressing' } }] });
    const faults = t.sandbox.api.faults;
    await expect.poll(() => faults.openWatches(`/api/v1/namespaces/${ns}/`) + faults.openWatches(`/apis/apps/v1/namespaces/${ns}/`)).toBe(0);
  });

  it('watches cut in the middle of a rollout resume and reach the same verdict', async () => {
    const ns = await t.namespace('dropped');
    const faults = t.sandbox.api.faults;
    const open = () => faults.openWatches(`/api/v1/namespaces/${ns}/`) + faults.openWatches(`/apis/apps/v1/namespaces/${ns}/`);
    // Crashes two seconds in: the pod's changes come through the resumed watches.
    const rollout = rollOut([deployment(ns, 'crash', server(t.image, { command: ['sh', '-c', 'sleep 2; echo "cannot connect to the database"; exit 3'] }))]);
    await expect.poll(open).toBe(4);
    const cut = faults.dropWatches({ path: `/api/v1/namespaces/${ns}/` }) + faults.dropWatches({ path: `/apis/apps/v1/namespaces/${ns}/` });
    const result = await rollout;
    expect(cut).toBe(4);
    expect(result.failure).toMatchObject({ rule: 'crash-loop', exitCode: 3, logLines: ['cannot connect to the database'] });
  });
});

/**
 * Recorded real-cluster pod states replayed through the API: a Deployment whose pods are bound to the `virtual`
 * node (nothing runs there), each pod's status replaced by the recording once the ReplicaSet created it.
 */
describe.concurrent('recorded pod states replayed on the virtual node', () => {
  const REPLAYS: [path: string, expected: RuleId | 'done'][] = [
    ['argo-cd/health/pod-crashloop.yaml', 'crash-loop'],
    ['is-healthy/Pod/oomkilled-unhealthy.yaml', 'oom-killed'],
    ['kubectl-status/pod-pending-nodeselector.yaml', 'unschedulable'],
    ['argo-cd/health/pod-running-not-ready.yaml', 'readiness'],
    ['is-healthy/Pod/healthy.yaml', 'done'],
  ];

  it.each(REPLAYS.map(([path, expected], i) => ({ path, expected, name: `replay-${i}`, cause: provenance(path).failureCause })))(
    '$path ($cause) ends $expected',
    async ({ path, expected, name }) => {
      const ns = await t.namespace('replay');
      const recorded = loadOne<RecordedPod>(path, Date.now());
      const keep = (c: Record<string, unknown>) => pick(c, ['name', 'image', 'command', 'args', 'ports', 'readinessProbe', 'startupProbe', 'livenessProbe', 'resources']);
      const workload = deployment(ns, name, keep(recorded.spec.containers[0]!));
      const template = (workload['spec'] as { template: { spec: Record<string, unknown> } }).template;
      template.spec = { ...template.spec, containers: recorded.spec.containers.map(keep), nodeName: 'virtual' };
      if (recorded.spec.initContainers) template.spec['initContainers'] = recorded.spec.initContainers.map(keep);

      const cluster = await t.connect();
      const since = Date.now();
      await cluster.apply(workload, { fieldManager: 'rollgate' });
      const tracking = trackRollout(cluster, workloadsOf([workload]), { timeoutMs: 30_000, since });
      const pod = await podWhere(ns, (p) => p.metadata.labels?.['app'] === name);
      const written = await cluster.request(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...pod, status: recorded.status }),
      });
      expect(written.status).toBe(200);
      const result = await tracking;
      if (expected === 'done') {
        expect(result.status).toBe('done');
      } else {
        expect(result.failure).toMatchObject({ rule: expected, pod: pod.metadata.name });
        expect(Date.parse(result.failure!.signalAt!)).toBeLessThanOrEqual(Date.parse(result.failure!.detectedAt));
      }
    },
  );
});

interface RecordedPod {
  spec: { containers: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] };
  status: unknown;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
