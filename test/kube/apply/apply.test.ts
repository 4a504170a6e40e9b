// Planning and applying against the sandbox's API emulator, through the real Cluster client.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refOf, type Cluster, type KubeObject } from '../../../src/kube/cluster.ts';
import { applyPlan } from '../../../src/kube/apply/apply.ts';
import { formatChangesMarkdown, formatChangesText } from '../../../src/kube/apply/format.ts';
import { planApply, refusals } from '../../../src/kube/apply/plan.ts';
import { snapshotEntry } from '../../../src/kube/apply/snapshot.ts';
import { readManifests } from '../../../src/kube/manifests/read.ts';
import { pinImages } from '../../../src/kube/pin.ts';
import { useSandboxApi } from '../sandbox-api.ts';

const sandbox = useSandboxApi();
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/manifests');
const DIGEST = `sha256:${'c'.repeat(64)}`;

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (ns: string, name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
const secret = (ns: string, name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: ns },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
function deployment(ns: string, name: string, image: string, selector = name): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: selector } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

/** The kinds of the objects written, in the order the emulator answered the writes. */
function writtenKinds(since: number): string[] {
  return sandbox.api.faults.requests
    .slice(since)
    .filter((r) => r.method === 'PATCH' && !/dryRun/.test(r.query))
    .map((r) => r.path.split('/').at(-2)!);
}

