// KubeCluster against the sandbox's API emulator: the reads, writes and watches every deploy stage relies on.
import { describe, expect, it } from 'vitest';
import { ConflictError, type KubeObject, type WatchEvent } from '../../src/kube/cluster.ts';
import { KubeApiError } from '../../src/kube/client.ts';
import { resourcesOf, type ApiResourceList } from '../../src/kube/resources.ts';
import { useSandboxApi } from './sandbox-api.ts';

const sandbox = useSandboxApi();
const MANAGER = { fieldManager: 'rollgate' };

function configMap(namespace: string, name: string, data: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data, ...extra };
}

function deployment(namespace: string, name: string, replicas: number, image = 'web:1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

/** Collects watch events; `next(n)` resolves once n have arrived. */
function collector() {
  const events: WatchEvent[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    events,
    onEvent: (e: WatchEvent) => {
      events.push(e);
      for (const w of waiters.filter((w) => events.length >= w.n)) w.resolve();
    },
    next: (n: number) => new Promise<void>((resolve) => (events.length >= n ? resolve() : waiters.push({ n, resolve }))),
    seen: () => events.map((e) => `${e.type} ${e.object.metadata.name}`),
  };
}

describe('reads and writes', () => {
  it('applies, gets and lists objects, keeping fields client-node does not model', async () => {
    const ns = await sandbox.namespace('keep-fields');
    const applied = await sandbox.cluster.apply(deployment(ns, 'web', 2), MANAGER);
    expect(applied.metadata.uid).toBeTruthy();

    // A field no typed model knows: client-node's classes would drop it on the way in and out.
    // (verified: KubernetesObjectApi.read returns this Deployment without futureField and containers[0].futureC).
    const odd = deployment(ns, 'odd', 1) as KubeObject & { spec: { template: { spec: { containers: object[] } } } };
    odd.spec = { ...odd.spec, futureField: { keep: ['me'] } } as typeof odd.spec;
    odd.spec.template.spec.containers[0] = { ...odd.spec.template.spec.containers[0], futureC: 2 };
    await sandbox.cluster.apply(odd, MANAGER);
    const read = await sandbox.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'odd' });
    expect(read?.spec).toMatchObject({ futureField: { keep: ['me'] }, template: { spec: { containers: [{ name: 'web', futureC: 2 }] } } });

    const { items, resourceVersion } = await sandbox.cluster.list('apps/v1', 'Deployment', ns);
    expect(items.map((d) => `${d.apiVersion} ${d.kind} ${d.metadata.name}`)).toEqual(['apps/v1 Deployment odd', 'apps/v1 Deployment web']);
    expect(resourceVersion).toMatch(/^\d+$/);
    expect((items[0]!.spec as { futureField?: unknown }).futureField).toEqual({ keep: ['me'] });
    const selected = await sandbox.cluster.list('apps/v1', 'Deployment', ns, { labelSelector: 'app=web' });
    expect(selected.items.map((d) => d.metadata.name)).toEqual(['web']);
  });

  it('sends the apply patch itself: content type, field manager, force and dry run', async () => {
    const ns = await sandbox.namespace('apply-request');
    sandbox.api.faults.resetCounters();
    await sandbox.cluster.apply(configMap(ns, 'settings', { a: '1' }), { ...MANAGER, dryRun: true });
    expect(await sandbox.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })).toBeUndefined();
    await sandbox.cluster.apply(configMap(ns, 'settings', { a: '1' }), { ...MANAGER, force: true });
    const patches = sandbox.api.faults.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => new URLSearchParams(r.query).toString())).toEqual([
      'fieldManager=rollgate&force=false&dryRun=All',
      'fieldManager=rollgate&force=true',
    ]);
    const stored = sandbox.api.store.get('configmaps', ns, 'settings');
    expect(stored?.metadata.managedFields?.map((f) => `${f.manager} ${f.operation}`)).toEqual(['rollgate Apply']);
  });

  it('an apply conflict without force is one readable line; with force rollgate takes the field over', async () => {
    const ns = await sandbox.namespace('apply-conflict');
    await sandbox.cluster.apply(deployment(ns, 'web', 3), { fieldManager: 'kubectl' });
    const err = await sandbox.cluster.apply(deployment(ns, 'web', 5), MANAGER).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(409);
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).toMatch(/^apply Deployment apply-conflict\/web: Conflict \(409\): .*conflict with "kubectl".*spec\.replicas/);

    const forced = await sandbox.cluster.apply(deployment(ns, 'web', 5), { ...MANAGER, force: true });
    expect((forced.spec as { replicas: number }).replicas).toBe(5);
  });

  it('creates, replaces guarded by resourceVersion, and deletes', async () => {
    const ns = await sandbox.namespace('crud');
    const created = await sandbox.cluster.create(configMap(ns, 'c', { v: '1' }));
    await expect(sandbox.cluster.create(configMap(ns, 'c', { v: '1' }))).rejects.toBeInstanceOf(ConflictError);

    const replaced = await sandbox.cluster.replace({ ...created, data: { v: '2' } });
    expect(replaced.data).toEqual({ v: '2' });
    // `created` carries the old resourceVersion now: a lost update.
    const stale = await sandbox.cluster.replace({ ...created, data: { v: '3' } }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as Error).message).toMatch(/^replace ConfigMap crud\/c: Conflict \(409\)/);

    await sandbox.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' }, { propagationPolicy: 'Foreground' });
    expect(await sandbox.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' })).toBeUndefined();
    // A missing object is not an error.
    await sandbox.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' });
  });

  it('maps kinds to resources from discovery, and names a kind or group/version the server lacks', async () => {
    // Every kind the emulator serves is also in the built-in table, so discovery is read here directly.
    const doc = await (await sandbox.cluster.request('/apis/apps/v1')).json();
    expect(resourcesOf(doc as ApiResourceList).get('Deployment')).toEqual({ resource: 'deployments', namespaced: true });
    expect([...resourcesOf(doc as ApiResourceList).keys()]).not.toContain(undefined);

    await expect(sandbox.cluster.get({ apiVersion: 'v1', kind: 'Widget', namespace: 'x', name: 'w' })).rejects.toThrow(
      'get Widget x/w: the API server has no kind Widget in v1',
    );
    await expect(sandbox.cluster.list('example.com/v1', 'Widget', 'x')).rejects.toThrow(
      'list Widget in x: the API server does not serve example.com/v1 (is its CustomResourceDefinition installed?)',
    );
  });

  it('reads pod logs and makes raw authenticated requests', async () => {
    const ns = await sandbox.namespace('logs');
    await sandbox.cluster.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { containers: [{ name: 'web', image: 'x' }] } });
    sandbox.api.setLogProvider((req) => `${req.container} previous=${req.previous} tail=${req.tailLines}\n`);
    try {
      await expect(sandbox.cluster.podLogs(ns, 'p', { container: 'web', previous: true, tailLines: 20 })).resolves.toBe('web previous=true tail=20\n');
    } finally {
      sandbox.api.setLogProvider(undefined);
    }
    await expect(sandbox.cluster.podLogs(ns, 'p')).rejects.toThrow(/^logs of pod logs\/p: ServiceUnavailable \(503\): the kubelet of pod p cannot be reached/);

    const version = await sandbox.cluster.request('/version');
    expect(version.status).toBe(200);
    expect(await version.json()).toHaveProperty('gitVersion');
    const absolute = await sandbox.cluster.request(`${sandbox.cluster.server}/api/v1/namespaces/${ns}/pods/p`);
    expect((await absolute.json()) as KubeObject).toMatchObject({ kind: 'Pod', metadata: { name: 'p' } });
  });

  it('knows the server and context it talks to', () => {
    expect(sandbox.cluster.server).toBe(sandbox.api.url);
    expect(sandbox.cluster.context).toBe('sandbox');
  });
});

