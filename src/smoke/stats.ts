// Latency percentiles. Pure.

/** Nearest-rank percentile (the smallest value at or above p% of the samples); 0 for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Milliseconds as reported: whole, since a smoke test over a network does not resolve below that. */
export function ms(value: number): number {
  return Math.round(value);
}