describe('planApply and applyPlan against the API emulator', () => {
  it('deploys the app fixture group by group, pinned, and a second plan finds nothing to change', async () => {
    const manifests = await readManifests({ name: 'dev', namespace: 'invoice-dev', manifests: [resolve(FIXTURES, 'app')] });
    const { objects, pinned } = pinImages(
      manifests.map((m) => m.object),
      { images: [{ name: 'web', repository: 'us-docker.pkg.dev/acme/apps/invoice', digest: DIGEST }], targetTag: 'dev' },
    );
    expect(pinned).toHaveLength(1);

    const plan = await planApply(sandbox.cluster, objects, { force: false });
    expect(plan.groups.map((g) => g.name)).toEqual(['namespaces', 'access', 'config', 'services', 'workloads']);
    expect(plan.changes.map((c) => c.action)).toEqual(['create', 'create', 'create', 'create', 'create', 'create']);
    expect(plan.snapshot.entries.every((e) => e.previous === undefined)).toBe(true);

    const since = sandbox.api.faults.requests.length;
    const result = await applyPlan(sandbox.cluster, plan, { force: false });
    expect(result.failures).toEqual([]);
    expect(result.applied.every((a) => a.created)).toBe(true);
    expect(writtenKinds(since)).toEqual(['namespaces', 'serviceaccounts', ...sorted(['configmaps', 'secrets'], writtenKinds(since).slice(2, 4)), 'services', 'deployments']);

    const web = await sandbox.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'invoice-dev', name: 'web' });
    expect(web?.metadata.managedFields).toEqual(expect.arrayContaining([expect.objectContaining({ manager: 'rollgate', operation: 'Apply' })]));
    expect(JSON.stringify(web?.spec)).toContain(`us-docker.pkg.dev/acme/apps/invoice:dev@${DIGEST}`);

    const again = await planApply(sandbox.cluster, objects, { force: false });
    expect(again.changes.map((c) => `${c.ref.kind} ${c.action} ${c.paths.join(',')}`)).toEqual([
      'Namespace unchanged ',
      'ServiceAccount unchanged ',
      'ConfigMap unchanged ',
      'Secret unchanged ',
      'Service unchanged ',
      'Deployment unchanged ',
    ]);
  });

  it('snapshots existing objects ready to re-apply, and marks the ones this run creates', async () => {
    const ns = await sandbox.namespace('snap');
    await sandbox.cluster.apply(configMap(ns, 'settings', { LEVEL: 'info' }), { fieldManager: 'kubectl' });
    await sandbox.cluster.apply(deployment(ns, 'old', 'reg.local/app:1'), { fieldManager: 'kubectl' });

    const plan = await planApply(sandbox.cluster, [configMap(ns, 'settings', { LEVEL: 'debug' }), deployment(ns, 'old', 'reg.local/app:2'), deployment(ns, 'new', 'reg.local/app:2')], {
      force: true,
    });
    const settings = snapshotEntry(plan.snapshot, { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })!;
    expect(settings.previous).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { LEVEL: 'info' } });
    expect(settings.uid).toBeTruthy();
    expect(settings.resourceVersion).toBeTruthy();

    const old = snapshotEntry(plan.snapshot, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'old' })!;
    expect(old.previous?.metadata).not.toHaveProperty('managedFields');
    expect(old.previous).not.toHaveProperty('status');
    expect(JSON.stringify(old.previous)).toContain('reg.local/app:1');
    expect(snapshotEntry(plan.snapshot, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'new' })!.previous).toBeUndefined();

    expect(formatChangesText(plan.changes)).toBe(
      [
        'manifests: 1 to create, 2 to change, 0 unchanged',
        '  ~ ConfigMap snap/settings',
        '      ~ key LEVEL: "info" -> "debug"',
        '  ~ Deployment snap/old',
        '      image web: reg.local/app:1 -> reg.local/app:2',
        '  + Deployment snap/new (new)',
        '      image web: reg.local/app:2',
        '      replicas: (unset) -> 1',
      ].join('\n'),
    );

    // The snapshot re-applies: the ConfigMap goes back to its data.
    const result = await applyPlan(sandbox.cluster, plan, { force: true });
    expect(result.applied.map((a) => `${a.ref.name} created=${a.created}`).sort()).toEqual(['new created=true', 'old created=false', 'settings created=false']);
    await sandbox.cluster.apply(settings.previous!, { fieldManager: 'rollgate', force: true });
    const restored = await sandbox.cluster.get(settings.ref);
    expect(restored?.data).toEqual({ LEVEL: 'info' });
  });

  it('never shows Secret values in the preview, text or Markdown', async () => {
    const ns = await sandbox.namespace('secrets');
    await sandbox.cluster.apply(secret(ns, 'creds', { PASSWORD: 'old-hunter2', USER: 'admin' }), { fieldManager: 'rollgate' });
    const plan = await planApply(sandbox.cluster, [secret(ns, 'creds', { PASSWORD: 'new-hunter3', USER: 'admin', TOKEN: 'tok-xyz' })], { force: false });
    const text = formatChangesText(plan.changes);
    expect(text).toContain('~ key PASSWORD (value hidden)');
    expect(text).toContain('+ key TOKEN (value hidden)');
    const everything = [text, formatChangesMarkdown(plan.changes), JSON.stringify(plan.changes)].join('\n');
    for (const value of ['old-hunter2', 'new-hunter3', 'tok-xyz']) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it('refuses in the preview what the server would refuse: a conflict without --force-conflicts, an invalid change, an unknown kind', async () => {
    const ns = await sandbox.namespace('refusals');
    await sandbox.cluster.apply(configMap(ns, 'shared', { OWNER: 'them' }), { fieldManager: 'someone-else' });
    await sandbox.cluster.apply(deployment(ns, 'web', 'reg.local/app:1'), { fieldManager: 'rollgate' });
    const objects = [
      configMap(ns, 'shared', { OWNER: 'us' }),
      deployment(ns, 'web', 'reg.local/app:2', 'changed-selector'),
      { apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns } },
    ];
    const since = sandbox.api.faults.writeCount();
    const plan = await planApply(sandbox.cluster, objects, { force: false });
    expect(sandbox.api.faults.writeCount()).toBe(since + 2); // the two dry runs, nothing persisted
    expect(refusals(plan).map((c) => `${c.ref.kind}: ${c.note}`)).toEqual([
      expect.stringMatching(/^ConfigMap: .*Conflict \(409\).*someone-else/),
      expect.stringMatching(/^Deployment: .*Invalid \(422\).*selector/),
      expect.stringMatching(/^Widget: .*acme\.io\/v1/),
    ]);
    expect((await sandbox.cluster.get(refOf(objects[0]!)))?.data).toEqual({ OWNER: 'them' });

    const forced = await planApply(sandbox.cluster, [objects[0]!], { force: true });
    expect(forced.changes[0]).toMatchObject({ action: 'change', keys: [{ key: 'OWNER', change: 'changed', from: 'them', to: 'us' }] });
  });

  it('with dryRunNew, dry-runs new objects too: a refusal before any write, with the fields the server named', async () => {
    const ns = await sandbox.namespace('dry-new');
    await sandbox.cluster.apply(configMap(ns, 'settings', { A: '1' }), { fieldManager: 'rollgate' });
    const objects = [configMap(ns, 'settings', { A: '2' }), configMap(ns, 'extra', { B: '1' }), deployment(ns, 'broken', 'reg.local/app:1', 'does-not-match')];
    const since = sandbox.api.faults.writeCount();

    const plan = await planApply(sandbox.cluster, objects, { force: false, dryRunNew: true });

    expect(sandbox.api.faults.writeCount()).toBe(since + 3); // three dry runs, nothing persisted
    expect(plan.changes.map((c) => `${c.ref.name} ${c.action}`)).toEqual(['settings change', 'extra create', 'broken refused']);
    expect(refusals(plan)).toEqual([
      expect.objectContaining({ note: expect.stringMatching(/Invalid \(422\).*selector/), refusedFields: ['spec.template.metadata.labels'] }),
    ]);
    expect(await sandbox.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'extra' })).toBeUndefined();
  });

  it('with dryRunNew, an object in a namespace the same apply creates is planned as a plain create', async () => {
    const ns = 'dry-new-namespace';
    const plan = await planApply(sandbox.cluster, [namespace(ns), configMap(ns, 'settings', { A: '1' })], { force: false, dryRunNew: true });
    expect(plan.changes.map((c) => `${c.ref.kind} ${c.action} ${c.note ?? ''}`)).toEqual(['Namespace create ', 'ConfigMap create ']);
  });

  it('stops at the first group with a failure and reports exactly what was applied', async () => {
    const ns = 'stops';
    const objects: KubeObject[] = [
      namespace(ns),
      configMap(ns, 'settings', { A: '1' }),
      deployment(ns, 'good', 'reg.local/app:1'),
      deployment(ns, 'broken', 'reg.local/app:1', 'does-not-match'),
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'good' } } } },
    ];
    const plan = await planApply(sandbox.cluster, objects, { force: false });
    expect(refusals(plan)).toEqual([]); // new objects are not dry-run: the failure shows at the apply
    const result = await applyPlan(sandbox.cluster, plan, { force: false });

    expect(result.applied.map((a) => `${a.group} ${a.ref.kind} ${a.ref.name}`).sort()).toEqual([
      'config ConfigMap settings',
      'namespaces Namespace stops',
      'workloads Deployment good',
    ]);
    expect(result.failures).toEqual([expect.objectContaining({ group: 'workloads', ref: expect.objectContaining({ name: 'broken' }), message: expect.stringMatching(/Invalid \(422\)/) })]);
    expect(result.skipped.map((r) => r.kind)).toEqual(['PodDisruptionBudget']);
    expect(await sandbox.cluster.get({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: ns, name: 'pdb' })).toBeUndefined();
  });

  it('applies the objects of a group concurrently, never more than the limit at once', async () => {
    const ns = await sandbox.namespace('concurrent');
    const objects = Array.from({ length: 12 }, (_, i) => configMap(ns, `cm-${i}`, { i: String(i) }));
    const plan = await planApply(sandbox.cluster, objects, { force: false });
    const counting = countingApplies(sandbox.cluster);
    const result = await applyPlan(counting.cluster, plan, { force: false, concurrency: 5 });
    expect(result.applied).toHaveLength(12);
    expect(counting.maxInFlight()).toBe(5);
  });
});

/** A Cluster that counts applies in flight. */
function countingApplies(inner: Cluster): { cluster: Cluster; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const cluster = Object.create(inner) as Cluster;
  cluster.apply = async (object, options) => {
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      return await inner.apply(object, options);
    } finally {
      inFlight--;
    }
  };
  return { cluster, maxInFlight: () => max };
}

/** The two kinds of one group in whichever order the emulator answered them, checked to be exactly those. */
function sorted(expected: string[], actual: string[]): string[] {
  expect([...actual].sort()).toEqual([...expected].sort());
  return actual;
}
