// The two reads a verdict asks the tracker for: does the object a pod says is missing exist (needs-confirmation),
// and the last log lines of the container a failure names.

import type { Cluster } from '../cluster.ts';
import { DIAGNOSIS_LOG_LINES } from './diagnosis.ts';
import type { LogsRequest, ObjectToConfirm } from './verdict.ts';

/** How long a log read may hold up the verdict's report. */
const LOG_TIMEOUT_MS = 5_000;

const API_VERSION: Record<ObjectToConfirm['kind'], string> = { ConfigMap: 'v1', Secret: 'v1', PersistentVolumeClaim: 'v1' };

/**
 * true when the object (or, with a key, the key in its data) does not exist. Secrets are read like ConfigMaps;
 * only their key names are looked at, never logged with their values.
 */
export async function isMissing(cluster: Cluster, o: ObjectToConfirm): Promise<boolean> {
  const found = await cluster.get({ apiVersion: API_VERSION[o.kind], kind: o.kind, namespace: o.namespace, name: o.name });
  if (!found) return true;
  if (o.key === undefined) return false;
  const data = (found['data'] ?? {}) as Record<string, unknown>;
  const binary = (found['binaryData'] ?? {}) as Record<string, unknown>;
  return !(o.key in data) && !(o.key in binary);
}

/**
 * The container's last DIAGNOSIS_LOG_LINES lines. A previous container that is gone (the pod was replaced) falls
 * back to the current one; a read that fails or hangs gives no lines rather than holding up the verdict.
 */
export async function lastLogLines(cluster: Cluster, request: LogsRequest): Promise<string[]> {
  const read = (previous: boolean) =>
    cluster.podLogs(request.namespace, request.pod, { container: request.container, previous, tailLines: DIAGNOSIS_LOG_LINES });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), LOG_TIMEOUT_MS)));
  try {
    const text = await Promise.race([read(request.previous).catch(() => (request.previous ? read(false) : '')).catch(() => ''), timeout]);
    return text === '' ? [] : text.replace(/\n$/, '').split('\n').slice(-DIAGNOSIS_LOG_LINES);
  } finally {
    clearTimeout(timer);
  }
}
