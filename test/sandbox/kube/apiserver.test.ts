// The API emulator through @kubernetes/client-node (what rollgate reads and watches with) and raw HTTPS.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppsV1Api, CoordinationV1Api, CoreV1Api, KubeConfig, Watch, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { startApiServer, type ApiServer } from './apiserver.ts';
import { ObjectStore, type KubeObject } from './store.ts';
import { raw } from './raw-client.ts';

let api: ApiServer;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  api = await startApiServer({ dir: mkdtempSync(join(inject('sandboxDir'), 'kube-api-')), bookmarkIntervalMs: 200 });
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});

afterAll(async () => {
  await api?.stop();
});

async function namespace(name: string): Promise<string> {
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

function pod(name: string, labels: Record<string, string> = {}, containers = ['web']): V1Pod {
  return { metadata: { name, labels }, spec: { containers: containers.map((c) => ({ name: c, image: 'busybox:1' })) } };
}

function deployment(name: string, replicas = 1): V1Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    },
  };
}

/** Collects watch events until `until` says enough, or the watch ends. */
function watchUntil(
  path: string,
  params: Record<string, string | boolean | number>,
  until: (events: Array<{ type: string; name: string; rv: string }>) => boolean,
  onStarted: () => Promise<void> = async () => {},
) {
  const events: Array<{ type: string; name: string; rv: string }> & { error?: unknown } = [];
  return new Promise<typeof events>((resolve, reject) => {
    let controller: AbortController | undefined;
    new Watch(kc)
      .watch(
        path,
        params,
        (type, obj: KubeObject) => {
          events.push({ type, name: obj.metadata?.name ?? '', rv: obj.metadata?.resourceVersion ?? '' });
          if (until(events)) {
            controller?.abort();
            resolve(events);
          }
        },
        // A watch that ends or breaks resolves too; the error, if any, is on `events.error`.
        (err: unknown) => resolve(Object.assign(events, { error: err && !(err instanceof Error && err.name === 'AbortError') ? err : undefined })),
      )
      .then(async (c) => {
        controller = c;
        await onStarted();
      }, reject);
  });
}

