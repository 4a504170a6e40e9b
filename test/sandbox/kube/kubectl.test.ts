// The real kubectl against the API emulator. No controllers run here: where a scenario needs a ReplicaSet, pods
// or events, the test writes them to the store the way the controllers and the kubelet do.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiServer, writeKubeconfig, type ApiServer } from './apiserver.ts';
import { denyingWebhookFor } from './controllers-admission.ts';
import { timestamp, type KubeObject } from './store.ts';
import { waitFor } from '../ports.ts';

let api: ApiServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(inject('sandboxDir'), 'kube-kubectl-'));
  api = await startApiServer({ dir });
});

afterAll(async () => {
  await api?.stop();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against the emulator; `onLine` sees stdout lines as they come and may stop the process. */
function kubectl(args: string[], options: { kubeconfig?: string; onLine?: (line: string, stop: () => void) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', options.kubeconfig ?? api.kubeconfigPath, '--cache-dir', join(dir, 'kubectl-cache'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function manifests(opts: { labels?: string; replicas?: number } = {}): string {
  const path = join(dir, `app-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {GREETING: hello}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web${opts.labels ? `, ${opts.labels}` : ''}}
spec:
  replicas: ${opts.replicas ?? 2}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: 127.0.0.1:5000/shop/web:v1
        ports: [{containerPort: 8080}]
        envFrom: [{configMapRef: {name: web-config}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`,
  );
  return path;
}

/** What the Deployment controller and the kubelet would have written: a ReplicaSet, two pods, an event. */
function simulateRollout(): void {
  const store = api.store;
  const d = store.mustGet('deployments.apps', 'shop', 'web');
  const owner = (o: KubeObject) => [{ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true }];
  const rs = store.create('replicasets.apps', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d8f9', namespace: 'shop', labels: { app: 'web' }, ownerReferences: owner(d) },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: (d.spec as { template: unknown }).template },
    status: { replicas: 2, readyReplicas: 1 },
  });
  const started = timestamp(new Date(Date.now() - 60_000));
  const podOf = (name: string, containerStatus: Record<string, unknown>) =>
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels: { app: 'web' }, ownerReferences: owner(rs) },
      spec: { nodeName: 'sandbox', containers: [{ name: 'web', image: '127.0.0.1:5000/shop/web:v1' }] },
      status: { phase: 'Running', podIP: '127.0.0.1', containerStatuses: [{ name: 'web', image: 'web', imageID: '', ...containerStatus }] },
    });
  podOf('web-5d8f9-aaaaa', { ready: true, restartCount: 0, state: { running: { startedAt: started } } });
  podOf('web-5d8f9-bbbbb', {
    ready: false,
    restartCount: 4,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: started } },
  });
  store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-5d8f9-bbbbb.1', namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-5d8f9-bbbbb', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container web in pod web-5d8f9-bbbbb_shop',
    type: 'Warning',
    count: 5,
    firstTimestamp: started,
    lastTimestamp: timestamp(),
    source: { component: 'kubelet', host: 'sandbox' },
  });
  store.mutate('deployments.apps', 'shop', 'web', (o) => {
    o.status = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 };
  });
}

