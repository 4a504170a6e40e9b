// CRDs must be Established before the next group: the API emulator serves no CRDs, so these run against a small
// in-memory Cluster whose watch the test drives.
import { describe, expect, it } from 'vitest';
import type { Cluster, KubeObject, WatchEvent, WatchOptions } from '../../../src/kube/cluster.ts';
import { applyPlan } from '../../../src/kube/apply/apply.ts';
import { planApply } from '../../../src/kube/apply/plan.ts';

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.acme.io' },
  spec: { group: 'acme.io', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true }] },
};
const widget: KubeObject = { apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'demo' } };

const condition = (type: string, status: string, message = '') => ({ type, status, reason: type, message });

/** A Cluster that records calls; `crdEvents` are what its watch delivers, one per macrotask, after the watch opens. */
function fakeCluster(crdEvents: Array<Record<string, unknown>>, appliedStatus?: Record<string, unknown>) {
  const log: string[] = [];
  let version = 10;
  const cluster = {
    server: 'https://fake',
    context: 'fake',
    async get(ref) {
      if (ref.kind === 'Widget') throw Object.assign(new Error('get Widget: the API server does not serve acme.io/v1'), { reason: 'NotFound' });
      return undefined;
    },
    async apply(object, options) {
      if (!options.dryRun) log.push(`apply ${object.kind}`);
      return { ...object, metadata: { ...object.metadata, resourceVersion: String(++version) }, ...(appliedStatus ? { status: appliedStatus } : {}) };
    },
    async watch(_apiVersion: string, kind: string, _ns: string | undefined, options: WatchOptions, onEvent: (e: WatchEvent) => void) {
      log.push(`watch ${kind} ${options.fieldSelector} from ${options.resourceVersion}`);
      let stopped = false;
      void (async () => {
        for (const status of crdEvents) {
          await new Promise((r) => setImmediate(r));
          if (stopped) return;
          log.push(`event ${JSON.stringify((status.conditions as Array<{ type: string; status: string }>).map((c) => `${c.type}=${c.status}`))}`);
          onEvent({ type: 'MODIFIED', object: { ...crd, status } });
        }
      })();
      return { stop: () => ((stopped = true), log.push('watch stopped')) };
    },
  } as Partial<Cluster> as Cluster;
  return { cluster, log };
}

describe('CRDs in the apply', () => {
  it('waits for Established before applying the custom resources, watching from the version the apply returned', async () => {
    const { cluster, log } = fakeCluster([
      { conditions: [condition('NamesAccepted', 'True')] },
      { conditions: [condition('NamesAccepted', 'True'), condition('Established', 'True')] },
    ]);
    const plan = await planApply(cluster, [widget, crd], { force: false });
    expect(plan.changes.map((c) => `${c.ref.kind} ${c.action}`)).toEqual(['CustomResourceDefinition create', 'Widget create']);
    const result = await applyPlan(cluster, plan, { force: false });
    expect(result.failures).toEqual([]);
    expect(log).toEqual([
      'apply CustomResourceDefinition',
      'watch CustomResourceDefinition metadata.name=widgets.acme.io from 11',
      'event ["NamesAccepted=True"]',
      'event ["NamesAccepted=True","Established=True"]',
      'watch stopped',
      'apply Widget',
    ]);
  });

  it('does not watch when the apply already answered Established', async () => {
    const { cluster, log } = fakeCluster([], { conditions: [condition('Established', 'True')] });
    const result = await applyPlan(cluster, await planApply(cluster, [crd, widget], { force: false }), { force: false });
    expect(result.failures).toEqual([]);
    expect(log).toEqual(['apply CustomResourceDefinition', 'apply Widget']);
  });

  it('fails the CRD at once when its names are not accepted, and applies nothing after it', async () => {
    const { cluster, log } = fakeCluster([{ conditions: [condition('NamesAccepted', 'False', '"widgets" is already in use')] }]);
    const result = await applyPlan(cluster, await planApply(cluster, [crd, widget], { force: false }), { force: false });
    expect(result.applied.map((a) => a.ref.kind)).toEqual(['CustomResourceDefinition']);
    expect(result.failures.map((f) => f.message)).toEqual(['CustomResourceDefinition widgets.acme.io: names not accepted: "widgets" is already in use']);
    expect(result.skipped.map((r) => r.kind)).toEqual(['Widget']);
    expect(log).not.toContain('apply Widget');
  });

  it('gives up after the timeout, saying so', async () => {
    const { cluster } = fakeCluster([]);
    const result = await applyPlan(cluster, await planApply(cluster, [crd, widget], { force: false }), { force: false, crdTimeoutMs: 50 });
    expect(result.failures.map((f) => f.message)).toEqual(['CustomResourceDefinition widgets.acme.io was not Established within 50ms']);
    expect(result.skipped.map((r) => r.kind)).toEqual(['Widget']);
  });
});
