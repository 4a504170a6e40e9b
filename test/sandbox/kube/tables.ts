// Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for: the columns and cells the real
// printers in k8s.io/kubernetes/pkg/printers/internalversion produce for the kinds the emulator serves.
import type { KubeObject } from './store.ts';
import { isPlainObject } from './list-types.ts';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Obj = Record<string, unknown>;
type Row = unknown[];

interface Printer {
  columns: Array<[name: string, type: string, priority?: number]>;
  cells: (o: KubeObject, now: number) => Row;
}

const o_ = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const a_ = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]).filter(isPlainObject) : []);
const n_ = (v: unknown): number => (typeof v === 'number' ? v : 0);
const none = (v: unknown): string => (v === undefined || v === null || v === '' ? '<none>' : String(v));

/** kubectl's HumanDuration: "45s", "2m5s", "3h", "2d4h". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (years < 8) return `${years}y${Math.floor(hours / 24) % 365}d`;
  return `${years}y`;
}

function age(ts: unknown, now: number): string {
  if (typeof ts !== 'string' || !ts) return '<unknown>';
  return humanDuration(now - Date.parse(ts));
}

const created = (o: KubeObject, now: number) => age(o.metadata.creationTimestamp, now);

function containersOf(podSpec: Obj): Obj[] {
  return a_(podSpec.containers);
}

function templateSpec(o: KubeObject): Obj {
  return o_(o_(o_(o.spec).template).spec);
}

function selectorText(sel: unknown): string {
  const s = o_(sel);
  const parts = Object.entries(o_(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of a_(s.matchExpressions)) {
    const values = Array.isArray(e.values) ? (e.values as string[]).join(',') : '';
    if (e.operator === 'In') parts.push(`${String(e.key)} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else parts.push(`!${String(e.key)}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

const wideContainers = (spec: Obj): Row => {
  const cs = containersOf(spec);
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
};

/** READY / STATUS / RESTARTS of a pod, as kubectl's printPod computes them. */
export function podSummary(pod: KubeObject, now = Date.now()): { ready: string; status: string; restarts: string } {
  const spec = o_(pod.spec);
  const status = o_(pod.status);
  let reason = String(status.reason || status.phase || '');
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart = 0;
  const noteRestart = (cs: Obj) => {
    restarts += n_(cs.restartCount);
    const finished = o_(o_(cs.lastState).terminated).finishedAt;
    if (typeof finished === 'string') lastRestart = Math.max(lastRestart, Date.parse(finished));
  };
  let initializing = false;
  const inits = a_(status.initContainerStatuses);
  for (const [i, cs] of inits.entries()) {
    noteRestart(cs);
    const state = o_(cs.state);
    const terminated = state.terminated ? o_(state.terminated) : undefined;
    const waiting = state.waiting ? o_(state.waiting) : undefined;
    if (terminated && n_(terminated.exitCode) === 0) continue;
    initializing = true;
    if (terminated) reason = `Init:${terminated.reason ? String(terminated.reason) : terminated.signal ? `Signal:${n_(terminated.signal)}` : `ExitCode:${n_(terminated.exitCode)}`}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${String(waiting.reason)}`;
    else reason = `Init:${i}/${a_(spec.initContainers).length}`;
    break;
  }
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    for (const cs of a_(status.containerStatuses).reverse()) {
      noteRestart(cs);
      const state = o_(cs.state);
      const terminated = state.terminated ? o_(state.terminated) : undefined;
      const waiting = state.waiting ? o_(state.waiting) : undefined;
      if (waiting?.reason) reason = String(waiting.reason);
      else if (terminated?.reason) reason = String(terminated.reason);
      else if (terminated) reason = terminated.signal ? `Signal:${n_(terminated.signal)}` : `ExitCode:${n_(terminated.exitCode)}`;
      else if (cs.ready && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCondition = a_(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = readyCondition ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return {
    ready: `${readyContainers}/${containersOf(spec).length}`,
    status: reason,
    restarts: lastRestart ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts),
  };
}

function servicePorts(spec: Obj): string {
  const ports = a_(spec.ports).map((p) => `${n_(p.port)}${p.nodePort ? `:${n_(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`);
  return ports.length ? ports.join(',') : '<none>';
}

function jobStatus(o: KubeObject): string {
  const status = o_(o.status);
  const conditions = a_(status.conditions).filter((c) => c.status === 'True');
  for (const want of ['Complete', 'Failed', 'FailureTarget', 'SuccessCriteriaMet', 'Suspended']) {
    if (conditions.some((c) => c.type === want)) return want === 'FailureTarget' ? 'FailureTarget' : want;
  }
  if (o_(o.spec).suspend === true) return 'Suspended';
  return 'Running';
}

function eventLastSeen(e: KubeObject, now: number): string {
  const series = o_(e.series);
  const last = (series.lastObservedTime as string) || (e.lastTimestamp as string) || (e.eventTime as string) || e.metadata.creationTimestamp;
  const first = (e.firstTimestamp as string) || (e.eventTime as string) || e.metadata.creationTimestamp;
  const count = n_(series.count) || n_(e.count);
  return count > 1 ? `${age(last, now)} (x${count} over ${age(first, now)})` : age(last, now);
}

const eventPrinter: Printer = {
  columns: [
    ['Last Seen', 'string'],
    ['Type', 'string'],
    ['Reason', 'string'],
    ['Object', 'string'],
    ['Subobject', 'string', 1],
    ['Source', 'string', 1],
    ['Message', 'string'],
    ['First Seen', 'string', 1],
    ['Count', 'string', 1],
    ['Name', 'string', 1],
  ],
  cells: (e, now) => {
    const obj = o_(e.involvedObject);
    const source = o_(e.source);
    return [
      eventLastSeen(e, now),
      e.type ?? '',
      e.reason ?? '',
      `${String(obj.kind ?? '').toLowerCase()}/${String(obj.name ?? '')}`,
      obj.fieldPath ?? '',
      [source.component, source.host].filter(Boolean).join(', ') || (e.reportingComponent ?? ''),
      String(e.message ?? '').trim(),
      age(e.firstTimestamp || e.eventTime || e.metadata.creationTimestamp, now),
      n_(e.count) || 1,
      e.metadata.name,
    ];
  },
};

const PRINTERS: Record<string, Printer> = {
  pods: {
    columns: [
      ['Name', 'string'],
      ['Ready', 'string'],
      ['Status', 'string'],
      ['Restarts', 'string'],
      ['Age', 'string'],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
    cells: (o, now) => {
      const s = podSummary(o, now);
      const status = o_(o.status);
      return [o.metadata.name, s.ready, s.status, s.restarts, created(o, now), none(status.podIP), none(o_(o.spec).nodeName), none(status.nominatedNodeName), '<none>'];
    },
  },
  'deployments.apps': {
    columns: [
      ['Name', 'string'],
      ['Ready', 'string'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = o_(o.spec);
      const st = o_(o.status);
      return [o.metadata.name, `${n_(st.readyReplicas)}/${n_(spec.replicas)}`, n_(st.updatedReplicas), n_(st.availableReplicas), created(o, now), ...wideContainers(templateSpec(o)), selectorText(spec.selector)];
    },
  },
  'replicasets.apps': {
    columns: [
      ['Name', 'string'],
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = o_(o.spec);
      const st = o_(o.status);
      return [o.metadata.name, n_(spec.replicas), n_(st.replicas), n_(st.readyReplicas), created(o, now), ...wideContainers(templateSpec(o)), selectorText(spec.selector)];
    },
  },
  'statefulsets.apps': {
    columns: [
      ['Name', 'string'],
      ['Ready', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
    ],
    cells: (o, now) => [o.metadata.name, `${n_(o_(o.status).readyReplicas)}/${n_(o_(o.spec).replicas)}`, created(o, now), ...wideContainers(templateSpec(o))],
  },
  'daemonsets.apps': {
    columns: [
      ['Name', 'string'],
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      ['Node Selector', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const st = o_(o.status);
      const nodeSelector = Object.entries(o_(templateSpec(o).nodeSelector)).map(([k, v]) => `${k}=${String(v)}`);
      return [
        o.metadata.name,
        n_(st.desiredNumberScheduled),
        n_(st.currentNumberScheduled),
        n_(st.numberReady),
        n_(st.updatedNumberScheduled),
        n_(st.numberAvailable),
        nodeSelector.length ? nodeSelector.join(',') : '<none>',
        created(o, now),
        ...wideContainers(templateSpec(o)),
        selectorText(o_(o.spec).selector),
      ];
    },
  },
  'jobs.batch': {
    columns: [
      ['Name', 'string'],
      ['Status', 'string'],
      ['Completions', 'string'],
      ['Duration', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const st = o_(o.status);
      const spec = o_(o.spec);
      const start = typeof st.startTime === 'string' ? Date.parse(st.startTime) : undefined;
      const end = typeof st.completionTime === 'string' ? Date.parse(st.completionTime) : now;
      return [
        o.metadata.name,
        jobStatus(o),
        `${n_(st.succeeded)}/${spec.completions === undefined ? 1 : n_(spec.completions)}`,
        start === undefined ? '' : humanDuration(end - start),
        created(o, now),
        ...wideContainers(templateSpec(o)),
        selectorText(spec.selector),
      ];
    },
  },
  services: {
    columns: [
      ['Name', 'string'],
      ['Type', 'string'],
      ['Cluster-IP', 'string'],
      ['External-IP', 'string'],
      ['Port(s)', 'string'],
      ['Age', 'string'],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = o_(o.spec);
      const selector = Object.entries(o_(spec.selector)).map(([k, v]) => `${k}=${String(v)}`);
      const external = spec.type === 'ExternalName' ? spec.externalName : Array.isArray(spec.externalIPs) ? spec.externalIPs.join(',') : undefined;
      return [o.metadata.name, spec.type ?? 'ClusterIP', none(spec.clusterIP), none(external), servicePorts(spec), created(o, now), selector.length ? selector.join(',') : '<none>'];
    },
  },
  configmaps: {
    columns: [
      ['Name', 'string'],
      ['Data', 'integer'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata.name, Object.keys(o_(o.data)).length + Object.keys(o_(o.binaryData)).length, created(o, now)],
  },
  secrets: {
    columns: [
      ['Name', 'string'],
      ['Type', 'string'],
      ['Data', 'integer'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(o_(o.data)).length, created(o, now)],
  },
  namespaces: {
    columns: [
      ['Name', 'string'],
      ['Status', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata.name, o_(o.status).phase ?? 'Active', created(o, now)],
  },
  nodes: {
    columns: [
      ['Name', 'string'],
      ['Status', 'string'],
      ['Roles', 'string'],
      ['Age', 'string'],
      ['Version', 'string'],
      ['Internal-IP', 'string', 1],
      ['External-IP', 'string', 1],
      ['OS-Image', 'string', 1],
      ['Kernel-Version', 'string', 1],
      ['Container-Runtime', 'string', 1],
    ],
    cells: (o, now) => {
      const st = o_(o.status);
      const ready = a_(st.conditions).find((c) => c.type === 'Ready');
      const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
      if (o_(o.spec).unschedulable) states.push('SchedulingDisabled');
      const roles = Object.keys(o.metadata.labels ?? {})
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length));
      const info = o_(st.nodeInfo);
      const address = (t: string) => none(a_(st.addresses).find((a) => a.type === t)?.address);
      return [o.metadata.name, states.join(','), roles.length ? roles.join(',') : '<none>', created(o, now), info.kubeletVersion ?? '', address('InternalIP'), address('ExternalIP'), none(info.osImage), none(info.kernelVersion), none(info.containerRuntimeVersion)];
    },
  },
  events: eventPrinter,
  serviceaccounts: {
    columns: [
      ['Name', 'string'],
      ['Secrets', 'integer'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata.name, Array.isArray(o.secrets) ? o.secrets.length : 0, created(o, now)],
  },
  'leases.coordination.k8s.io': {
    columns: [
      ['Name', 'string'],
      ['Holder', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata.name, o_(o.spec).holderIdentity ?? '', created(o, now)],
  },
  'ingresses.networking.k8s.io': {
    columns: [
      ['Name', 'string'],
      ['Class', 'string'],
      ['Hosts', 'string'],
      ['Address', 'string'],
      ['Ports', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => {
      const spec = o_(o.spec);
      const hosts = a_(spec.rules).map((r) => r.host).filter(Boolean);
      const lb = a_(o_(o_(o.status).loadBalancer).ingress).map((i) => i.ip ?? i.hostname);
      return [o.metadata.name, none(spec.ingressClassName), hosts.length ? hosts.join(',') : '*', lb.join(','), spec.tls ? '80, 443' : '80', created(o, now)];
    },
  },
  endpoints: {
    columns: [
      ['Name', 'string'],
      ['Endpoints', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => {
      const list = a_(o.subsets).flatMap((s) => a_(s.addresses).flatMap((a) => a_(s.ports).map((p) => `${String(a.ip)}:${n_(p.port)}`)));
      return [o.metadata.name, list.length ? list.join(',') : '<none>', created(o, now)];
    },
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [
    ['Name', 'string'],
    ['Age', 'string'],
  ],
  cells: (o, now) => [o.metadata.name, created(o, now)],
};

const DESCRIPTIONS: Record<string, string> = {
  Name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  Age: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A Table of `items` of resource type `type` (the events.k8s.io view is printed as the core Event it is). */
export function toTable(
  type: string,
  items: KubeObject[],
  listMeta: Record<string, unknown>,
  include: IncludeObject,
  now = Date.now(),
): Record<string, unknown> {
  const printer = PRINTERS[type] ?? DEFAULT_PRINTER;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns.map(([name, t, priority]) => ({
      name,
      type: t,
      format: name === 'Name' ? 'name' : '',
      description: DESCRIPTIONS[name] ?? name,
      priority: priority ?? 0,
    })) satisfies ColumnDefinition[],
    rows: items.map((item) => ({
      cells: printer.cells(item, now),
      object:
        include === 'None'
          ? undefined
          : include === 'Object'
            ? item
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata },
    })),
  };
}
