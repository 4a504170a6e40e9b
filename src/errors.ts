// Every way a run can end, as DESIGN.md defines them. Commands throw these; the entries map them to exit codes.

export const ExitCode = {
  ok: 0,
  reverted: 1,
  invalid: 2,
  unsafe: 3,
  blocked: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One thing wrong with the input, located as precisely as we can. */
export interface Problem {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path of the field inside the file, e.g. `environments.dev.targetTag`. */
  field?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}` : ''}${p.line && p.column ? `:${p.column}` : ''}` : '';
  const field = p.field ? `${p.field}: ` : '';
  return `${where ? `${where}: ` : ''}${field}${p.message}`;
}

/** Bad input: config, manifests, flags. Exit 2, and nothing has been written. */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[] | Problem | string) {
    const list = typeof problems === 'string' ? [{ message: problems }] : Array.isArray(problems) ? problems : [problems];
    super(list.length === 1 ? formatProblem(list[0]!) : `${list.length} problems:\n${list.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'InputError';
    this.problems = list;
  }
}

/** Refused to start (cluster guard, lock held): exit 4, nothing has been written. */
export class BlockedError extends Error {
  override name = 'BlockedError';
}

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof InputError) return ExitCode.invalid;
  if (err instanceof BlockedError) return ExitCode.blocked;
  return ExitCode.unsafe;
}
