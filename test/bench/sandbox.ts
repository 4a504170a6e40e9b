// The sandbox for the benches that need a cluster, started outside vitest (its global setup is vitest-only): a
// Docker engine, the real registry with the busybox base, and the whole sandbox cluster in this process, so a
// bench can read the emulator's store and request log directly. The real kubectl runs as a child process, always
// asynchronously: a synchronous child would stall the event loop the emulator answers it from.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectCluster, type KubeCluster } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/kube/cluster.ts';
import { pushBusyboxBase } from '../sandbox/base-image.ts';
import { ensureDockerEngine, removeLabelledContainers } from '../sandbox/docker-engine.ts';
import { startSandboxCluster, type SandboxCluster } from '../sandbox/kube/cluster.ts';
import { startRegistry, type RunningRegistry } from '../sandbox/registry.ts';

export interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms (Date.now()) the process was started and ended. */
  startedAt: number;
  endedAt: number;
}

export interface BenchSandbox {
  cluster: SandboxCluster;
  registry: RunningRegistry;
  /** The busybox image (with httpd) in the sandbox registry. */
  image: string;
  dir: string;
  /** A connection of rollgate's own, as a deploy makes one (the caller closes it). */
  connect(): Promise<KubeCluster>;
  kubectl(args: string[], options?: { signal?: AbortSignal }): Promise<KubectlRun>;
  /** Creates a Namespace as rollgate would (server-side apply). */
  namespace(name: string): Promise<string>;
  /** Deletes a Namespace; with `wait`, resolves once it is gone from the store (at most 60 s). */
  dropNamespace(name: string, options?: { wait?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const SANDBOX_ROOT = join(import.meta.dirname, '../../.sandbox');

export async function startBenchSandbox(): Promise<BenchSandbox> {
  mkdirSync(SANDBOX_ROOT, { recursive: true });
  const dir = mkdtempSync(join(SANDBOX_ROOT, 'bench-'));
  const [registry, engine] = await Promise.all([startRegistry({ dir: join(dir, 'registry') }), ensureDockerEngine(join(SANDBOX_ROOT, 'docker'))]);
  const base = await pushBusyboxBase(registry.host, 'sandbox/busybox', '1');
  const clusterId = `bench-${process.pid}`;
  // Kubernetes' own back-offs (backOffScale 1): the baseline's progress deadline and rollgate's rules see the
  // restart timing of a real kubelet.
  const cluster = await startSandboxCluster({ dir: join(dir, 'kube'), dockerHost: engine.host, pauseImage: base.reference, maxGracePeriodSeconds: 1, clusterId });
  const admin = await connectCluster({ kubeconfig: cluster.kubeconfigPath });
  const cacheDir = join(dir, 'kubectl-cache');
  return {
    cluster,
    registry,
    image: base.reference,
    dir,
    connect: () => connectCluster({ kubeconfig: cluster.kubeconfigPath }),
    kubectl: (args, options = {}) =>
      new Promise((resolve, reject) => {
        const startedAt = Date.now();
        const child = spawn('kubectl', ['--kubeconfig', cluster.kubeconfigPath, '--cache-dir', cacheDir, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          ...(options.signal ? { signal: options.signal } : {}),
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', (err) => (err.name === 'AbortError' ? undefined : reject(err)));
        child.on('close', (code) => resolve({ code, stdout, stderr, startedAt, endedAt: Date.now() }));
      }),
    async namespace(name) {
      const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
      await admin.apply(ns, { fieldManager: 'rollgate', force: true });
      return name;
    },
    async dropNamespace(name, options = {}) {
      const gone = options.wait ? namespaceGone(cluster, name) : Promise.resolve();
      await admin.delete({ apiVersion: 'v1', kind: 'Namespace', name }).catch(() => {});
      await gone;
    },
    async stop() {
      await admin.close();
      try {
        await cluster.stop();
      } catch (err) {
        // The kubelet can trip over a container a namespace deletion is already removing (a 409 from Docker);
        // the labelled containers are removed below either way, and the API server must still stop.
        console.error(`sandbox cluster stop: ${(err as Error).message}`);
        await cluster.api.stop().catch(() => {});
      }
      await removeLabelledContainers(engine.host, clusterId).catch(() => {});
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function namespaceGone(cluster: SandboxCluster, name: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const stop = cluster.store.watch('namespaces', {}, (e) => {
      if (e.type === 'DELETED' && e.object.metadata.name === name) done();
    });
    if (!cluster.store.get('namespaces', '', name)) done();
  });
}
