// The failure scenarios of the detection bench: each a manifest that fails for real in the sandbox, the rule
// rollgate should name, and the change in the emulator's store that is the failure's signal. The signal is read
// from the store in this process with millisecond precision; the API's own timestamps have whole seconds.
import type { KubeObject } from '../../src/kube/cluster.ts';
import type { RuleId } from '../../src/kube/rollout/verdict.ts';
import { deployment, server, sleeper } from '../kube/tracker-cluster.ts';
import { resourceQuota } from '../sandbox/kube/controllers-admission.ts';
import type { SandboxCluster } from '../sandbox/kube/cluster.ts';
import type { CoreEvent } from '../sandbox/kube/event-recorder.ts';
import type { KubeObject as StoredObject } from '../sandbox/kube/store.ts';
import type { ContainerStatus, Pod } from '../sandbox/kube/workload-types.ts';

export interface FailureScenario {
  /** Also the Deployment's name and part of its namespace. */
  name: string;
  label: string;
  rule: RuleId;
  /** Judged only after a window by design (readiness, unschedulable). */
  windowed: boolean;
  objects(ns: string, image: string, deadlineSeconds: number): KubeObject[];
  setup?(cluster: SandboxCluster, ns: string): void;
  /** True for the first store change that carries the signal (`type` is the store's resource type). */
  signal(type: string, object: StoredObject): boolean;
}

const statuses = (type: string, o: StoredObject): ContainerStatus[] => (type === 'pods' ? ((o as Pod).status?.containerStatuses ?? []) : []);
const waiting = (type: string, o: StoredObject, reasons: string[]) => statuses(type, o).some((s) => reasons.includes(s.state.waiting?.reason ?? ''));
const terminated = (type: string, o: StoredObject, test: (reason: string | undefined, exitCode: number) => boolean) =>
  statuses(type, o).some((s) => [s.state.terminated, s.lastState.terminated].some((t) => t !== undefined && test(t.reason, t.exitCode)));
const event = (type: string, o: StoredObject, reason: string) => type === 'events' && (o as CoreEvent).reason === reason;

export const SCENARIOS: FailureScenario[] = [
  {
    name: 'missing-image',
    label: 'missing image',
    rule: 'image-pull',
    windowed: false,
    objects: (ns, image, d) => [deployment(ns, 'missing-image', sleeper(image.replace(/:[^:/]+$/, ':does-not-exist')), { progressDeadlineSeconds: d })],
    signal: (type, o) => waiting(type, o, ['ErrImagePull', 'ImagePullBackOff']),
  },
  {
    name: 'crash',
    label: 'crash at start',
    rule: 'crash-loop',
    windowed: false,
    // A readiness probe, as real servers have: without one a container is Ready for an instant and the rollout
    // counts as done for kubectl and rollgate alike.
    objects: (ns, image, d) => [deployment(ns, 'crash', server(image, { command: ['sh', '-c', 'echo "cannot connect to the database"; exit 3'] }), { progressDeadlineSeconds: d })],
    signal: (type, o) => terminated(type, o, (reason, code) => code !== 0 && reason !== 'OOMKilled'),
  },
  {
    name: 'unready',
    label: 'readiness 404',
    rule: 'readiness',
    windowed: true,
    objects: (ns, image, d) => [
      deployment(ns, 'unready', server(image, { readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } }), { progressDeadlineSeconds: d }),
    ],
    // The window runs from the container's start: running and never Ready.
    signal: (type, o) => statuses(type, o).some((s) => s.state.running !== undefined),
  },
  {
    name: 'no-env-config',
    label: 'missing ConfigMap in env',
    rule: 'config-missing',
    windowed: false,
    objects: (ns, image, d) => [deployment(ns, 'no-env-config', sleeper(image, { envFrom: [{ configMapRef: { name: 'absent-env' } }] }), { progressDeadlineSeconds: d })],
    signal: (type, o) => waiting(type, o, ['CreateContainerConfigError']),
  },
  {
    name: 'no-volume-config',
    label: 'missing ConfigMap as a volume',
    rule: 'mount-missing',
    windowed: false,
    objects: (ns, image, d) => [
      deployment(ns, 'no-volume-config', sleeper(image, { volumeMounts: [{ name: 'settings', mountPath: '/etc/settings' }] }), {
        volumes: [{ name: 'settings', configMap: { name: 'absent-files' } }],
        progressDeadlineSeconds: d,
      }),
    ],
    signal: (type, o) => event(type, o, 'FailedMount'),
  },
  {
    name: 'too-big',
    label: 'too much CPU (unschedulable)',
    rule: 'unschedulable',
    windowed: true,
    objects: (ns, image, d) => [deployment(ns, 'too-big', sleeper(image, { resources: { requests: { cpu: '3' } } }), { progressDeadlineSeconds: d })],
    signal: (type, o) => type === 'pods' && Boolean((o as Pod).status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable')),
  },
  {
    name: 'oom',
    label: 'OOM at start',
    rule: 'oom-killed',
    windowed: false,
    objects: (ns, image, d) => [
      deployment(ns, 'oom', server(image, { command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], resources: { limits: { memory: '16Mi' } } }), { progressDeadlineSeconds: d }),
    ],
    signal: (type, o) => terminated(type, o, (reason) => reason === 'OOMKilled'),
  },
  {
    name: 'quota',
    label: 'quota rejection',
    rule: 'replica-failure',
    windowed: false,
    setup: (cluster, ns) => cluster.admission.add(resourceQuota(ns, 'compute', { 'requests.cpu': '100m' })),
    objects: (ns, image, d) => [deployment(ns, 'quota', sleeper(image, { resources: { requests: { cpu: '200m' } } }), { progressDeadlineSeconds: d })],
    signal: (type, o) => event(type, o, 'FailedCreate'),
  },
];
