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
 * The container's last DIAGNOSIS_LOG_LINES lines. The kubelet may have restarted the container between the status
 * the verdict read and this request, so an empty or refused answer is asked again of the other instance (previous
 * vs current). A read that fails or hangs gives no lines rather than holding up the verdict.
 */
export async function lastLogLines(cluster: Cluster, request: LogsRequest): Promise<string[]> {
  const read = async (previous: boolean) =>
    lines(await cluster.podLogs(request.namespace, request.pod, { container: request.container, previous, tailLines: DIAGNOSIS_LOG_LINES }).catch(() => ''));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), LOG_TIMEOUT_MS)));
  const both = async () => {
    const first = await read(request.previous);
    return first.length ? first : read(!request.previous);
  };
  try {
    return await Promise.race([both(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n').slice(-DIAGNOSIS_LOG_LINES);
}