describe('with @kubernetes/client-node', () => {
  it('lists with label and field selectors, and pages with limit/continue', async () => {
    const ns = await namespace('list-demo');
    for (const [name, app] of [['a', 'web'], ['b', 'web'], ['c', 'db']] as const) {
      await core.createNamespacedPod({ namespace: ns, body: pod(name, { app }) });
    }
    const web = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    expect(web.items.map((p) => p.metadata?.name)).toEqual(['a', 'b']);
    const byName = await core.listNamespacedPod({ namespace: ns, fieldSelector: 'metadata.name=c' });
    expect(byName.items.map((p) => p.metadata?.labels?.app)).toEqual(['db']);
    const first = await core.listNamespacedPod({ namespace: ns, limit: 2 });
    expect(first.items).toHaveLength(2);
    const rest = await core.listNamespacedPod({ namespace: ns, limit: 2, _continue: first.metadata?._continue });
    expect(rest.items.map((p) => p.metadata?.name)).toEqual(['c']);
    expect(rest.metadata?._continue).toBeUndefined();
  });

  it('watches from a list resourceVersion, and a dropped watch resumes from its last resourceVersion', async () => {
    const ns = await namespace('watch-demo');
    await core.createNamespacedPod({ namespace: ns, body: pod('before') });
    const listed = await core.listNamespacedPod({ namespace: ns });
    const path = `/api/v1/namespaces/${ns}/pods`;

    const firstRun = await watchUntil(
      path,
      { resourceVersion: listed.metadata!.resourceVersion!, allowWatchBookmarks: true },
      (events) => events.some((e) => e.name === 'one'),
      async () => void (await core.createNamespacedPod({ namespace: ns, body: pod('one') })),
    );
    expect(firstRun.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED one']);

    // A watch the server cuts: the client sees the stream end and comes back from the last resourceVersion it saw.
    const cut = await watchUntil(path, { resourceVersion: firstRun[0]!.rv }, () => false, async () => {
      expect(api.faults.dropWatches({ path })).toBe(1);
    });
    expect([...cut]).toEqual([]);
    expect(String(cut.error)).toMatch(/terminated/);
    await core.createNamespacedPod({ namespace: ns, body: pod('while-away') });
    const resumed = await watchUntil(path, { resourceVersion: firstRun[0]!.rv }, (events) => events.length >= 1);
    expect(resumed.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED while-away']);
  });

  it('keeps status out of main-resource writes and spec out of /status writes; generation follows spec only', async () => {
    const ns = await namespace('status-demo');
    const created = await apps.createNamespacedDeployment({ namespace: ns, body: { ...deployment('web'), status: { replicas: 9 } } });
    expect(created.status?.replicas).toBeUndefined();
    expect(created.metadata?.generation).toBe(1);

    const withStatus = await apps.replaceNamespacedDeploymentStatus({
      namespace: ns,
      name: 'web',
      body: { ...created, spec: { ...created.spec!, replicas: 7 }, status: { replicas: 1, observedGeneration: 1 } },
    });
    expect([withStatus.spec?.replicas, withStatus.status?.replicas, withStatus.metadata?.generation]).toEqual([1, 1, 1]);

    const relabelled = await apps.replaceNamespacedDeployment({
      namespace: ns,
      name: 'web',
      body: { ...withStatus, metadata: { ...withStatus.metadata, labels: { app: 'web', x: 'y' } }, status: { replicas: 0 } },
    });
    expect([relabelled.status?.replicas, relabelled.metadata?.generation]).toEqual([1, 1]);

    const scaled = await apps.replaceNamespacedDeployment({ namespace: ns, name: 'web', body: { ...relabelled, spec: { ...relabelled.spec!, replicas: 3 } } });
    expect(scaled.metadata?.generation).toBe(2);
  });

  it('refuses a Lease update from a stale resourceVersion with 409 Conflict', async () => {
    const ns = await namespace('lease-demo');
    const leases = kc.makeApiClient(CoordinationV1Api);
    const lease = await leases.createNamespacedLease({
      namespace: ns,
      body: { metadata: { name: 'rollgate-deploy' }, spec: { holderIdentity: 'run-1', leaseDurationSeconds: 60 } },
    });
    await leases.replaceNamespacedLease({ namespace: ns, name: 'rollgate-deploy', body: { ...lease, spec: { ...lease.spec, holderIdentity: 'run-2' } } });
    const stale = leases.replaceNamespacedLease({ namespace: ns, name: 'rollgate-deploy', body: { ...lease, spec: { ...lease.spec, holderIdentity: 'run-3' } } });
    await expect(stale).rejects.toMatchObject({ code: 409 });
    const err = await stale.catch((e: { body: string }) => JSON.parse(e.body) as { reason: string; message: string });
    expect(err).toMatchObject({ reason: 'Conflict', message: expect.stringContaining('the object has been modified') });
    expect((await leases.readNamespacedLease({ namespace: ns, name: 'rollgate-deploy' })).spec?.holderIdentity).toBe('run-2');
  });

  it('deletes ReplicaSets and pods with their Deployment (background), keeps them with Orphan', async () => {
    const ns = await namespace('gc-demo');
    const own = (o: KubeObject) => ({ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true });
    const tree = (name: string) => {
      const d = api.store.create('deployments.apps', { apiVersion: 'apps/v1', kind: 'Deployment', ...(deployment(name) as object), metadata: { name, namespace: ns } });
      const rs = api.store.create('replicasets.apps', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${name}-1`, namespace: ns, ownerReferences: [own(d)] },
      });
      api.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-1-a`, namespace: ns, ownerReferences: [own(rs)] } });
    };
    const names = async () => [
      ...(await apps.listNamespacedReplicaSet({ namespace: ns })).items.map((r) => r.metadata?.name),
      ...(await core.listNamespacedPod({ namespace: ns })).items.map((p) => p.metadata?.name),
    ];
    const settled = () => new Promise((r) => setTimeout(r, 20));

    tree('bg');
    await apps.deleteNamespacedDeployment({ namespace: ns, name: 'bg' });
    await settled();
    expect(await names()).toEqual([]);

    tree('orphan');
    await apps.deleteNamespacedDeployment({ namespace: ns, name: 'orphan', propagationPolicy: 'Orphan' });
    await settled();
    expect(await names()).toEqual(['orphan-1', 'orphan-1-a']);
    expect((await apps.readNamespacedReplicaSet({ namespace: ns, name: 'orphan-1' })).metadata?.ownerReferences).toBeUndefined();

    tree('fg');
    const res = await raw(api, 'DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/fg`, { body: { propagationPolicy: 'Foreground' } });
    // Foreground: the owner stays, marked, until its dependents are gone.
    expect(res.status).toBe(202);
    expect(res.json<V1Deployment>().metadata).toMatchObject({ deletionTimestamp: expect.any(String), finalizers: ['foregroundDeletion'] });
    await settled();
    expect(await names()).toEqual(['orphan-1', 'orphan-1-a']);
    expect(api.store.get('deployments.apps', ns, 'fg')).toBeUndefined();
  });
});

describe('over raw HTTPS', () => {
  it.each([
    ['a missing object', 'GET', '/apis/apps/v1/namespaces/default/deployments/nope', undefined, 404, 'NotFound', 'deployments.apps "nope" not found'],
    ['an unknown resource', 'GET', '/apis/apps/v1/namespaces/default/widgets', undefined, 404, 'NotFound', 'the server could not find the requested resource'],
    ['an unknown group', 'GET', '/apis/example.com/v1/widgets', undefined, 404, 'NotFound', 'the server could not find the requested resource'],
    ['a namespace that does not exist', 'POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } }, 404, 'NotFound', 'namespaces "nope" not found'],
    ['an object without a name', 'POST', '/api/v1/namespaces/default/configmaps', { metadata: {} }, 422, 'Invalid', 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'],
    ['a bad label selector', 'GET', '/api/v1/pods?labelSelector=a%20in%20(b', undefined, 400, 'BadRequest', expect.stringContaining('unable to parse requirement')],
    ['an unsupported field selector', 'GET', '/api/v1/pods?fieldSelector=spec.image%3Dx', undefined, 400, 'BadRequest', 'field label not supported: spec.image'],
  ])('answers %s with a Status', async (_what, method, path, body, code, reason, message) => {
    const res = await raw(api, method, path, { body });
    expect(res.status).toBe(code);
    expect(res.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
  });

  it('lists the causes of an invalid object', async () => {
    const res = await raw(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: {} } });
    expect(res.json()).toMatchObject({
      details: { kind: 'ConfigMap', causes: [{ reason: 'FieldValueRequired', field: 'metadata.name' }] },
    });
  });

  it('answers AlreadyExists for a duplicate create', async () => {
    await raw(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'dup' } } });
    const res = await raw(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'dup' } } });
    expect([res.status, res.json().reason, res.json().message]).toEqual([409, 'AlreadyExists', 'configmaps "dup" already exists']);
  });

  it('requires the bearer token', async () => {
    const res = await raw(api, 'GET', '/api/v1/namespaces', { token: null });
    expect([res.status, res.json().reason]).toEqual([401, 'Unauthorized']);
    expect((await raw(api, 'GET', '/version', { token: 'wrong' })).status).toBe(401);
  });

  it('serves aggregated discovery to clients that ask for it, and the legacy form otherwise', async () => {
    const aggregated = await raw(api, 'GET', '/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    expect(aggregated.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const apps = aggregated.json<{ items: Array<{ metadata: { name: string }; versions: Array<{ resources: Array<Record<string, unknown>> }> }> }>().items.find((g) => g.metadata.name === 'apps');
    expect(apps?.versions[0]?.resources.find((r) => r.resource === 'deployments')).toMatchObject({
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      shortNames: ['deploy'],
      subresources: [{ subresource: 'status' }, { subresource: 'scale', responseKind: { group: 'autoscaling', kind: 'Scale' } }],
    });
    const legacy = await raw(api, 'GET', '/apis');
    expect(legacy.json()).toMatchObject({ kind: 'APIGroupList' });
  });

  it('patches with strategic merge, JSON merge and JSON patch', async () => {
    const ns = 'default';
    const base = `/api/v1/namespaces/${ns}/pods/patchme`;
    await raw(api, 'POST', `/api/v1/namespaces/${ns}/pods`, { body: pod('patchme', { app: 'x' }, ['web', 'side']) });
    const smp = await raw(api, 'PATCH', base, {
      body: { spec: { containers: [{ name: 'web', image: 'busybox:2' }] } },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(smp.json<V1Pod>().spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['web=busybox:2', 'side=busybox:1']);
    const merge = await raw(api, 'PATCH', base, { body: { metadata: { labels: { app: null, tier: 'db' } } }, contentType: 'application/merge-patch+json' });
    expect(merge.json<V1Pod>().metadata?.labels).toEqual({ tier: 'db' });
    const json = await raw(api, 'PATCH', base, { body: [{ op: 'replace', path: '/metadata/labels/tier', value: 'web' }], contentType: 'application/json-patch+json' });
    expect(json.json<V1Pod>().metadata?.labels).toEqual({ tier: 'web' });
  });

  it('applies server-side: fieldManager required, create if missing, conflicts unless forced', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments/ssa';
    const body = { apiVersion: 'apps/v1', kind: 'Deployment', ...deployment('ssa', 2) };
    const yaml = 'application/apply-patch+yaml';
    expect((await raw(api, 'PATCH', path, { body, contentType: yaml })).json()).toMatchObject({ code: 422, message: expect.stringContaining('fieldManager: Required value') });
    expect((await raw(api, 'PATCH', `${path}?fieldManager=rollgate`, { body, contentType: yaml })).status).toBe(201);
    await raw(api, 'PATCH', `${path}?fieldManager=hpa`, { body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
    const conflict = await raw(api, 'PATCH', `${path}?fieldManager=rollgate`, { body, contentType: yaml });
    expect([conflict.status, conflict.json().message]).toEqual([409, 'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas']);
    const forced = await raw(api, 'PATCH', `${path}?fieldManager=rollgate&force=true`, { body, contentType: yaml });
    expect([forced.status, forced.json<V1Deployment>().spec?.replicas]).toEqual([200, 2]);
  });

  it('sends bookmarks to a watch that allows them, and ends it after timeoutSeconds', async () => {
    const res = await raw(api, 'GET', '/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=' + api.store.resourceVersion);
    const events = res.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: KubeObject });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'BOOKMARK' && e.object.kind === 'ConfigMap' && Number(e.object.metadata.resourceVersion) > 0)).toBe(true);
  });

  it('reports an expired resourceVersion to a watch as an ERROR event with 410', async () => {
    const small = await startApiServer({ dir: mkdtempSync(join(inject('sandboxDir'), 'kube-api-')), store: new ObjectStore({ historyLimit: 3 }) });
    try {
      for (const name of ['a', 'b', 'c', 'd', 'e']) await raw(small, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name } } });
      const res = await raw(small, 'GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/) } });
    } finally {
      await small.stop();
    }
  });
});

