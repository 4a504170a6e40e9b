import { ExitCode, InputError, BlockedError, formatProblem } from '../errors.ts';

// The result of a run, as `--json FILE` writes it and the action exposes as outputs (DESIGN.md "Interfaces").

/**
 * DESIGN.md's outcomes, plus `built` (rollgate build), `valid` (rollgate validate) and `failed` (a command that
 * changes nothing failed: exit 1, nothing to undo).
 */
export type Outcome = 'deployed' | 'reverted' | 'revert-failed' | 'invalid' | 'blocked' | 'unchanged' | 'built' | 'valid' | 'failed';

export interface ImageResult {
  name: string;
  repository: string;
  digest: string;
  tags: string[];
  targetTag?: string;
  previousDigest?: string;
}

export interface RolloutFailure {
  rule: string;
  resource: string;
  container?: string;
  message: string;
  signalAt?: string;
  detectedAt?: string;
}

export interface RevertedTag {
  image: string;
  /** `repository:tag` */
  reference: string;
  /** restored | deleted | moved-by-someone-else | not-removed | failed */
  status: string;
  /** Where the tag points now, when known. */
  digest?: string;
  message?: string;
}

export interface RunResult {
  command: string;
  outcome: Outcome;
  environment?: string;
  version?: string;
  images: ImageResult[];
  problems?: string[];
  /** inventory: the packages found. */
  packages?: Array<{ type: string; name: string; version: string }>;
  rollout?: {
    failure?: RolloutFailure;
    /** Each workload tracked: how it ended and after how many seconds. */
    workloads?: Array<{ resource: string; status: string; seconds: number; progress?: string }>;
  };
  smoke?: { passed: boolean; requests: number; failures: number; p95Ms: number; message?: string };
  revert?: {
    tagRestored: boolean;
    workloadsRestored: boolean;
    timeToSafeSeconds: number;
    /** Each target tag the run moved, and what its compare-and-swap revert found. */
    tags?: RevertedTag[];
    /** What the revert could not finish, with the commands that finish it (outcome revert-failed). */
    left?: Array<{ what: string; commands: string[] }>;
  };
  /** rebuild: each package that changed in a rebuilt image (`from` absent: added; `to` absent: removed). */
  packageChanges?: Array<{ image: string; type: string; name: string; from?: string; to?: string }>;
  /** deploy: the stage that failed (build, apply, rollout, smoke, tag, cancelled). */
  failedStage?: string;
  timings: Record<string, number>;
  /** One line a person reads first. */
  message: string;
}

const MUTATING = new Set(['deploy', 'promote', 'rollback', 'rebuild']);

/** The result of a run that ended in an exception rather than a verdict. */
export function failureResult(command: string, err: unknown, where: { environment?: string | undefined; version?: string | undefined } = {}): RunResult {
  const invalid = err instanceof InputError;
  // An unexpected error in a command that changes a cluster leaves its state unknown: unsafe until a person
  // looks. The others (build, validate, status, inventory) leave nothing behind to undo.
  const outcome: Outcome = invalid ? 'invalid' : err instanceof BlockedError ? 'blocked' : MUTATING.has(command) ? 'revert-failed' : 'failed';
  return {
    command,
    outcome,
    ...(where.environment !== undefined ? { environment: where.environment } : {}),
    ...(where.version !== undefined ? { version: where.version } : {}),
    images: [],
    ...(invalid ? { problems: err.problems.map(formatProblem) } : {}),
    timings: {},
    message: err instanceof Error ? err.message : String(err),
  };
}

export function exitCodeFor(result: Pick<RunResult, 'outcome'>): ExitCode {
  switch (result.outcome) {
    case 'reverted':
    case 'failed':
      return ExitCode.reverted;
    case 'invalid':
      return ExitCode.invalid;
    case 'revert-failed':
      return ExitCode.unsafe;
    case 'blocked':
      return ExitCode.blocked;
    default:
      return ExitCode.ok;
  }
}
