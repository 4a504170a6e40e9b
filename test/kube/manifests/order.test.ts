import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/cluster.ts';
import { orderForApply } from '../../../src/kube/manifests/order.ts';

const obj = (apiVersion: string, kind: string, name = kind.toLowerCase()): KubeObject => ({ apiVersion, kind, metadata: { name } });

describe('orderForApply', () => {
  it.each([
    ['v1', 'Namespace', 'namespaces'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crds'],
    ['v1', 'ServiceAccount', 'access'],
    ['rbac.authorization.k8s.io/v1', 'Role', 'access'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'access'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'access'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'access'],
    ['v1', 'ResourceQuota', 'access'],
    ['v1', 'LimitRange', 'access'],
    ['scheduling.k8s.io/v1', 'PriorityClass', 'access'],
    ['v1', 'ConfigMap', 'config'],
    ['v1', 'Secret', 'config'],
    ['storage.k8s.io/v1', 'StorageClass', 'storage'],
    ['v1', 'PersistentVolume', 'storage'],
    ['v1', 'PersistentVolumeClaim', 'storage'],
    ['v1', 'Service', 'services'],
    ['apps/v1', 'Deployment', 'workloads'],
    ['apps/v1', 'StatefulSet', 'workloads'],
    ['apps/v1', 'DaemonSet', 'workloads'],
    ['apps/v1', 'ReplicaSet', 'workloads'],
    ['batch/v1', 'Job', 'workloads'],
    ['batch/v1', 'CronJob', 'workloads'],
    ['v1', 'Pod', 'workloads'],
    ['networking.k8s.io/v1', 'Ingress', 'rest'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'rest'],
    ['policy/v1', 'PodDisruptionBudget', 'rest'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'rest'],
    ['monitoring.coreos.com/v1', 'ServiceMonitor', 'rest'],
    // A custom resource named like a built-in is not one.
    ['acme.io/v1', 'Deployment', 'rest'],
    ['acme.io/v1', 'Namespace', 'rest'],
  ])('%s %s goes in %s', (apiVersion, kind, group) => {
    expect(orderForApply([obj(apiVersion, kind)])).toEqual([{ name: group, objects: [obj(apiVersion, kind)] }]);
  });

  it('puts groups in apply order, keeps manifest order inside a group and leaves out empty groups', () => {
    const objects = [
      obj('networking.k8s.io/v1', 'Ingress'),
      obj('apps/v1', 'Deployment', 'web'),
      obj('v1', 'Secret'),
      obj('apps/v1', 'Deployment', 'api'),
      obj('v1', 'ConfigMap'),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
      obj('v1', 'Namespace'),
    ];
    expect(orderForApply(objects).map((g) => `${g.name}: ${g.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(' ')}`)).toEqual([
      'namespaces: Namespace/namespace',
      'crds: CustomResourceDefinition/customresourcedefinition',
      'config: Secret/secret ConfigMap/configmap',
      'workloads: Deployment/web Deployment/api',
      'rest: Ingress/ingress',
    ]);
  });
});
