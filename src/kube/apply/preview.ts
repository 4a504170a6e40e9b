// The diff preview, before anything is written: each object as the server would store it (a server-side dry-run
// apply, `dryRun=All`, with the same field manager and force as the real apply) compared with what is live.
// A new object is dry-run only when asked (it is created either way; the dry run can only find a refusal). When
// the server refuses the dry run with Invalid, Conflict or Forbidden (RBAC, a policy webhook: a dry run needs the
// same permission and passes the same validating admission), the real apply would fail the same way, so the change
// is `refused`; when the dry run is not possible for another reason (an admission webhook without dry-run
// support answers 400, the namespace the same apply creates 404), the change is computed locally and says so.
import { KubeApiError } from '../api-error.ts';
import type { Cluster, KubeObject } from '../cluster.ts';
import { objectKey } from '../manifests/identity.ts';
import { DEFAULT_CONCURRENCY, mapBounded } from './bounded.ts';
import { describeChange, overlay, refusedChange, type ObjectChange } from './diff.ts';
import type { LiveObjects } from './snapshot.ts';

export interface PreviewOptions {
  fieldManager: string;
  force: boolean;
  concurrency?: number;
  /** Dry-run the objects that do not exist yet too. */
  dryRunNew?: boolean;
}

const REFUSALS = new Set(['Invalid', 'Conflict', 'Forbidden']);

export async function previewChanges(cluster: Cluster, objects: readonly KubeObject[], live: LiveObjects, options: PreviewOptions): Promise<ObjectChange[]> {
  return mapBounded(objects, options.concurrency ?? DEFAULT_CONCURRENCY, async (object) => {
    const current = live.get(objectKey(object));
    if (!current && !options.dryRunNew) return describeChange(undefined, object);
    try {
      const result = await cluster.apply(object, { fieldManager: options.fieldManager, force: options.force, dryRun: true });
      // A new object is shown as written: the dry run only had to say it would be accepted.
      return describeChange(current, current ? result : object);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (REFUSALS.has(reasonOf(err))) return refusedChange(object, message, err instanceof KubeApiError ? err.fields : []);
      // A new object whose namespace (or CRD) comes in the same apply: the server cannot judge it yet.
      if (!current && reasonOf(err) === 'NotFound') return describeChange(undefined, object);
      return { ...describeChange(current, current ? overlay(current, object) : object), note: `computed locally, the server's dry run failed: ${message}` };
    }
  });
}

function reasonOf(err: unknown): string {
  if (err instanceof Error && err.name === 'ConflictError') return 'Conflict';
  const reason = (err as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : '';
}
