// Restore against the whole sandbox cluster: a release that fails for real is undone from the apply stage's
// snapshot (the previous pod template back and Available, the ConfigMap's previous data, created objects deleted
// except a Secret and a PVC), and a step the API refuses is reported with the message and the kubectl commands.
import { mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readLive, snapshotOf, type Snapshot } from '../../src/kube/apply/snapshot.ts';
import type { KubeCluster } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/kube/cluster.ts';
import { restore } from '../../src/kube/restore.ts';
import { trackRollout, workloadsOf, type RolloutResult } from '../../src/kube/rollout/tracker.ts';
import { configMap, deployment, recordingLogger, refTo, server, useTrackerSandbox } from './tracker-cluster.ts';

const t = useTrackerSandbox();

/** What a deploy does: snapshot, apply as rollgate, track. */
async function release(cluster: KubeCluster, objects: KubeObject[]): Promise<{ snapshot: Snapshot; rollout: RolloutResult }> {
  const snapshot = snapshotOf(objects, (await readLive(cluster, objects)).live);
  const since = Date.now();
  for (const o of objects) await cluster.apply(o, { fieldManager: 'rollgate', force: true });
  return { snapshot, rollout: await trackRollout(cluster, workloadsOf(objects), { timeoutMs: 60_000, since }) };
}

const greeting = { env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'greeting' } } }] };

function service(ns: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
}