describe('kubectl against the emulator', () => {
  it('applies a Deployment, Service and ConfigMap server-side, and gets them as tables and JSON', async () => {
    expect((await kubectl(['create', 'namespace', 'shop'])).code).toBe(0);
    const applied = await kubectl(['apply', '--server-side', '--validate=false', '-f', manifests()]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim().split('\n')).toEqual([
      'configmap/web-config serverside-applied',
      'deployment.apps/web serverside-applied',
      'service/web serverside-applied',
    ]);
    simulateRollout();

    const table = await kubectl(['get', 'deploy,rs,pods,events', '-n', 'shop']);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(lines).toContainEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(lines).toContainEqual(['deployment.apps/web', '1/2', '2', '1', expect.stringMatching(/^\d+s$/)]);
    expect(lines).toContainEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(lines).toContainEqual(['replicaset.apps/web-5d8f9', '2', '2', '1', expect.stringMatching(/^\d+s$/)]);
    expect(lines).toContainEqual(['pod/web-5d8f9-aaaaa', '1/1', 'Running', '0', expect.stringMatching(/^\d+s$/)]);
    expect(lines).toContainEqual(['pod/web-5d8f9-bbbbb', '0/1', 'CrashLoopBackOff', expect.stringMatching(/^4 \(\d+s ago\)$/), expect.stringMatching(/^\d+s$/)]);
    expect(lines).toContainEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(lines).toContainEqual([expect.stringMatching(/^\d+s \(x5 over \d+s\)$/), 'Warning', 'BackOff', 'pod/web-5d8f9-bbbbb', 'Back-off restarting failed container web in pod web-5d8f9-bbbbb_shop']);

    const json = JSON.parse((await kubectl(['get', 'deploy,rs,pods,events', '-n', 'shop', '-o', 'json'])).stdout) as { kind: string; items: KubeObject[] };
    expect(json.kind).toBe('List');
    expect(json.items.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/web',
      'ReplicaSet/web-5d8f9',
      'Pod/web-5d8f9-aaaaa',
      'Pod/web-5d8f9-bbbbb',
      'Event/web-5d8f9-bbbbb.1',
    ]);
    expect(json.items[0]).toMatchObject({ spec: { strategy: { type: 'RollingUpdate' }, progressDeadlineSeconds: 600 } });
  });

  it('bumps generation for a spec change but not for a label-only change', async () => {
    const generation = async () => (await kubectl(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.generation}'])).stdout;
    const before = await generation();
    expect((await kubectl(['apply', '--server-side', '--validate=false', '-f', manifests({ labels: 'team: shop' })])).code).toBe(0);
    expect(await generation()).toBe(before);
    expect((await kubectl(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.labels.team}'])).stdout).toBe('shop');
    expect((await kubectl(['apply', '--server-side', '--validate=false', '-f', manifests({ labels: 'team: shop', replicas: 3 })])).code).toBe(0);
    expect(await generation()).toBe(String(Number(before) + 1));
  });

  it('reports a field owned by another manager as an apply conflict', async () => {
    expect((await kubectl(['scale', 'deploy/web', '-n', 'shop', '--replicas=5'])).code).toBe(0);
    const conflict = await kubectl(['apply', '--server-side', '--validate=false', '-f', manifests({ labels: 'team: shop', replicas: 3 })]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas');
  });

  it('serves discovery to get --raw', async () => {
    const groups = JSON.parse((await kubectl(['get', '--raw', '/apis'])).stdout) as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['apps', 'batch', 'coordination.k8s.io', 'networking.k8s.io', 'events.k8s.io']));
    const core = JSON.parse((await kubectl(['get', '--raw', '/api/v1'])).stdout) as { resources: Array<{ name: string; shortNames?: string[] }> };
    expect(core.resources.find((r) => r.name === 'pods')).toMatchObject({ shortNames: ['po'], namespaced: true, kind: 'Pod' });
    expect(core.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['pods/log', 'pods/status', 'services/proxy']));
    const unknown = await kubectl(['get', 'widgets']);
    expect(unknown.stderr).toContain(`the server doesn't have a resource type "widgets"`);
  });

  it('sees a change in its own watch (get -w)', async () => {
    const seen: string[] = [];
    // kubectl skips the first event of its watch (the object it just printed), so change it only once watching.
    const changeWhenWatching = async () => {
      await waitFor('kubectl watch', async () => api.faults.openWatches('/apis/apps/v1/namespaces/shop/deployments') > 0);
      api.store.mutate('deployments.apps', 'shop', 'web', (d) => void ((d.spec as { replicas: number }).replicas = 7));
    };
    const run = await kubectl(['get', 'deploy', 'web', '-n', 'shop', '-w', '--request-timeout=20s', '-o', 'jsonpath={.spec.replicas}{"\\n"}'], {
      onLine: (line, stop) => {
        seen.push(line);
        if (seen.length === 1) void changeWhenWatching();
        if (line === '7') stop();
      },
    });
    expect(seen).toEqual(['5', '7']);
    expect(run.stderr).toBe('');
  });

  it('deletes a Deployment together with its ReplicaSets and pods', async () => {
    const deleted = await kubectl(['delete', 'deploy', 'web', '-n', 'shop']);
    expect(deleted.stdout.trim()).toBe('deployment.apps "web" deleted');
    const left = await kubectl(['get', 'deploy,rs,pods', '-n', 'shop', '-o', 'name']);
    expect(left.stdout).toBe('');
  });

  it('creates ConfigMaps and Secrets with kubectl create, which sends protobuf', async () => {
    expect((await kubectl(['create', 'configmap', 'flags', '-n', 'shop', '--from-literal=beta=on'])).stdout.trim()).toBe('configmap/flags created');
    expect((await kubectl(['create', 'secret', 'generic', 'db', '-n', 'shop', '--from-literal=password=hunter2'])).code).toBe(0);
    expect(api.store.get('configmaps', 'shop', 'flags')?.data).toEqual({ beta: 'on' });
    expect(api.store.get('secrets', 'shop', 'db')).toMatchObject({ type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } });
    const unsupported = await kubectl(['create', 'deployment', 'x', '-n', 'shop', '--image=x']);
    expect(unsupported.stderr).toContain('send Deployment as application/json');
  });

  it("turns a Secret's stringData into data, as a real server does, in a dry run too", async () => {
    const path = join(dir, 'secret.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: Secret\nmetadata: {name: api, namespace: shop}\ndata: {user: YWRtaW4=, token: b2xk}\nstringData: {token: new}\n');
    const dry = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', path, '-o', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(JSON.parse(dry.stdout)).toMatchObject({ data: { user: b64('admin'), token: b64('new') } });
    expect(JSON.parse(dry.stdout).stringData).toBeUndefined();
    expect(api.store.get('secrets', 'shop', 'api')).toBeUndefined();
    expect((await kubectl(['apply', '--server-side', '-f', path])).code).toBe(0);
    const stored = JSON.parse((await kubectl(['get', 'secret', 'api', '-n', 'shop', '-o', 'json'])).stdout);
    expect(stored.data).toEqual({ user: b64('admin'), token: b64('new') });
    expect(stored.stringData).toBeUndefined();
  });

  it('answers a write an admission webhook denies with 403 Forbidden and its message, in a dry run too', async () => {
    const remove = api.admission.add(denyingWebhookFor(['configmaps'], 'owners.policy.example.com', 'every ConfigMap needs an owner label', (o) => !o.metadata.labels?.owner));
    try {
      const path = join(dir, 'unowned.yaml');
      writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unowned, namespace: shop}\ndata: {A: "1"}\n');
      for (const dryRun of [['--dry-run=server'], []]) {
        const run = await kubectl(['apply', '--server-side', ...dryRun, '-f', path]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('Error from server (Forbidden)');
        expect(run.stderr).toContain('admission webhook "owners.policy.example.com" denied the request: every ConfigMap needs an owner label');
      }
      expect(api.store.get('configmaps', 'shop', 'unowned')).toBeUndefined();
    } finally {
      remove();
    }
  });

  it('is refused without the right token', async () => {
    const wrong = join(dir, 'wrong-kubeconfig');
    writeKubeconfig(wrong, api.url, 'not-the-token', api.ca);
    const refused = await kubectl(['get', 'pods'], { kubeconfig: wrong });
    expect(refused.stderr).toContain('Unauthorized');
  });
});
