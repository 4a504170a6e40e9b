import { describe, expect, it } from 'vitest';
import { ObjectStore, StoreError, type KubeObject, type StoreEvent } from './store.ts';

function deployment(name: string, replicas = 1, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
  };
}

function errorOf(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

/** Collects events until `count` arrived (delivery is asynchronous). */
function collect(store: ObjectStore, type: string, options: Parameters<ObjectStore['watch']>[1]) {
  const events: StoreEvent[] = [];
  const stop = store.watch(type, options, (e) => events.push(e));
  const settled = () => new Promise((r) => setTimeout(r, 0));
  return { events, stop, settled };
}

describe('ObjectStore', () => {
  it('creates with uid, creationTimestamp, one global resourceVersion and generation 1', () => {
    const store = new ObjectStore();
    const cm = store.create('configmaps', { metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } });
    const dep = store.create('deployments.apps', deployment('web'));
    expect(cm.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(cm.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(dep.metadata.resourceVersion)).toBeGreaterThan(Number(cm.metadata.resourceVersion));
    expect(store.resourceVersion).toBe(dep.metadata.resourceVersion);
    expect(dep.metadata.generation).toBe(1);
    expect(cm.metadata.generation).toBeUndefined();
  });

  it('refuses a duplicate and a missing name with the reasons a real server gives', () => {
    const store = new ObjectStore();
    store.create('deployments.apps', deployment('web'));
    const dup = errorOf(() => store.create('deployments.apps', deployment('web')));
    expect([dup.reason, dup.code, dup.message]).toEqual(['AlreadyExists', 409, 'deployments.apps "web" already exists']);
    expect(dup.details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
    expect(errorOf(() => store.create('pods', { metadata: { namespace: 'default' } })).reason).toBe('Invalid');
  });

  it('fills generateName', () => {
    const store = new ObjectStore();
    const pod = store.create('pods', { metadata: { generateName: 'web-', namespace: 'default' } });
    expect(pod.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it('bumps generation only when something outside metadata and status changes', () => {
    const store = new ObjectStore();
    const created = store.create('deployments.apps', deployment('web'));
    const labelled = store.update('deployments.apps', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    expect(labelled.metadata.generation).toBe(1);
    const withStatus = store.update('deployments.apps', { ...labelled, status: { replicas: 1 } });
    expect(withStatus.metadata.generation).toBe(1);
    const scaled = store.update('deployments.apps', { ...withStatus, spec: { ...(withStatus.spec as object), replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('rejects an update carrying a stale resourceVersion with Conflict', () => {
    const store = new ObjectStore();
    const first = store.create('leases.coordination.k8s.io', {
      metadata: { name: 'deploy', namespace: 'default' },
      spec: { holderIdentity: 'a' },
    });
    store.update('leases.coordination.k8s.io', { ...first, spec: { holderIdentity: 'b' } });
    const err = errorOf(() => store.update('leases.coordination.k8s.io', { ...first, spec: { holderIdentity: 'c' } }));
    expect(err.reason).toBe('Conflict');
    expect(err.message).toContain('the object has been modified');
    expect(store.get('leases.coordination.k8s.io', 'default', 'deploy')?.spec).toEqual({ holderIdentity: 'b' });
  });

  it('does not write an update that changes nothing', () => {
    const store = new ObjectStore();
    const created = store.create('configmaps', { metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } });
    const same = store.update('configmaps', { ...created, metadata: { ...created.metadata, labels: undefined } });
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('mutate writes without a precondition', () => {
    const store = new ObjectStore();
    store.create('deployments.apps', deployment('web'));
    const out = store.mutate('deployments.apps', 'default', 'web', (d) => {
      d.status = { observedGeneration: 1 };
    });
    expect(out.status).toEqual({ observedGeneration: 1 });
  });

  it('hands out copies, so a caller cannot change what is stored', () => {
    const store = new ObjectStore();
    const created = store.create('configmaps', { metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } });
    (created.data as Record<string, string>).k = 'changed';
    expect(store.get('configmaps', 'default', 'a')?.data).toEqual({ k: 'v' });
  });

  it('lists by namespace and label selector, in both syntaxes', () => {
    const store = new ObjectStore();
    store.create('deployments.apps', deployment('web', 1, { app: 'web', tier: 'front' }));
    store.create('deployments.apps', deployment('db', 1, { app: 'db' }));
    store.create('deployments.apps', { ...deployment('other', 1, { app: 'web' }), metadata: { name: 'other', namespace: 'x', labels: { app: 'web' } } });
    const names = (opts: Parameters<ObjectStore['list']>[1]) => store.list('deployments.apps', opts).items.map((d) => d.metadata.name);
    expect(names({})).toEqual(['db', 'web', 'other']);
    expect(names({ namespace: 'default', labelSelector: 'app=web' })).toEqual(['web']);
    expect(names({ labelSelector: 'app in (web,db),tier!=front' })).toEqual(['db', 'other']);
    expect(names({ labelSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } })).toEqual(['web']);
  });

  it('deletes with a final resourceVersion, and keeps an object with finalizers until they are removed', async () => {
    const store = new ObjectStore();
    const w = collect(store, 'pods', {});
    store.create('pods', { metadata: { name: 'p', namespace: 'default', finalizers: ['sandbox/kubelet'] } });
    const marked = store.delete('pods', 'default', 'p');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(store.get('pods', 'default', 'p')).toBeDefined();
    const gone = store.update('pods', { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(store.get('pods', 'default', 'p')).toBeUndefined();
    await w.settled();
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(w.events[2]?.object.metadata.resourceVersion).toBe(gone.metadata.resourceVersion);
    expect(errorOf(() => store.delete('pods', 'default', 'p')).reason).toBe('NotFound');
  });

  it('watches from now, from "0" (current objects first) and from a resourceVersion (replay)', async () => {
    const store = new ObjectStore();
    const a = store.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
    store.create('configmaps', { metadata: { name: 'b', namespace: 'default' } });
    const fromNow = collect(store, 'configmaps', {});
    const fromZero = collect(store, 'configmaps', { resourceVersion: '0' });
    const resumed = collect(store, 'configmaps', { resourceVersion: a.metadata.resourceVersion });
    const everything = collect(store, '*', { namespace: 'default' });
    store.create('secrets', { metadata: { name: 's', namespace: 'default' } });
    store.delete('configmaps', 'default', 'a');
    await fromNow.settled();
    const seen = (w: ReturnType<typeof collect>) => w.events.map((e) => `${e.type} ${e.object.metadata.name}`);
    expect(seen(fromNow)).toEqual(['DELETED a']);
    expect(seen(fromZero)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    expect(seen(resumed)).toEqual(['ADDED b', 'DELETED a']);
    expect(everything.events.map((e) => e.resourceType)).toEqual(['secrets', 'configmaps']);
  });

  it('answers Gone for a resourceVersion older than the history holds', () => {
    const store = new ObjectStore({ historyLimit: 2 });
    const first = store.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
    for (const name of ['b', 'c', 'd']) store.create('configmaps', { metadata: { name, namespace: 'default' } });
    const err = errorOf(() => store.watch('configmaps', { resourceVersion: first.metadata.resourceVersion }, () => {}));
    expect([err.reason, err.code]).toEqual(['Gone', 410]);
    expect(err.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    expect(() => store.watch('configmaps', { resourceVersion: '2' }, () => {})).not.toThrow();
  });

  it('delivers in order to a handler that writes from inside the handler', async () => {
    const store = new ObjectStore();
    const order: string[] = [];
    store.watch('configmaps', {}, (e) => {
      order.push(`first ${e.object.metadata.name}`);
      if (e.object.metadata.name === 'a') store.create('configmaps', { metadata: { name: 'b', namespace: 'default' } });
    });
    const other = collect(store, 'configmaps', {});
    store.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['first a', 'first b']);
    expect(other.events.map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
  });

  it('throws on a resource type it does not know', () => {
    expect(() => new ObjectStore().get('deployment', 'default', 'x')).toThrow(/unknown resource type "deployment"/);
  });
});