describe('watches', () => {
  it('delivers changes after a list resourceVersion, in order, and nothing after stop()', async () => {
    const ns = await sandbox.namespace('watch-basic');
    await sandbox.cluster.create(configMap(ns, 'before', {}));
    const { resourceVersion } = await sandbox.cluster.list('v1', 'ConfigMap', ns);
    const c = collector();
    const errors: Error[] = [];
    const watch = await sandbox.cluster.watch('v1', 'ConfigMap', ns, { resourceVersion }, c.onEvent, (e) => errors.push(e));
    const a = await sandbox.cluster.create(configMap(ns, 'a', { v: '1' }));
    await sandbox.cluster.replace({ ...a, data: { v: '2' } });
    await sandbox.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' });
    await c.next(3);
    watch.stop();
    await sandbox.cluster.create(configMap(ns, 'after-stop', {}));
    expect(c.seen()).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    expect(errors).toEqual([]);
  });

  it('holds each watch on a connection of its own, so many open watches never starve reads and writes', async () => {
    const ns = await sandbox.namespace('watch-many');
    // More watches than the shared pool has sockets (16): if they took pool sockets, the reads below would wait
    // for a watch to end (minutes) and the test would time out.
    const kinds = ['ConfigMap', 'Secret', 'Service', 'Pod', 'Event', 'ServiceAccount'] as const;
    const watches = await Promise.all(
      Array.from({ length: 24 }, (_, i) => sandbox.cluster.watch('v1', kinds[i % kinds.length]!, ns, {}, () => {}, () => {})),
    );
    try {
      await sandbox.cluster.create(configMap(ns, 'still-served', { v: '1' }));
      expect((await sandbox.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'still-served' }))?.data).toEqual({ v: '1' });
    } finally {
      for (const w of watches) w.stop();
    }
  }, 15_000);

  it('without a resourceVersion starts with the current objects as ADDED', async () => {
    const ns = await sandbox.namespace('watch-initial');
    await sandbox.cluster.create(configMap(ns, 'one', {}));
    const c = collector();
    const watch = await sandbox.cluster.watch('v1', 'ConfigMap', ns, {}, c.onEvent, () => {});
    await sandbox.cluster.create(configMap(ns, 'two', {}));
    await c.next(2);
    watch.stop();
    expect(c.seen()).toEqual(['ADDED one', 'ADDED two']);
  });

  it('resumes from the last resourceVersion when the server drops the watch, missing nothing and repeating nothing', async () => {
    const ns = await sandbox.namespace('watch-drop');
    const { resourceVersion } = await sandbox.cluster.list('v1', 'ConfigMap', ns);
    const c = collector();
    const errors: Error[] = [];
    const watch = await sandbox.cluster.watch('v1', 'ConfigMap', ns, { resourceVersion }, c.onEvent, (e) => errors.push(e));
    await sandbox.cluster.create(configMap(ns, 'first', {}));
    await c.next(1);
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    expect(sandbox.api.faults.dropWatches({ path, abrupt: true })).toBe(1);
    // Made while no watch is open: the resumed watch replays it from its resourceVersion.
    await sandbox.cluster.create(configMap(ns, 'while-away', {}));
    await c.next(2);
    await sandbox.cluster.create(configMap(ns, 'after', {}));
    await c.next(3);
    expect(sandbox.api.faults.openWatches(path)).toBe(1);
    watch.stop();
    expect(c.seen()).toEqual(['ADDED first', 'ADDED while-away', 'ADDED after']);
    expect(errors).toEqual([]);
  });
});

