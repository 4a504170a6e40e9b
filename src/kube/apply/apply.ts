// Server-side apply of a plan, group by group in the plan's order; the objects of a group at the same time
// (bounded). A CustomResourceDefinition must be Established before anything else is applied, or its custom
// resources would be refused. The first group with a failure is the last one touched: the result says exactly
// what was written, so the restore knows what to undo.
import type { Cluster, KubeObject, ObjectRef, Watch } from '../cluster.ts';
import { describeRef, refOf } from '../cluster.ts';
import { silentLogger, type Logger } from '../../log.ts';
import { formatDuration } from '../../config/duration.ts';
import type { ApplyGroupName } from '../manifests/kinds.ts';
import { kindKey } from '../manifests/kinds.ts';
import { DEFAULT_CONCURRENCY, settleBounded } from './bounded.ts';
import { FIELD_MANAGER, type ApplyPlan } from './plan.ts';
import { snapshotEntry } from './snapshot.ts';

export interface ApplyRunOptions {
  /** `--force-conflicts`. */
  force: boolean;
  fieldManager?: string;
  concurrency?: number;
  /** How long a CRD may take to become Established (default 60 s). */
  crdTimeoutMs?: number;
  logger?: Logger;
}

export interface AppliedObject {
  ref: ObjectRef;
  group: ApplyGroupName;
  /** True when the snapshot had no live object: this run created it. */
  created: boolean;
  /** The object as the server stored it. */
  object: KubeObject;
}

export interface ApplyFailure {
  ref: ObjectRef;
  group: ApplyGroupName;
  /** One line: the server's answer, or why a CRD never became Established (that CRD is also in `applied`). */
  message: string;
  error: unknown;
}

export interface ApplyResult {
  /** Every object written, in the order the writes completed. */
  applied: AppliedObject[];
  /** Empty when everything was applied. */
  failures: ApplyFailure[];
  /** Objects never sent because an earlier failure stopped the apply. */
  skipped: ObjectRef[];
}

export const CRD_ESTABLISHED_TIMEOUT_MS = 60_000;

export async function applyPlan(cluster: Cluster, plan: ApplyPlan, options: ApplyRunOptions): Promise<ApplyResult> {
  const logger = options.logger ?? silentLogger;
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const applied: AppliedObject[] = [];
  const failures: ApplyFailure[] = [];
  const skipped: ObjectRef[] = [];
  for (const group of plan.groups) {
    if (failures.length > 0) {
      skipped.push(...group.objects.map(refOf));
      continue;
    }
    const results = await settleBounded(
      group.objects,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      async (object) => {
        const stored = await cluster.apply(object, { fieldManager, force: options.force });
        applied.push({ ref: refOf(object), group: group.name, created: !snapshotEntry(plan.snapshot, refOf(object))?.previous, object: stored });
        logger.debug(`applied ${describeRef(refOf(object))}`);
        if (isCrd(object)) await waitEstablished(cluster, stored, options.crdTimeoutMs ?? CRD_ESTABLISHED_TIMEOUT_MS);
        return stored;
      },
      { stopOnFailure: true },
    );
    results.forEach((result, i) => {
      const ref = refOf(group.objects[i]!);
      if (result === undefined) skipped.push(ref);
      else if (result.status === 'rejected') {
        const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
        failures.push({ ref, group: group.name, message, error: result.reason });
        logger.error(`apply ${describeRef(ref)} failed: ${message}`);
      }
    });
  }
  return { applied, failures, skipped };
}

function isCrd(object: KubeObject): boolean {
  return kindKey(object.apiVersion, object.kind) === 'apiextensions.k8s.io/CustomResourceDefinition';
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

function conditionOf(crd: KubeObject, type: string): Condition | undefined {
  const conditions = (crd.status as { conditions?: Condition[] } | undefined)?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c.type === type) : undefined;
}

/**
 * Resolves when the CRD's Established condition is True; watches from the version the apply returned, so a
 * change between the apply and the watch is not missed. NamesAccepted=False (a name another CRD holds) fails
 * at once: it never becomes Established.
 */
export async function waitEstablished(cluster: Cluster, crd: KubeObject, timeoutMs: number): Promise<void> {
  const name = crd.metadata.name;
  const verdict = (o: KubeObject): 'established' | string | undefined => {
    if (conditionOf(o, 'Established')?.status === 'True') return 'established';
    const names = conditionOf(o, 'NamesAccepted');
    if (names?.status === 'False') return `CustomResourceDefinition ${name}: names not accepted: ${names.message ?? names.reason ?? 'no reason given'}`;
    return undefined;
  };
  const first = verdict(crd);
  if (first === 'established') return;
  if (first !== undefined) throw new Error(first);

  await new Promise<void>((resolve, reject) => {
    let watch: Watch | undefined;
    let done = false;
    let last = crd;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watch?.stop();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => {
      const established = conditionOf(last, 'Established');
      const why = established?.message ? `: ${established.message}` : '';
      finish(new Error(`CustomResourceDefinition ${name} was not Established within ${formatDuration(timeoutMs)}${why}`));
    }, timeoutMs);
    cluster
      .watch(
        crd.apiVersion,
        crd.kind,
        undefined,
        { fieldSelector: `metadata.name=${name}`, ...(crd.metadata.resourceVersion ? { resourceVersion: crd.metadata.resourceVersion } : {}) },
        (event) => {
          if (event.object.metadata.name !== name) return;
          if (event.type === 'DELETED') return finish(new Error(`CustomResourceDefinition ${name} was deleted while waiting for it to be Established`));
          last = event.object;
          const v = verdict(event.object);
          if (v === 'established') finish();
          else if (v !== undefined) finish(new Error(v));
        },
        (err) => finish(err),
      )
      .then(
        (w) => {
          watch = w;
          if (done) w.stop();
        },
        (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
      );
  });
}
