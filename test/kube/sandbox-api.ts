// One API emulator per test file, and a Cluster connected to it through its kubeconfig, as a deploy connects
// to a real cluster. Call at the top of a test file (it registers beforeAll/afterAll):
//
//   const sandbox = useSandboxApi();
//   it('...', async () => { await sandbox.cluster.apply(obj, { fieldManager: 'rollgate' }); sandbox.api.faults... });
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../sandbox/kube/apiserver.ts';
import { connectCluster, type ConnectOptions, type KubeCluster } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/kube/cluster.ts';

export interface SandboxApi {
  api: ApiServer;
  cluster: KubeCluster;
  /** Creates a Namespace (ignoring one that exists) and returns its name. */
  namespace(name: string): Promise<string>;
}

/** Retries fast, so fault-injection tests do not wait out real back-offs (a 429's Retry-After included). */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 } as const;

export function useSandboxApi(
  options: { server?: Omit<ApiServerOptions, 'dir'>; connect?: Omit<ConnectOptions, 'kubeconfig'> } = {},
): SandboxApi {
  const sandbox = {
    async namespace(name: string): Promise<string> {
      const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
      if (!(await sandbox.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name }))) await sandbox.cluster.create(ns);
      return name;
    },
  } as SandboxApi;
  beforeAll(async () => {
    sandbox.api = await startApiServer({ ...options.server, dir: mkdtempSync(join(inject('sandboxDir'), 'kube-api-')) });
    sandbox.cluster = await connectCluster({ retry: FAST_RETRY, ...options.connect, kubeconfig: sandbox.api.kubeconfigPath });
  });
  afterAll(async () => {
    await sandbox.cluster?.close();
    await sandbox.api?.stop();
  });
  return sandbox;
}
