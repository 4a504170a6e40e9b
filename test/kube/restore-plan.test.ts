// The restore's decisions without a cluster: which snapshot entries are re-applied, deleted or left, in what order,
// the bodies sent, and the kubectl commands that finish a step by hand.
import { describe, expect, it } from 'vitest';
import type { SnapshotEntry } from '../../src/kube/apply/snapshot.ts';
import type { KubeObject, ObjectRef } from '../../src/kube/cluster.ts';
import { extraKeys, finishCommands, kubectlName, planRestore, restorableContent, restoreBody } from '../../src/kube/restore-plan.ts';

const ref = (apiVersion: string, kind: string, name: string, namespace: string | undefined = 'shop'): ObjectRef => ({ apiVersion, kind, name, ...(namespace ? { namespace } : {}) });
const obj = (r: ObjectRef, rest: Record<string, unknown> = {}): KubeObject => ({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) }, ...rest });

describe('planRestore', () => {
  it('re-applies config before workloads, then deletes what the run created in reverse order, leaving what holds data', () => {
    const entries: SnapshotEntry[] = [
      { ref: ref('v1', 'Namespace', 'shop', undefined) },
      { ref: ref('v1', 'ConfigMap', 'web-config'), previous: obj(ref('v1', 'ConfigMap', 'web-config'), { data: { a: '1' } }) },
      { ref: ref('v1', 'ConfigMap', 'web-extra') },
      { ref: ref('v1', 'Secret', 'web-token') },
      { ref: ref('v1', 'PersistentVolumeClaim', 'web-data') },
      { ref: ref('apps/v1', 'Deployment', 'web'), previous: obj(ref('apps/v1', 'Deployment', 'web'), { spec: {} }) },
      { ref: ref('apps/v1', 'Deployment', 'worker') },
      { ref: ref('v1', 'Service', 'web'), previous: obj(ref('v1', 'Service', 'web'), { spec: {} }) },
    ];
    expect(planRestore(entries).map((s) => `${s.action} ${s.ref.kind}/${s.ref.name}`)).toEqual([
      'apply ConfigMap/web-config',
      'apply Service/web',
      'apply Deployment/web',
      'delete Deployment/worker',
      'leave PersistentVolumeClaim/web-data',
      'leave Secret/web-token',
      'delete ConfigMap/web-extra',
      'leave Namespace/shop',
    ]);
  });
});

describe('restoreBody', () => {
  it('drops what the server stamps and the controllers own, keeps what a person wrote', () => {
    const live = obj(ref('apps/v1', 'Deployment', 'web'), {
      spec: { replicas: 2 },
      status: { replicas: 2 },
    });
    Object.assign(live.metadata, {
      uid: 'u', resourceVersion: '9', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{}],
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '4', 'team': 'billing' },
    });
    expect(restoreBody(live)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { team: 'billing' } },
      spec: { replicas: 2 },
    });
    expect(live.metadata.uid).toBe('u');
  });

  it('sees no difference between a live object and its snapshot when only server fields moved', () => {
    const before = obj(ref('v1', 'ConfigMap', 'c'), { data: { a: '1' } });
    const live = { ...structuredClone(before), metadata: { ...before.metadata, resourceVersion: '12', managedFields: [] } };
    expect(restorableContent(live)).toEqual(restorableContent(before));
    expect(restorableContent({ ...live, data: { a: '2' } })).not.toEqual(restorableContent(before));
  });
});

describe('extraKeys', () => {
  it.each([
    [{ data: { a: '1', b: '2' } }, { data: { a: '0' } }, ['b']],
    [{ data: { a: '1' }, binaryData: { c: 'AA==' } }, { data: { a: '1' } }, ['c']],
    [{ data: { a: '1' } }, { data: { a: '1', b: '2' } }, []],
    [{}, {}, []],
  ])('live %j, snapshot %j: %j', (live, before, keys) => {
    const r = ref('v1', 'ConfigMap', 'c');
    expect(extraKeys(obj(r, live), obj(r, before))).toEqual(keys);
  });
});

describe('kubectl commands for a step left to a person', () => {
  it.each([
    [ref('apps/v1', 'Deployment', 'web'), 'deployment.apps/web'],
    [ref('v1', 'ConfigMap', 'web-config'), 'configmap/web-config'],
    [ref('networking.k8s.io/v1', 'Ingress', 'web'), 'ingress.networking.k8s.io/web'],
  ])('%j is %s', (r, name) => expect(kubectlName(r)).toBe(name));

  it('re-applies the written snapshot, or undoes a workload without one, and names the context', () => {
    const web = ref('apps/v1', 'Deployment', 'web');
    expect(finishCommands('apply', web, 'gke_acme_prd', '/tmp/restore/shop-deployment-apps-web.yaml')).toEqual([
      'kubectl --context gke_acme_prd -n shop apply --server-side --force-conflicts --field-manager=rollgate -f /tmp/restore/shop-deployment-apps-web.yaml',
    ]);
    expect(finishCommands('apply', web, undefined)).toEqual([
      'kubectl -n shop rollout undo deployment.apps/web',
      'kubectl -n shop edit deployment.apps/web   # put back the state before the deploy (Deployment shop/web)',
    ]);
    expect(finishCommands('delete', ref('v1', 'ConfigMap', 'web-extra'), undefined)).toEqual(['kubectl -n shop delete configmap/web-extra']);
    expect(finishCommands('rollout', web, undefined)).toEqual([
      'kubectl -n shop rollout status deployment.apps/web --timeout=5m',
      'kubectl -n shop describe deployment.apps/web',
    ]);
  });
});
