// The whole sandbox cluster in one call: the API server (apiserver.ts) with the controllers, the scheduler and the
// kubelet on its store, the `virtual` node, and the kubelet behind the API's pod logs, service proxy and pod proxy.
//
//   const cluster = await startSandboxCluster({ dir, dockerHost, pauseImage: inject('baseImage'), backOffScale: 0.1 });
//   KUBECONFIG=cluster.kubeconfigPath kubectl rollout status deploy/web
//   cluster.admission.add(resourceQuota('default', 'compute', { cpu: '1' }));
//   await cluster.stop();
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { startApiServer, type ApiServer, type LogRequest, type ProxyTarget } from './apiserver.ts';
import type { Admission } from './controllers-admission.ts';
import { startDaemonSetController } from './controllers-daemonset.ts';
import { startDeploymentController } from './controllers-deployment.ts';
import { startJobController } from './controllers-job.ts';
import { startReplicaSetController } from './controllers-replicaset.ts';
import { startStatefulSetController } from './controllers-statefulset.ts';
import { DockerRuntime } from './docker-runtime.ts';
import { Kubelet, KubeletError, type KubeletOptions } from './kubelet.ts';
import { podAgent, PodDialError } from './netns.ts';
import { virtualNode, VIRTUAL_NODE } from './nodes.ts';
import { Scheduler } from './scheduler.ts';
import { ApiError } from './status.ts';
import type { ObjectStore } from './store.ts';
import { matchesLabelSelector } from './selectors.ts';
import type { Container, IntOrString, Pod } from './workload-types.ts';

export interface SandboxClusterOptions {
  /** Folder for the kubeconfig, TLS files and pod volumes. */
  dir: string;
  /** DOCKER_HOST of the engine the kubelet runs containers on (unix://...). */
  dockerHost: string;
  /** Image of pod sandboxes: anything with `sleep`; the busybox base of the test setup. */
  pauseImage: string;
  /** Scales the kubelet's and Job controller's back-offs (1 = Kubernetes' own; 0.1 keeps tests fast). */
  backOffScale?: number;
  /** Capacity of the `sandbox` node; 2 CPU / 4Gi / 110 pods by default. */
  capacity?: KubeletOptions['capacity'];
  /** Caps the grace period when containers are stopped. */
  maxGracePeriodSeconds?: number;
  port?: number;
  /** Tells this cluster's containers apart on a shared engine; derived from `dir` by default. */
  clusterId?: string;
}

export interface SandboxCluster {
  api: ApiServer;
  store: ObjectStore;
  kubelet: Kubelet;
  /** Admission hooks (ResourceQuota, webhooks) for the API's writes and the pods the controllers create. */
  admission: Admission;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export async function startSandboxCluster(options: SandboxClusterOptions): Promise<SandboxCluster> {
  const api = await startApiServer({ dir: options.dir, ...(options.port ? { port: options.port } : {}) });
  const store = api.store;
  if (!store.get('nodes', '', VIRTUAL_NODE)) store.create('nodes', virtualNode());
  // One set of hooks for the API's writes and the controllers' creates.
  const admission = api.admission;
  const ctx = { store, admission };
  const kubelet = new Kubelet({
    store,
    runtime: new DockerRuntime(options.dockerHost),
    dir: options.dir,
    pauseImage: options.pauseImage,
    clusterId: options.clusterId ?? `${basename(options.dir)}-${process.pid}`,
    ...(options.backOffScale !== undefined ? { backOffScale: options.backOffScale } : {}),
    ...(options.capacity ? { capacity: options.capacity } : {}),
    ...(options.maxGracePeriodSeconds !== undefined ? { maxGracePeriodSeconds: options.maxGracePeriodSeconds } : {}),
  });
  await kubelet.start();
  const scheduler = new Scheduler(store);
  scheduler.start();
  const stops = [
    startReplicaSetController(ctx),
    startDeploymentController(ctx),
    startStatefulSetController(ctx),
    startDaemonSetController(ctx),
    startJobController(ctx, { backOffScale: options.backOffScale ?? 1 }),
    () => scheduler.stop(),
  ];
  api.setLogProvider((req) => podLogs(kubelet, req));
  api.setServiceProxy((target, req, res) => serviceProxy(store, kubelet, target, req, res));
  api.setPodProxy((target, req, res) => podProxy(store, kubelet, target, req, res));
  return {
    api,
    store,
    kubelet,
    admission,
    kubeconfigPath: api.kubeconfigPath,
    async stop() {
      api.setLogProvider(undefined);
      api.setServiceProxy(undefined);
      api.setPodProxy(undefined);
      for (const stop of stops) stop();
      await kubelet.stop();
      await api.stop();
    },
  };
}

async function podLogs(kubelet: Kubelet, req: LogRequest): Promise<Readable | AsyncIterable<Buffer>> {
  try {
    const stream = await kubelet.logs(req.namespace, req.pod, {
      container: req.container,
      previous: req.previous,
      follow: req.follow,
      timestamps: req.timestamps,
      ...(req.tailLines !== undefined ? { tailLines: req.tailLines } : {}),
      ...(req.sinceSeconds !== undefined ? { sinceSeconds: req.sinceSeconds } : {}),
    });
    req.signal.addEventListener('abort', () => stream.destroy(), { once: true });
    return req.limitBytes === undefined ? stream : limited(stream, req.limitBytes);
  } catch (err) {
    throw asApiError(err);
  }
}

async function* limited(stream: Readable, limit: number): AsyncIterable<Buffer> {
  let left = limit;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (left <= 0) break;
    yield chunk.subarray(0, left);
    left -= chunk.length;
  }
  stream.destroy();
}

