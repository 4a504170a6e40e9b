// One object's identity among the manifests and in the cluster: API group (not version), kind, namespace, name.
import type { KubeObject, ObjectRef } from '../cluster.ts';
import { apiGroupOf } from './kinds.ts';

/** `apps/Deployment/invoice-dev/web`; two manifests with the same key are the same object. */
export function objectKey(o: KubeObject | ObjectRef): string {
  const ref = 'metadata' in o ? { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace } : o;
  return `${apiGroupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}
