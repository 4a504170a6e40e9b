// The environment's namespace must exist before anything else: the deploy lock is a Lease in it. A first deploy
// whose manifests declare the Namespace applies that object first (what it looks like belongs to the manifests);
// one whose manifests do not is refused before any write.
import { InputError } from '../errors.ts';
import { FIELD_MANAGER } from '../kube/apply/plan.ts';
import type { Cluster, KubeObject } from '../kube/cluster.ts';
import type { Logger } from '../log.ts';

export async function ensureNamespace(cluster: Cluster, env: { name: string; namespace: string }, objects: readonly KubeObject[], logger: Logger): Promise<void> {
  if (await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: env.namespace })) return;
  const declared = objects.find((o) => o.apiVersion === 'v1' && o.kind === 'Namespace' && o.metadata.name === env.namespace);
  if (!declared) {
    throw new InputError({
      field: `environments.${env.name}.namespace`,
      message: `namespace "${env.namespace}" does not exist in the cluster (context ${cluster.context}) and the manifests do not declare it; add a Namespace manifest or create it first`,
    });
  }
  await cluster.apply(declared, { fieldManager: FIELD_MANAGER });
  logger.info(`namespace ${env.namespace} created (first deploy)`);
}
