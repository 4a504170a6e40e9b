// What a fresh cluster has and keeps: the four system namespaces, and a `default` ServiceAccount in every
// namespace (the serviceaccount controller's job), which pods name by default.
import { StoreError, type ObjectStore } from './store.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function startNamespaceController(store: ObjectStore): () => void {
  const ensureServiceAccount = (namespace: string) => {
    const ns = store.get('namespaces', '', namespace);
    if (!ns || ns.metadata.deletionTimestamp || store.get('serviceaccounts', namespace, 'default')) return;
    try {
      store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'AlreadyExists')) throw err;
    }
  };
  for (const name of SYSTEM_NAMESPACES) {
    if (!store.get('namespaces', '', name)) {
      store.create('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    }
  }
  return store.watch('namespaces', { resourceVersion: '0' }, (e) => {
    if (e.type !== 'DELETED' && !e.object.metadata.deletionTimestamp) ensureServiceAccount(e.object.metadata.name ?? '');
  });
}