describe('transient failures', () => {
  it('retries an apply answered 429 and then 500, and the apply lands once', async () => {
    const ns = await sandbox.namespace('retry-apply');
    const path = `/api/v1/namespaces/${ns}/configmaps/settings`;
    sandbox.api.faults.add({ method: 'PATCH', path, status: 429, retryAfterSeconds: 1 });
    sandbox.api.faults.add({ method: 'PATCH', path, status: 500 });
    sandbox.api.faults.resetCounters();
    const applied = await sandbox.cluster.apply(configMap(ns, 'settings', { a: '1' }), MANAGER);
    expect(applied.data).toEqual({ a: '1' });
    expect(sandbox.api.faults.requests.filter((r) => r.path === path).map((r) => r.status)).toEqual([429, 500, 201]);
  });

  it('retries a read whose connection was reset', async () => {
    const ns = await sandbox.namespace('retry-reset');
    await sandbox.cluster.create(configMap(ns, 'c', {}));
    sandbox.api.faults.add({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps/c`, drop: true, times: 2 });
    await expect(sandbox.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' })).resolves.toMatchObject({ metadata: { name: 'c' } });
  });

  it('gives up after the retry budget with the API server message in one line', async () => {
    const ns = await sandbox.namespace('retry-exhausted');
    sandbox.api.faults.add({ path: `/api/v1/namespaces/${ns}/configmaps`, status: 503, message: 'etcd is unhappy', times: 10 });
    sandbox.api.faults.resetCounters();
    await expect(sandbox.cluster.list('v1', 'ConfigMap', ns)).rejects.toThrow('list ConfigMap in retry-exhausted: ServiceUnavailable (503): etcd is unhappy');
    expect(sandbox.api.faults.requests.filter((r) => r.path.startsWith(`/api/v1/namespaces/${ns}/configmaps`))).toHaveLength(5);
    sandbox.api.faults.clear();
  });

  it('does not retry what the server refused for good (422)', async () => {
    const ns = await sandbox.namespace('no-retry');
    sandbox.api.faults.resetCounters();
    const noName = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad name!', namespace: ns } };
    await expect(sandbox.cluster.apply(noName, MANAGER)).rejects.toThrow(/^apply ConfigMap no-retry\/bad name!: Invalid \(422\)/);
    expect(sandbox.api.faults.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('a watch whose resourceVersion is gone (410) relists and replays what changed as ADDED, MODIFIED, DELETED', async () => {
    const ns = await sandbox.namespace('watch-gone');
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const c = collector();
    const errors: Error[] = [];
    const watch = await sandbox.cluster.watch('v1', 'ConfigMap', ns, {}, c.onEvent, (e) => errors.push(e));
    const kept = await sandbox.cluster.create(configMap(ns, 'kept', { v: '1' }));
    await sandbox.cluster.create(configMap(ns, 'removed', {}));
    await c.next(2);
    sandbox.api.faults.add({ path, watch: true, status: 410, message: 'too old resource version' });
    const away = sandbox.cluster.replace({ ...kept, data: { v: '2' } }).then(() =>
      Promise.all([
        sandbox.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'removed' }),
        sandbox.cluster.create(configMap(ns, 'new', {})),
      ]),
    );
    // The watch sees some of these live or none: cut it right away, so the relist has to account for the rest.
    sandbox.api.faults.dropWatches({ path });
    await away;
    await c.next(5);
    watch.stop();
    expect(new Set(c.seen().slice(2))).toEqual(new Set(['MODIFIED kept', 'DELETED removed', 'ADDED new']));
    expect(errors).toEqual([]);
    expect(sandbox.api.faults.rules).toEqual([]); // the 410 was served

  });

  it('a watch the server refuses for good reports it once through onError', async () => {
    const ns = await sandbox.namespace('watch-forbidden');
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const { resourceVersion } = await sandbox.cluster.list('v1', 'ConfigMap', ns);
    const failed = new Promise<Error>((resolve) => {
      void sandbox.cluster.watch('v1', 'ConfigMap', ns, { resourceVersion }, () => {}, resolve).then(() => {
        sandbox.api.faults.add({ path, watch: true, status: 403, message: 'configmaps is forbidden: User "ci" cannot watch resource "configmaps"' });
        sandbox.api.faults.dropWatches({ path });
      });
    });
    expect((await failed).message).toBe(
      'watch ConfigMap in watch-forbidden: Forbidden (403): configmaps is forbidden: User "ci" cannot watch resource "configmaps"',
    );
  });
});