describe.concurrent('restore after a failed release', () => {
  it('brings the previous revision back Available, the ConfigMap its previous data, and deletes what the release created', async () => {
    const ns = await t.namespace('restore-web');
    const cluster = await t.connect();
    const v1 = [configMap(ns, 'web-config', { greeting: 'hello from v1' }), service(ns, 'web'), deployment(ns, 'web', server(t.image, greeting), { replicas: 2 })];
    expect((await release(cluster, v1)).rollout.status).toBe('done');

    const crashing = server(t.image, { ...greeting, command: ['sh', '-c', 'echo "missing setting FEATURE_URL"; exit 3'] });
    const v2 = [
      configMap(ns, 'web-config', { greeting: 'hello from v2', feature: 'on' }),
      configMap(ns, 'web-extra', { added: 'by v2' }),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-token', namespace: ns }, stringData: { token: 's3cret' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'web-data', namespace: ns }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      service(ns, 'web'),
      deployment(ns, 'web', crashing, { replicas: 2 }),
      deployment(ns, 'worker', server(t.image)),
    ];
    const { snapshot, rollout } = await release(cluster, v2);
    expect(rollout.failure?.rule).toBe('crash-loop');

    const logger = recordingLogger();
    const result = await restore(cluster, snapshot, { timeoutMs: 60_000, logger });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const names = (refs: { kind: string; name: string }[]) => refs.map((r) => `${r.kind}/${r.name}`).sort();
    expect(names(result.restored)).toEqual(['ConfigMap/web-config', 'Deployment/web']);
    expect(names(result.unchanged)).toEqual(['Service/web']);
    expect(names(result.deleted)).toEqual(['ConfigMap/web-extra', 'Deployment/worker']);
    expect(result.left.map((l) => [`${l.ref.kind}/${l.ref.name}`, l.reason])).toEqual([
      ['PersistentVolumeClaim/web-data', expect.stringMatching(/^PersistentVolumeClaims are never deleted/)],
      ['Secret/web-token', expect.stringMatching(/^Secrets are never deleted/)],
    ]);
    expect(result.rollout).toMatchObject({ status: 'done', workloads: [{ workload: { name: 'web' }, status: 'done' }] });
    expect(logger.lines).toContainEqual(expect.stringMatching(/^restore: web: 2\/2 updated, 2 ready, \d+s$/));

    // The key v2 added is gone: rollgate owned it alone, and its restore apply no longer sets it.
    expect((await cluster.get(refTo(v2[0]!)))?.['data']).toEqual({ greeting: 'hello from v1' });
    expect(await cluster.get(refTo(v2[1]!))).toBeUndefined();
    expect(await cluster.get(refTo(v2[6]!))).toBeUndefined();
    expect(await cluster.get(refTo(v2[2]!))).toBeDefined();
    const proxied = await t.kubectl('get', '--raw', `/api/v1/namespaces/${ns}/services/web:80/proxy/`);
    expect(proxied.stdout).toBe('hello from v1\n');
  });

  it('removes a key the release added even when another field manager has claimed it since', async () => {
    const ns = await t.namespace('restore-shared-key');
    const cluster = await t.connect();
    await release(cluster, [configMap(ns, 'settings', { mode: 'v1' })]);
    const v2 = [configMap(ns, 'settings', { mode: 'v2', feature: 'on' })];
    const { snapshot } = await release(cluster, v2);
    // Someone runs `kubectl apply --server-side` with the same key: server-side apply alone would leave it to them.
    await cluster.apply(configMap(ns, 'settings', { feature: 'on' }), { fieldManager: 'kubectl' });
    const result = await restore(cluster, snapshot);
    expect(result).toMatchObject({ ok: true, restored: [{ kind: 'ConfigMap', name: 'settings' }] });
    expect((await cluster.get(refTo(v2[0]!)))?.['data']).toEqual({ mode: 'v1' });
  });

  it('says a put-back workload is left to check, not unrestored, when its rollout cannot be watched', async () => {
    const ns = await t.namespace('restore-unwatched');
    const cluster = await t.connect();
    await release(cluster, [deployment(ns, 'web', server(t.image))]);
    const { snapshot } = await release(cluster, [deployment(ns, 'web', server(t.image, { command: ['sh', '-c', 'exit 3'] }))]);
    // Nothing the tracker reads can be listed or watched (the restore's own reads by name still work): it cannot
    // start, however soon the Deployment would look done.
    const message = 'pods is forbidden: User "ci-deployer" cannot list resource "pods" in the namespace';
    t.sandbox.api.faults.add({ method: 'GET', pathRegex: `^/apis?(/apps)?/v1/namespaces/${ns}/(pods|events|deployments|replicasets)$`, status: 403, message, times: 1000 });

    const result = await restore(cluster, snapshot, { context: 'gke_acme_dev', timeoutMs: 30_000 });

    expect(result.restored.map((r) => r.name)).toEqual(['web']);
    expect(result.problems).toEqual([
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' },
        stage: 'rollout',
        message: expect.stringMatching(/^put back, but its rollout could not be watched: .*cannot list resource "pods"/),
        commands: [`kubectl --context gke_acme_dev -n ${ns} rollout status deployment.apps/web --timeout=5m`, `kubectl --context gke_acme_dev -n ${ns} describe deployment.apps/web`],
      },
    ]);
    const web = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' });
    expect(JSON.stringify(web?.['spec'])).not.toContain('exit 3');
  });

  it('reports a step the API refuses with its message and the kubectl command that finishes it', async () => {
    const ns = await t.namespace('restore-refused');
    const cluster = await t.connect();
    await release(cluster, [configMap(ns, 'settings', { mode: 'v1' })]);
    const { snapshot } = await release(cluster, [configMap(ns, 'settings', { mode: 'v2' })]);
    const message = 'configmaps "settings" is forbidden: User "ci-deployer" cannot patch resource "configmaps" in the namespace';
    t.sandbox.api.faults.add({ method: 'PATCH', path: `/api/v1/namespaces/${ns}/configmaps/settings`, status: 403, message });
    const writeDir = mkdtempSync(join(inject('sandboxDir'), 'restore-'));
    const result = await restore(cluster, snapshot, { context: 'gke_acme_dev', writeDir });
    expect(result.ok).toBe(false);
    const file = join(writeDir, `${ns}-configmap-settings.yaml`);
    expect(result.problems).toEqual([
      {
        ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' },
        stage: 'apply',
        message: expect.stringContaining(message),
        commands: [`kubectl --context gke_acme_dev -n ${ns} apply --server-side --force-conflicts --field-manager=rollgate -f ${file}`],
      },
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' }))?.['data']).toEqual({ mode: 'v2' });
  });
});
