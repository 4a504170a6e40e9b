// Everything decided before the first write: the apply order, the snapshot of what is live, and the diff
// preview. A plan with refusals should not be applied (the server already said those objects will fail).
import type { Cluster, KubeObject } from '../cluster.ts';
import { orderForApply, type ApplyGroup } from '../manifests/order.ts';
import { DEFAULT_CONCURRENCY } from './bounded.ts';
import { refusedChange, type ObjectChange } from './diff.ts';
import { previewChanges } from './preview.ts';
import { readLive, snapshotOf, type Snapshot } from './snapshot.ts';
import { objectKey } from '../manifests/identity.ts';

export const FIELD_MANAGER = 'rollgate';

export interface ApplyPlan {
  groups: ApplyGroup[];
  snapshot: Snapshot;
  /** One per object, in apply order. */
  changes: ObjectChange[];
}

export interface PlanOptions {
  /** `--force-conflicts`: take over fields another manager owns. */
  force: boolean;
  fieldManager?: string;
  concurrency?: number;
  now?: Date;
  /**
   * Dry-run the objects that do not exist yet too, so a refusal (a webhook, a value the server rejects) stops the
   * run before its first write. One request per new object: worth it when a running release would otherwise be
   * reverted; a first deploy has nothing to protect and skips it.
   */
  dryRunNew?: boolean;
}

/** `objects` are the validated, pinned manifests. */
export async function planApply(cluster: Cluster, objects: readonly KubeObject[], options: PlanOptions): Promise<ApplyPlan> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const groups = orderForApply(objects);
  const ordered = groups.flatMap((g) => g.objects);
  const { live, unreadable } = await readLive(cluster, ordered, concurrency);
  const snapshot = snapshotOf(ordered, live, options.now);
  const missing = new Map(unreadable.map((u) => [objectKey(u.ref), u.message]));
  const readable = ordered.filter((o) => !missing.has(objectKey(o)));
  const previewed = await previewChanges(cluster, readable, live, {
    fieldManager: options.fieldManager ?? FIELD_MANAGER,
    force: options.force,
    concurrency,
    dryRunNew: options.dryRunNew ?? false,
  });
  const byKey = new Map(previewed.map((c) => [objectKey(c.ref), c]));
  const changes = ordered.map((o) => byKey.get(objectKey(o)) ?? refusedChange(o, missing.get(objectKey(o))!));
  return { groups, snapshot, changes };
}

/** The changes the server refused in the dry run (or whose kind it does not serve). */
export function refusals(plan: ApplyPlan): ObjectChange[] {
  return plan.changes.filter((c) => c.action === 'refused');
}
