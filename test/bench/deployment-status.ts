// kubectl rollout status's test for a Deployment, over the plain objects the emulator's store hands out.

export interface DeploymentStatus {
  metadata: { name?: string; generation?: number };
  spec: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
  status?: { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number };
}

/** Observed, all replicas updated and available, none of an older revision left. */
export function rolledOut(d: DeploymentStatus): boolean {
  const want = d.spec.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && s.updatedReplicas === want && s.availableReplicas === want && s.replicas === want;
}

export function templateImages(d: DeploymentStatus): string[] {
  return (d.spec.template?.spec?.containers ?? []).map((c) => c.image ?? '');
}
