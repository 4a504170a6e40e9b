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
