// rollgate deploy failing at each stage the other e2e files do not reach (issue 6, item 4): a build whose RUN step
// fails, a registry that refuses the push, an API server that refuses one object of the real apply after the tag
// moved, and a two-image release cancelled during its rollout. Each starts from v1 deployed and ends with v1 where
// it was: rollout and smoke failures, SIGTERM of one image and a crash of the second of two are in deploy.test.ts
// and test/faults/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/kube/cluster.ts';
import { startFaultProxy } from '../sandbox/fault-proxy.ts';
import { deploymentState, useDeploySandbox, type Project, type Run } from './deploy-sandbox.ts';

const t = useDeploySandbox();

const FAILING_DOCKERFILE = `ARG BASE_IMAGE
FROM \${BASE_IMAGE} AS build
RUN mkdir -p /www && echo ok > /www/healthz
RUN echo "collecting static files" && echo "static: module 'invoice.theme' not found" >&2 && exit 7

FROM \${BASE_IMAGE} AS runtime
COPY --from=build /www /www
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
`;

function settings(p: Project, greeting: string): void {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-settings' }, data: { GREETING: greeting } };
  writeFileSync(join(p.dir, 'k8s', 'settings.yaml'), stringify(configMap));
}

/** Writes to the Kubernetes API since the counters were reset, one `METHOD path` each. */
function clusterWrites(): string[] {
  return t.sandbox.api.faults.requests.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method)).map((r) => `${r.method} ${r.path}`);
}

const log = (run: Run) => run.log.lines.join('\n');

