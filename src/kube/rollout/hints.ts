// What usually causes a failure and what to change, for the classics. Each hint is keyed by the text the
// kubelet, the scheduler or a probe writes, so it only appears when that text does.

import type { Container, Probe } from './objects.ts';

type HintTable = readonly (readonly [RegExp, string])[];

function pick(table: HintTable, text: string | undefined): string | undefined {
  return table.find(([re]) => re.test(text ?? ''))?.[1];
}

const PULL: HintTable = [
  [/unauthorized|denied|forbidden|\b40[13]\b|authenticat/i,
    'The node cannot read the image: check imagePullSecrets on the pod or its ServiceAccount (on GKE, the node service account needs roles/artifactregistry.reader on the repository).'],
  [/InvalidImageName|invalid reference format/i, 'The image reference is malformed: check the image field in the manifest.'],
  [/not found|manifest unknown|name unknown|NotFound/i,
    'The repository or tag does not exist in the registry: was the image pushed, and does the manifest name the same repository?'],
  [/too ?many ?requests|\b429\b/i, 'The registry rate-limits this node: authenticate pulls or mirror the image.'],
];

export function pullHint(cause: string | undefined): string | undefined {
  return pick(PULL, cause);
}

const CREATE: HintTable = [
  [/executable file not found|no such file or directory/i,
    "The command does not exist in the image: check the container's command/args and the image's ENTRYPOINT."],
  [/runAsNonRoot/i, 'The pod requires runAsNonRoot but the image runs as root: set securityContext.runAsUser or add a USER to the Dockerfile.'],
  [/permission denied/i, 'The entrypoint is not executable for the container user: check file modes and securityContext.'],
  [/read-only file system/i, 'The runtime could not write into the container filesystem (readOnlyRootFilesystem or a mount over a file).'],
];

export function createHint(message: string | undefined): string | undefined {
  return pick(CREATE, message);
}

const EXIT: Readonly<Record<number, string>> = {
  126: 'Exit 126: the command is not executable.',
  127: 'Exit 127: the command was not found in the image.',
  137: 'Exit 137: killed by SIGKILL (out of memory, or a failing liveness probe).',
  139: 'Exit 139: segmentation fault.',
  143: 'Exit 143: stopped by SIGTERM.',
};

export function exitHint(exitCode: number | undefined, reason: string | undefined, livenessKilled: boolean): string | undefined {
  if (livenessKilled) {
    return 'The liveness probe kills the container before it is healthy: fix the probe (path, port) or give it a startupProbe / longer initialDelaySeconds.';
  }
  if (reason === 'Completed' || exitCode === 0) {
    return 'The main process exits with 0: a Deployment container must keep running (a one-off task belongs in a Job).';
  }
  return exitCode !== undefined ? EXIT[exitCode] : undefined;
}

export function oomHint(container: Container | undefined): string {
  const limit = container?.resources?.limits?.['memory'];
  return `The container uses more memory than its limit${limit ? ` (${limit})` : ''}: raise resources.limits.memory or lower what the app uses.`;
}

export function configHint(kind: string, name: string, namespace: string, key: string | undefined): string {
  const what = kind === 'PersistentVolumeClaim' ? 'PersistentVolumeClaim' : kind;
  if (key) return `${what} ${namespace}/${name} has no key "${key}": add the key, or fix the name the pod refers to.`;
  return kind === 'PersistentVolumeClaim'
    ? `Create the PersistentVolumeClaim "${name}" in ${namespace} (or fix claimName).`
    : `Create the ${what} "${name}" in ${namespace} with the manifests (rollgate applies ConfigMaps and Secrets before workloads), or fix the name the pod refers to.`;
}

/** A readiness probe as a person writes it: `GET /healthz on port 8080`. */
export function describeProbe(probe: Probe | undefined): string | undefined {
  if (!probe) return undefined;
  if (probe.httpGet) return `${probe.httpGet.scheme === 'HTTPS' ? 'HTTPS ' : ''}GET ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port}`;
  if (probe.tcpSocket) return `TCP connect to port ${probe.tcpSocket.port}`;
  if (probe.grpc) return `gRPC health check on port ${probe.grpc.port}`;
  if (probe.exec) return `exec ${JSON.stringify(probe.exec.command ?? [])}`;
  return undefined;
}

export function readinessHint(unhealthy: string | undefined, container: Container | undefined): string | undefined {
  const probe = container?.readinessProbe;
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
  const where = probe?.httpGet ? `${probe.httpGet.path ?? '/'} port ${port}` : `port ${port}`;
  const ports = container?.ports ?? [];
  const probed = ports.some((p) => p.containerPort === port || (typeof port === 'string' && p.name === port));
  // Only worth saying when the probe aims at a port the container does not declare.
  const declared =
    ports.length && !probed ? ` (the container declares ${ports.map((p) => p.containerPort).join(', ')})` : '';
  const text = unhealthy ?? '';
  if (/statuscode: 404/.test(text)) {
    return `readiness probe 404 on ${where}: the app does not serve that path on that port; a wrong path, or the app listens on another port${declared}.`;
  }
  if (/connection refused/.test(text)) {
    return `Nothing listens on ${`port ${port}`} when the probe runs${declared}: the app uses another port, binds 127.0.0.1 only, or has not started.`;
  }
  if (/statuscode: 5\d\d/.test(text)) {
    return "The app answers the probe with a server error: its logs usually say why (a database it cannot reach, a missing setting).";
  }
  if (/timeout|deadline exceeded|Client\.Timeout/i.test(text)) {
    return `The probe times out (timeoutSeconds: ${probe?.timeoutSeconds ?? 1}): the app is slow to answer or blocked; check its logs.`;
  }
  if (!unhealthy) return 'No probe failure was reported: the readiness window may be too short for this app (raise initialDelaySeconds or failureThreshold).';
  return undefined;
}

const SCHEDULING: HintTable = [
  [/didn't match Pod's node affinity|node\(s\) didn't match node selector|node affinity\/selector/i,
    "No node matches the pod's nodeSelector/affinity: check the labels it asks for."],
  [/untolerated taint|had taint/i, 'The nodes are tainted and the pod has no matching toleration.'],
  [/topology spread constraints/i, "The pod's topologySpreadConstraints cannot be met with the nodes there are."],
  [/didn't have free ports|free ports/i, 'The hostPort the pod asks for is taken on every node.'],
];

/**
 * The scheduler's FitError ("0/3 nodes are available: 3 Insufficient cpu. preemption: ..."). For Insufficient
 * cpu/memory during a rolling update with surge, the classic is that the nodes fit the old pods but not old + new.
 */
export function schedulingHint(message: string | undefined, surgeBlocked: boolean): string | undefined {
  if (/Insufficient (cpu|memory|ephemeral-storage|pods)/i.test(message ?? '')) {
    return surgeBlocked
      ? 'No room for the surge pods: the nodes fit the old pods but not old and new together. Add capacity, lower the requests, or set strategy.rollingUpdate.maxSurge: 0 with maxUnavailable: 1.'
      : "No node has room for the pod's resource requests: lower the requests or add nodes.";
  }
  return pick(SCHEDULING, message);
}
