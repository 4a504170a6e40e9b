// What run.ts hands each bench module: settings from the environment, the shared sandbox (started on first use),
// and the table printer whose Markdown is kept for docs/bench.md.
import type { Row } from './report.ts';
import type { BenchSandbox } from './sandbox.ts';

export interface BenchContext {
  /** The repository root. */
  root: string;
  /** Repetitions of each sandbox measurement (BENCH_RUNS, default 3). */
  runs: number;
  sandbox(): Promise<BenchSandbox>;
  /** Prints a table and keeps its Markdown. */
  table(title: string, header: string[], rows: Row[], notes?: string[]): void;
  /** A line of progress on stderr, so the tables on stdout stay clean. */
  progress(message: string): void;
}

export interface Bench {
  /** What `--only` matches. */
  name: string;
  /** Measures, prints its tables and returns its figures for bench-results/latest.json. */
  run(ctx: BenchContext): Promise<unknown>;
}

/** A positive number from the environment, or the default; anything else is a mistake worth stopping for. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}
