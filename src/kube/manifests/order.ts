// The order objects are applied in: what others need comes first (a namespace before what lives in it, a CRD
// before its custom resources, accounts and config before the pods that mount them, Services before the
// workloads whose pods they front), then everything else. Objects keep their manifest order inside a group.
import type { KubeObject } from '../cluster.ts';
import { APPLY_GROUPS, applyGroupOf, type ApplyGroupName } from './kinds.ts';

export interface ApplyGroup<T = KubeObject> {
  name: ApplyGroupName;
  objects: T[];
}

/** Non-empty groups in apply order. */
export function orderForApply(objects: readonly KubeObject[]): ApplyGroup[] {
  return groupBy(objects, (o) => o);
}

/** The same, for anything that carries an object (a manifest with its source). */
export function groupBy<T>(items: readonly T[], objectOf: (item: T) => KubeObject): ApplyGroup<T>[] {
  const groups = new Map<ApplyGroupName, T[]>(APPLY_GROUPS.map((name) => [name, []]));
  for (const item of items) groups.get(applyGroupOf(objectOf(item)))!.push(item);
  return APPLY_GROUPS.filter((name) => groups.get(name)!.length > 0).map((name) => ({ name, objects: groups.get(name)! }));
}
