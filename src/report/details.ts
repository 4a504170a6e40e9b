// What a command hands the report writers besides its result: the parts that are too big or too structured for the
// result JSON (the smoke run step by step, the diff preview). Nothing here carries Secret values.
import type { ObjectChange } from '../kube/apply/diff.ts';
import type { SmokeResult } from '../smoke/result.ts';

export interface RunDetails {
  smoke?: SmokeResult;
  changes?: ObjectChange[];
  /** The rollout failure as a person reads it (the tracker's diagnosis). */
  diagnosis?: string;
  /** `rollgate status`: what runs where, as the command printed it. */
  status?: string;
}
