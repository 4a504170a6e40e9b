// One whole sandbox cluster per test file (API emulator, controllers, scheduler, a kubelet running real Docker
// containers, the `virtual` node) reached through rollgate's own client, plus the real kubectl for comparison and
// small builders for the workloads the tracker and restore tests roll out.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectCluster, type KubeCluster } from '../../src/kube/client.ts';
import type { KubeObject, ObjectRef } from '../../src/kube/cluster.ts';
import type { Logger } from '../../src/log.ts';
import { startSandboxCluster, type SandboxCluster } from '../sandbox/kube/cluster.ts';
import { FAST_RETRY } from './sandbox-api.ts';

export interface TrackerSandbox {
  sandbox: SandboxCluster;
  cluster: KubeCluster;
  /** The busybox image with httpd, in the test registry. */
  image: string;
  kubectl(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Server-side applies as rollgate does (field manager rollgate), in order. */
  apply(...objects: KubeObject[]): Promise<void>;
  namespace(name: string): Promise<string>;
  /**
   * A connection of its own, closed after the file: concurrent tests each hold a rollout's watches, and one
   * connection pool shared by all of them would queue a test's log read behind the others' watches.
   */
  connect(): Promise<KubeCluster>;
}

export function useTrackerSandbox(): TrackerSandbox {
  const t = { image: inject('baseImage') } as TrackerSandbox;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(inject('sandboxDir'), 'kube-tracker-'));
    t.sandbox = await startSandboxCluster({ dir, dockerHost: inject('dockerHost'), pauseImage: t.image, backOffScale: 0.1, maxGracePeriodSeconds: 1 });
    t.cluster = await connectCluster({ kubeconfig: t.sandbox.kubeconfigPath, retry: FAST_RETRY });
  });
  const extra: KubeCluster[] = [];
  t.connect = async () => {
    const c = await connectCluster({ kubeconfig: t.sandbox.kubeconfigPath, retry: FAST_RETRY });
    extra.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of extra) await c.close();
    await t.cluster?.close();
    await t.sandbox?.stop();
  });
  t.kubectl = (...args) =>
    new Promise((resolve, reject) => {
      const child = spawn('kubectl', ['--kubeconfig', t.sandbox.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  t.apply = async (...objects) => {
    for (const o of objects) await t.cluster.apply(o, { fieldManager: 'rollgate', force: true });
  };
  t.namespace = async (name) => {
    await t.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  };
  return t;
}

export interface Lines extends Logger {
  lines: string[];
}

/** A Logger that keeps what it is told; `onInfo` sees each info line as it comes. */
export function recordingLogger(onInfo?: (line: string) => void): Lines {
  const lines: string[] = [];
  const keep = (prefix: string) => (m: string) => {
    lines.push(`${prefix}${m}`);
    if (prefix === '' && onInfo) onInfo(m);
  };
  return { lines, debug: () => {}, info: keep(''), warn: keep('warning: '), error: keep('error: ') };
}

export type ContainerSpec = Record<string, unknown>;

/** The web server the good revisions run: serves $GREETING (from a ConfigMap when asked) on 8080, ready on /. */
export function server(image: string, extra: ContainerSpec = {}): ContainerSpec {
  return {
    name: 'app',
    image,
    command: ['sh', '-c', 'echo "${GREETING:-hello}" > /tmp/index.html; echo started; exec httpd -f -p 8080 -h /tmp'],
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 },
    ...extra,
  };
}

export function sleeper(image: string, extra: ContainerSpec = {}): ContainerSpec {
  return { name: 'app', image, command: ['sleep', '3600'], ...extra };
}

interface PodSpecExtra {
  replicas?: number;
  volumes?: unknown[];
  nodeName?: string;
  progressDeadlineSeconds?: number;
  labels?: Record<string, string>;
}

export function deployment(ns: string, name: string, container: ContainerSpec, extra: PodSpecExtra = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: extra.replicas ?? 1,
      ...(extra.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: extra.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, ...extra.labels } }, spec: podSpec(container, extra) },
    },
  };
}

export function podSpec(container: ContainerSpec, extra: PodSpecExtra = {}): Record<string, unknown> {
  return {
    terminationGracePeriodSeconds: 1,
    containers: [container],
    ...(extra.volumes ? { volumes: extra.volumes } : {}),
    ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
  };
}

export function configMap(ns: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
}

export function refTo(o: KubeObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
}