describe('fault hooks', () => {
  it('answers the next N matching requests with the status asked for, then recovers', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    api.faults.add({ method: 'GET', path, times: 2, status: 503 });
    api.faults.add({ method: 'GET', path, status: 429, retryAfterSeconds: 2 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await raw(api, 'GET', path)).status);
    expect(codes).toEqual([503, 503, 429, 200]);
  });

  it('sends Retry-After with a 429, and drops the connection when asked', async () => {
    api.faults.add({ path: '/api/v1/namespaces/default/secrets', status: 429 });
    const throttled = await raw(api, 'GET', '/api/v1/namespaces/default/secrets');
    expect([throttled.headers['retry-after'], throttled.json().reason]).toEqual(['1', 'TooManyRequests']);
    api.faults.add({ path: '/api/v1/namespaces/default/secrets', drop: true });
    await expect(raw(api, 'GET', '/api/v1/namespaces/default/secrets')).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('takes rules over HTTP at /_sandbox/faults and counts writes', async () => {
    api.faults.resetCounters();
    const added = await raw(api, 'POST', '/_sandbox/faults', { body: { method: 'POST', pathRegex: '/configmaps$', status: 500 }, token: null });
    expect(added.status).toBe(201);
    const failed = await raw(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'w1' } } });
    expect([failed.status, failed.json().reason]).toEqual([500, 'InternalError']);
    await raw(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'w1' } } });
    await raw(api, 'GET', '/api/v1/namespaces/default/configmaps/w1');
    expect(api.faults.writeCount()).toBe(2);
    expect(api.faults.writeCount({ method: 'POST', path: '/api/v1/namespaces/default/configmaps' })).toBe(2);
    expect((await raw(api, 'GET', '/_sandbox/requests', { token: null })).json()).toMatchObject({ writes: 2 });
  });

  it('cuts a watch after some events', async () => {
    api.faults.add({ path: '/api/v1/namespaces/default/serviceaccounts', watch: true, afterEvents: 1 });
    const events = await watchUntil('/api/v1/namespaces/default/serviceaccounts', {}, () => false);
    expect(events.map((e) => e.name)).toEqual(['default']);
    expect(String(events.error)).toMatch(/terminated/);
  });
});

