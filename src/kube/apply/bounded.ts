// A fixed number of requests in flight: enough to hide the API server's latency, few enough not to trip its
// rate limits (client-go's default QPS is 5 with a burst of 10; kubectl applies one object at a time).

export const DEFAULT_CONCURRENCY = 8;

/**
 * Runs `work` over `items`, at most `limit` at once, starting them in order. With `stopOnFailure`, nothing new
 * starts after a failure; what is in flight finishes. Returns one settled result per item, undefined for items
 * never started.
 */
export async function settleBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  options: { stopOnFailure?: boolean } = {},
): Promise<Array<PromiseSettledResult<R> | undefined>> {
  const results: Array<PromiseSettledResult<R> | undefined> = new Array(items.length).fill(undefined);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !(failed && options.stopOnFailure)) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index]!, index) };
      } catch (reason) {
        failed = true;
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Like Promise.all over `items` with at most `limit` in flight; the first failure rejects once the rest settled. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const settled = await settleBounded(items, limit, work, { stopOnFailure: true });
  const failure = settled.find((r) => r?.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return settled.map((r) => (r as PromiseFulfilledResult<R>).value);
}
