// What a smoke run reports: the verdict, the numbers per step, and the failure that decided it. Everything in
// here has been through the run's Redactor; it may be printed, written to a file or sent to a summary.

export interface SmokeStepResult {
  name: string;
  kind: 'request' | 'command';
  /** Requests sent (a command step: runs), failed ones included. */
  requests: number;
  failures: number;
  /** Latency percentiles in ms over the answers received (a command step: its run time); 0 when none. */
  p50Ms: number;
  p95Ms: number;
  /** Time spent in this step over the whole run, ms. */
  totalMs: number;
}

export interface SmokeFailure {
  step: string;
  /** 1-based. */
  round: number;
  /** A glitch that another round may not meet (connection refused, a timeout, 502/503/504 from a gateway). */
  transient: boolean;
  message: string;
  request?: { method: string; path: string; headers: Record<string, string> };
  command?: string;
  /** The HTTP status, when an answer came. */
  status?: number;
  exitCode?: number;
  /** The first ~500 characters of the body (a command: the last ~500 of its output). */
  responseExcerpt?: string;
}

export interface SmokeResult {
  passed: boolean;
  /** The run was stopped from outside (a cancelled job) before it could decide. */
  cancelled?: boolean;
  /** One line a person reads first. */
  message: string;
  target: string;
  rounds: number;
  /** HTTP requests sent (command runs are not requests). */
  requests: number;
  /** Failed steps, tolerated ones included. */
  failures: number;
  maxFailures: number;
  /** 95th percentile of all HTTP request latencies, ms. */
  p95Ms: number;
  p95LimitMs?: number;
  durationMs: number;
  steps: SmokeStepResult[];
  /** The failure that failed the run: a deterministic one, or the transient one beyond maxFailures. */
  firstFailure?: SmokeFailure;
  /** Transient failures within maxFailures, in order. */
  tolerated: SmokeFailure[];
}
