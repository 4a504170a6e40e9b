// The sandbox's two Nodes: `sandbox`, where the kubelet runs pods as containers, and `virtual`, where nothing runs
// so that status written through the API stays as written (recorded real-cluster states replayed in tests). The
// virtual node carries a NoSchedule taint so the scheduler never puts a pod there; tests bind pods to it directly.
import { timestamp } from './store.ts';
import type { Node, Taint } from './workload-types.ts';

export const VIRTUAL_NODE = 'virtual';
export const VIRTUAL_TAINT: Taint = { key: 'sandbox.rollgate.dev/virtual', effect: 'NoSchedule' };

export interface Capacity {
  cpu: string;
  memory: string;
  pods: string;
}

export function nodeManifest(name: string, capacity: Capacity, taints: Taint[] = []): Node {
  const now = timestamp();
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
    },
    spec: taints.length ? { taints } : {},
    status: {
      capacity: { ...capacity },
      allocatable: { ...capacity },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTime: now },
      ],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        containerRuntimeVersion: 'docker://20.10.24',
        kubeletVersion: 'v1.31.0-sandbox',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function virtualNode(capacity: Capacity = { cpu: '2', memory: '4Gi', pods: '110' }): Node {
  return nodeManifest(VIRTUAL_NODE, capacity, [VIRTUAL_TAINT]);
}