function asApiError(err: unknown): unknown {
  if (!(err instanceof KubeletError)) return err;
  const reason = err.code === 400 ? 'BadRequest' : err.code === 404 ? 'NotFound' : err.code === 503 ? 'ServiceUnavailable' : 'InternalError';
  return new ApiError(err.code, reason, err.message);
}

interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: { name?: string; port: number; targetPort?: IntOrString }[];
}

function readyOnSandbox(pod: Pod, kubelet: Kubelet): boolean {
  return pod.spec.nodeName === kubelet.nodeName && Boolean(pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

function containerPort(pod: Pod, port: IntOrString): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return pod.spec.containers.flatMap((c: Container) => c.ports ?? []).find((p) => p.name === port)?.containerPort;
}

/** `.../services/NAME[:PORT]/proxy/PATH`: to a ready endpoint pod, as the API server's service proxy does. */
async function serviceProxy(store: ObjectStore, kubelet: Kubelet, target: ProxyTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const service = store.get('services', target.namespace, target.name);
  const spec = (service?.spec ?? {}) as ServiceSpec;
  const ports = spec.ports ?? [];
  const servicePort = target.port === '' ? ports[0] : ports.find((p) => String(p.port) === target.port || p.name === target.port);
  const noEndpoints = new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${target.name}"`);
  if (!servicePort || !spec.selector) throw noEndpoints;
  const pods = store
    .list<Pod>('pods', { namespace: target.namespace, filter: (p) => matchesLabelSelector({ matchLabels: spec.selector }, p.metadata.labels) })
    .items.filter((p) => readyOnSandbox(p, kubelet));
  const pod = pods[Math.floor(Math.random() * pods.length)];
  if (!pod) throw noEndpoints;
  const port = containerPort(pod, servicePort.targetPort ?? servicePort.port);
  if (port === undefined) throw noEndpoints;
  await forward(kubelet, pod, port, target.path, req, res, 'service');
}

/** `.../pods/NAME[:PORT]/proxy/PATH` */
async function podProxy(store: ObjectStore, kubelet: Kubelet, target: ProxyTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pod = store.get<Pod>('pods', target.namespace, target.name);
  if (!pod || pod.spec.nodeName !== kubelet.nodeName) {
    throw new ApiError(503, 'ServiceUnavailable', `pod ${target.name} is not running on node "${kubelet.nodeName}"`);
  }
  const firstPort = pod.spec.containers.flatMap((c) => c.ports ?? [])[0]?.containerPort ?? 80;
  const port = target.port === '' ? firstPort : containerPort(pod, target.port);
  if (port === undefined) throw new ApiError(503, 'ServiceUnavailable', `pod ${target.name} has no port named ${target.port}`);
  await forward(kubelet, pod, port, target.path, req, res, 'pod');
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'authorization']);

function forward(kubelet: Kubelet, pod: Pod, port: number, path: string, req: IncomingMessage, res: ServerResponse, what: 'service' | 'pod'): Promise<void> {
  const { namespace = 'default', name = '' } = pod.metadata;
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));
  return new Promise((resolve, reject) => {
    const upstream = request(
      { agent: podAgent(() => kubelet.podNetwork(namespace, name)), host: '127.0.0.1', port, method: req.method, path, headers: { ...headers, host: `127.0.0.1:${port}` } },
      (answer) => {
        const out = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));
        res.writeHead(answer.statusCode ?? 502, out as Record<string, string | string[]>);
        answer.pipe(res);
        answer.on('end', () => resolve());
        answer.on('error', reject);
      },
    );
    upstream.on('error', (err) => {
      const message = err instanceof PodDialError ? err.message : `${err.message}`;
      reject(new ApiError(503, 'ServiceUnavailable', `error trying to reach ${what}: ${message}`));
    });
    req.pipe(upstream);
  });
}
