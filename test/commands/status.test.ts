// rollgate status against the whole sandbox cluster: what is deployed (images with the digest the pods run, counts,
// since when) and, for a rollout that will not finish, the tracker's diagnosis with the container's last log lines.
import { beforeAll, describe, expect, it } from 'vitest';
import { status } from '../../src/commands/status.ts';
import type { Config, EnvironmentConfig } from '../../src/config/types.ts';
import { InputError } from '../../src/errors.ts';
import { trackRollout, workloadsOf } from '../../src/kube/rollout/tracker.ts';
import { deployment, server, useTrackerSandbox } from '../kube/tracker-cluster.ts';

const t = useTrackerSandbox();
const NS = 'status-shop';
const rollout = { timeoutMs: 300_000, allowRestarts: 0, unschedulableWindowMs: 15_000, pullErrorBudget: 3, lockTimeoutMs: 600_000 };
const dev: EnvironmentConfig = { name: 'dev', targetTag: 'dev', namespace: NS, manifests: ['/src/k8s'], rollout };
const config: Config = {
  file: '/src/rollgate.yml',
  images: [],
  tags: ['{version}'],
  environments: { dev },
  rollout,
  builder: 'auto',
  tagPolicy: 'after-verify',
  registries: {},
};

beforeAll(async () => {
  await t.namespace(NS);
  const objects = [
    deployment(NS, 'web', server(t.image), { replicas: 2 }),
    deployment(NS, 'worker', server(t.image, { command: ['sh', '-c', 'echo "cannot reach the queue"; exit 4'] })),
  ];
  await t.apply(...objects);
  // Wait the way a deploy does: web done, worker crashing.
  const [web, worker] = await Promise.all(workloadsOf(objects).map((w) => trackRollout(t.cluster, [w], { timeoutMs: 60_000 })));
  expect(web?.status).toBe('done');
  expect(worker?.failure?.rule).toBe('crash-loop');
});

describe('rollgate status', () => {
  it('lists every workload of the namespace with its images, counts and revision, and says why one is stuck', async () => {
    const { report, text } = await status(config, 'dev', t.cluster);
    expect(report).toMatchObject({ environment: 'dev', namespace: NS });
    const [web, worker] = report.workloads;
    expect(web).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      state: 'ready',
      desired: 2,
      updated: 2,
      ready: 2,
      revision: expect.stringMatching(/^web-\w+$/),
      images: [{ container: 'app', image: t.image, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }],
    });
    expect(Date.parse(web!.since!)).toBeLessThanOrEqual(Date.now());
    expect(web?.diagnosis).toBeUndefined();
    expect(worker).toMatchObject({ name: 'worker', state: 'failed', ready: 0, verdict: { rule: 'crash-loop', exitCode: 4 } });
    expect(worker?.diagnosis).toMatch(new RegExp(`^Deployment ${NS}/worker will not become ready \\[crash-loop\\]`));
    expect(worker?.diagnosis).toContain('| cannot reach the queue');
    expect(text.split('\n').slice(0, 3)).toEqual([
      `environment dev: namespace ${NS}, context ${t.cluster.context}`,
      expect.stringMatching(/^Deployment web: rolled out, 2\/2 ready, 2 updated, revision web-\w+, since \S+Z$/),
      `  app: ${t.image} (running ${web!.images[0]!.digest})`,
    ]);
    expect(text).toMatch(/\nDeployment worker: STUCK, 0\/1 ready, 1 updated, revision worker-\w+, since \S+Z\n/);
  });

  it('reports the workloads of the manifests, one not in the cluster as missing', async () => {
    const { report } = await status(config, 'dev', t.cluster, {
      workloads: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: NS },
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'web-config' },
      ],
    });
    expect(report.workloads.map((w) => [w.kind, w.name, w.state])).toEqual([
      ['Deployment', 'web', 'ready'],
      ['StatefulSet', 'db', 'missing'],
    ]);
  });

  it('refuses an environment the config does not have', async () => {
    await expect(status(config, 'prd', t.cluster)).rejects.toThrow(new InputError('environment "prd" is not in /src/rollgate.yml (known: dev)'));
  });
});