describe('pod logs and the service proxy', () => {
  it('answer 503 until the kubelet provides them, then pass requests through', async () => {
    await raw(api, 'POST', '/api/v1/namespaces/default/pods', { body: pod('logger') });
    await raw(api, 'POST', '/api/v1/namespaces/default/pods', { body: pod('two', {}, ['a', 'b']) });
    await raw(api, 'POST', '/api/v1/namespaces/default/services', { body: { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } } });
    const log = '/api/v1/namespaces/default/pods/logger/log?tailLines=2&previous=true';
    const proxied = '/api/v1/namespaces/default/services/web:80/proxy/orders/1?verbose=1';

    expect((await raw(api, 'GET', log)).status).toBe(503);
    expect((await raw(api, 'GET', proxied)).json()).toMatchObject({ code: 503, message: 'no endpoints available for service "web"' });

    api.setLogProvider((req) => `${req.container} previous=${req.previous} tail=${req.tailLines}\n`);
    api.setServiceProxy(async (target, req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`${req.method} ${target.name}:${target.port} ${target.path} ${Buffer.concat(chunks).toString()}`);
    });
    try {
      expect((await raw(api, 'GET', log)).text).toBe('web previous=true tail=2\n');
      const unnamed = await raw(api, 'GET', '/api/v1/namespaces/default/pods/two/log');
      expect([unnamed.status, unnamed.json().message]).toEqual([400, 'a container name must be specified for pod two, choose one of: [a b]']);
      expect((await raw(api, 'POST', proxied, { body: 'hello', contentType: 'text/plain' })).text).toBe('POST web:80 /orders/1?verbose=1 hello');
      expect((await raw(api, 'GET', '/api/v1/namespaces/default/services/nope:80/proxy/')).status).toBe(404);
    } finally {
      api.setLogProvider(undefined);
      api.setServiceProxy(undefined);
    }
  });
});