describe('rollgate deploy failing before, at and after the tag move', () => {
  afterEach(() => t.sandbox.api.faults.clear());

  it('stops at a failing RUN step: exit 1, the step named, no version tag, dev still on v1, nothing written to the cluster', async () => {
    const { p, v1 } = await t.v1Deployed('build');
    writeFileSync(join(p.dir, 'app', 'Dockerfile'), FAILING_DOCKERFILE);
    t.sandbox.api.faults.resetCounters();
    const run = await t.deploy(p, 'v2.0.0');

    expect(run.code, log(run)).toBe(1);
    expect(run.result).toMatchObject({ outcome: 'failed', failedStage: 'build' });
    expect(run.result.message).toMatch(/^build failed: image web: build failed \(exit code \d+\) at step \[build 3\/3\] RUN echo "collecting static files"/);
    expect(run.result.message).toMatch(/; nothing was changed$/);
    expect(run.result.message).toContain("static: module 'invoice.theme' not found");
    expect(run.result).not.toHaveProperty('revert');
    expect(await t.tagDigest(p, 'v2.0.0')).toBeUndefined();
    expect(clusterWrites()).toEqual([]);
    await t.expectV1Serving(p, v1);
  });

  it('stops when the registry refuses the pushed manifest: exit 1, no version tag, dev still on v1, workloads untouched', async () => {
    // The repository is named on a proxy in front of the registry, so docker's own push goes through it.
    const proxy = await startFaultProxy(`http://${inject('registryHost')}`);
    try {
      const { p, v1 } = await t.v1Deployed('push', { registry: proxy.host });
      const before = await t.deployment(p);
      p.write({ mode: 'good', greeting: 'hello v2' });
      proxy.reset();
      proxy.failNext(1000, 503, { method: 'PUT', path: /\/manifests\// });
      t.sandbox.api.faults.resetCounters();
      const run = await t.deploy(p, 'v2.0.0');

      expect(run.code, log(run)).toBe(1);
      expect(run.result).toMatchObject({ outcome: 'failed', failedStage: 'build' });
      expect(run.result.message).toContain(`image web: push of ${p.repository}:v2.0.0 failed`);
      expect(run.result.message).toMatch(/; nothing was changed$/);
      // Layers may have gone up; the manifest, which is what a tag names, never did.
      expect(proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/')).map((r) => r.outcome)).toContain(503);
      expect(proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/') && r.outcome !== 503)).toEqual([]);
      expect(await t.tagDigest(p, 'v2.0.0')).toBeUndefined();
      expect(clusterWrites()).toEqual([]);
      expect((await t.deployment(p))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
      await t.expectV1Serving(p, v1);
    } finally {
      await proxy.close();
    }
  });

  it('reverts when the API server refuses the Deployment during the real apply, after the tag moved and a ConfigMap was applied', async () => {
    const p = t.project('apply');
    settings(p, 'from v1');
    p.write({ mode: 'good', greeting: 'hello v1' });
    const first = await t.deploy(p, 'v1.0.0');
    expect(first.code, log(first)).toBe(0);
    const v1 = first.result.images[0]!.digest;

    settings(p, 'from v2');
    p.write({ mode: 'good', greeting: 'hello v2' });
    const deployments = `/apis/apps/v1/namespaces/${p.namespace}/deployments/web`;
    let armed = false;
    // The plan's dry run has passed when the tag moves; from then on every PATCH of the Deployment gets a 500,
    // more of them than the client's retry budget.
    const onRestoreState = (file: string | undefined) => {
      if (!file || armed) return;
      armed = true;
      t.sandbox.api.faults.resetCounters();
      t.sandbox.api.faults.add({ method: 'PATCH', path: deployments, status: 500, message: 'etcdserver: request timed out', times: 1000 });
    };
    const run = await t.deploy(p, 'v2.0.0', { onRestoreState });

    expect(run.code, log(run)).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'apply',
      images: [{ name: 'web', previousDigest: v1 }],
      revert: { tagRestored: true, workloadsRestored: true, tags: [{ reference: `${p.repository}:dev`, status: 'restored', digest: v1 }] },
    });
    expect(run.result.message).toContain('etcdserver: request timed out');
    const refused = t.sandbox.api.faults.requests.filter((r) => r.fault && r.method === 'PATCH' && r.path === deployments);
    expect(refused.length, 'retried before giving up').toBeGreaterThan(1);
    // The ConfigMap went out in the apply before the Deployment, and the restore wrote it back.
    const patches = clusterWrites().filter((w) => w.includes('/configmaps/web-settings'));
    expect(patches.length).toBeGreaterThanOrEqual(2);
    const configMap = await t.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: p.namespace, name: 'web-settings' });
    expect(configMap?.data).toEqual({ GREETING: 'from v1' });
    await t.expectV1Serving(p, v1);
  });

  it('puts both target tags and both Deployments back when a two-image release is cancelled during its rollout', async () => {
    const { p, run: first } = await t.v1Deployed('cancel-pair', { worker: true });
    const v1 = Object.fromEntries(first.result.images.map((i) => [i.name, i.digest]));
    p.write({ mode: 'slow', greeting: 'hello v2' });
    const cancel = new AbortController();
    let watching: Promise<void> | undefined;
    const onRestoreState = (file: string | undefined) => {
      if (!file || watching || !(JSON.parse(readFileSync(file, 'utf8')) as { applying?: boolean }).applying) return;
      // Both new pods exist and are still starting (slow: four seconds before they serve): stop the run now.
      watching = (async () => {
        while (!cancel.signal.aborted) {
          const both = await Promise.all(['web', 'worker'].map((name) => t.deployment(p, name)));
          if (both.every(rollingOut)) cancel.abort(new Error('SIGTERM'));
          else await new Promise((r) => setTimeout(r, 100));
        }
      })();
    };
    const run = await t.deploy(p, 'v2.0.0', { onRestoreState, signal: cancel.signal });
    cancel.abort();
    await watching;

    expect(run.code, log(run)).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'cancelled',
      revert: {
        tagRestored: true,
        workloadsRestored: true,
        tags: [
          { reference: `${p.repository}:dev`, status: 'restored', digest: v1.web },
          { reference: `${p.workerRepository}:dev`, status: 'restored', digest: v1.worker },
        ],
      },
    });
    expect(run.result.message).toContain('cancelled during the rollout');
    for (const [name, repository] of [['web', p.repository], ['worker', p.workerRepository!]] as const) {
      expect(await t.tagDigest(p, 'dev', repository)).toBe(v1[name]);
      expect(deploymentState(await t.deployment(p, name))).toEqual({ available: true, image: `${repository}:dev@${v1[name]}` });
    }
    p.write({ mode: 'good', greeting: 'hello v1' });
    await t.expectV1Serving(p, v1.web!);
  });
});

/** The Deployment has taken its new template (generation 2) and made a pod of it. */
function rollingOut(d: KubeObject | undefined): boolean {
  const status = d?.status as { observedGeneration?: number; updatedReplicas?: number } | undefined;
  return status?.observedGeneration === d?.metadata.generation && (status?.updatedReplicas ?? 0) >= 1 && (d?.metadata.generation ?? 0) > 1;
}
