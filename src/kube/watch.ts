// A watch that survives the network: a dropped or ended stream is reopened from the last resourceVersion seen
// (bookmarks included), a 410 Gone ("too old resource version") relists and replays the difference, and only a
// failure that cannot be resumed reaches onError. Events are delivered in order, never after stop().
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import type { Logger } from '../log.ts';
import type { KubeObject, Watch, WatchEvent } from './cluster.ts';

export interface WatchSource {
  /** What the watch is on, for messages: `pods in demo`. */
  description: string;
  /** Opens the stream of changes after `resourceVersion`. */
  open(resourceVersion: string, signal: AbortSignal): Promise<IncomingMessage>;
  list(): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Reads a non-200 answer into an Error (and tells whether trying again may help). */
  failure(res: IncomingMessage): Promise<{ error: Error; status: number; transient: boolean }>;
  isTransient(err: unknown): boolean;
  /** Wait before reconnect attempt `attempt` (1-based) after failures in a row. */
  delay(attempt: number): number;
  /** Consecutive failed reconnects before the watch gives up. */
  maxAttempts: number;
  logger: Logger;
}

interface StatusObject {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
}

/**
 * Starts the watch; resolves once the first stream is open (so a change made after that is seen), rejects when
 * it cannot be opened at all.
 */
export async function startWatch(
  source: WatchSource,
  startAt: string | undefined,
  onEvent: (e: WatchEvent) => void,
  onError: (err: Error) => void,
): Promise<Watch> {
  const abort = new AbortController();
  let stopped = false;
  let lastVersion = startAt;
  // Last object seen per namespace/name, to replay a relist as the changes it stands for.
  const known = new Map<string, KubeObject>();
  const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const deliver = (e: WatchEvent) => {
    if (stopped) return;
    if (e.type === 'DELETED') known.delete(keyOf(e.object));
    else known.set(keyOf(e.object), e.object);
    onEvent(e);
  };

  const relist = async () => {
    const { items, resourceVersion } = await source.list();
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const before = known.get(key);
      if (!before) deliver({ type: 'ADDED', object: item });
      else if (before.metadata.resourceVersion !== item.metadata.resourceVersion) deliver({ type: 'MODIFIED', object: item });
    }
    for (const [key, object] of [...known]) if (!seen.has(key)) deliver({ type: 'DELETED', object });
    lastVersion = resourceVersion;
  };

  /** Reads one stream to its end. 'gone': the server said 410 inside the stream. */
  const consume = (res: IncomingMessage) =>
    new Promise<'ended' | 'gone' | Error>((resolve) => {
      let outcome: 'ended' | 'gone' | Error = 'ended';
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (stopped || !line.trim()) return;
        let event: { type?: string; object?: unknown };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          return;
        }
        const object = event.object as KubeObject | undefined;
        if (event.type === 'ERROR') {
          const status = (event.object ?? {}) as StatusObject;
          outcome = status.code === 410 ? 'gone' : new Error(`watch ${source.description}: ${status.message ?? status.reason ?? 'error event'}`);
          res.destroy();
          return;
        }
        if (!object?.metadata) return;
        if (object.metadata.resourceVersion) lastVersion = object.metadata.resourceVersion;
        if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') deliver({ type: event.type, object });
      });
      // readline re-emits the stream's errors ("aborted" when the connection drops mid-response).
      const broke = (err: Error) => void (outcome = outcome === 'ended' ? err : outcome);
      res.on('error', broke);
      lines.on('error', broke);
      // readline does not close when its input breaks; the response does.
      res.on('close', () => lines.close());
      lines.on('close', () => resolve(outcome));
    });

  const open = async (): Promise<IncomingMessage | 'gone'> => {
    const res = await source.open(lastVersion ?? '', abort.signal);
    if (res.statusCode === 200) return res;
    const { error, status, transient } = await source.failure(res);
    if (status === 410) return 'gone';
    if (transient) throw Object.assign(error, { transient: true });
    throw error;
  };

  const backOff = async (attempt: number, why: unknown) => {
    const wait = source.delay(attempt);
    source.logger.debug(`watch ${source.description}: ${why instanceof Error ? why.message : String(why)}; retrying in ${wait} ms`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  };

  const isTransient = (err: unknown) => (err as { transient?: boolean }).transient === true || source.isTransient(err);

  /** The first open, retried like a reopen: a dropped connection then must not fail the start (a revert's tracking). */
  const openFirst = async (): Promise<IncomingMessage | 'gone'> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await open();
      } catch (err) {
        if (!isTransient(err) || attempt >= source.maxAttempts) throw err;
        await backOff(attempt, err);
      }
    }
  };

  // Without a starting point, the current objects come as ADDED from a list, so a resume never replays them.
  if (startAt === undefined) await relist();
  const first = await openFirst();
  const run = async () => {
    let next: IncomingMessage | 'open' | 'relist' = first === 'gone' ? 'relist' : first;
    let failures = 0;
    while (!stopped) {
      try {
        if (next === 'relist') {
          source.logger.debug(`watch ${source.description}: resourceVersion ${lastVersion ?? ''} is too old; relisting`);
          await relist();
          next = 'open';
        } else if (next === 'open') {
          const opened = await open();
          next = opened === 'gone' ? 'relist' : opened;
        } else {
          const startedAt = Date.now();
          const before = lastVersion;
          const outcome = await consume(next);
          if (stopped) return;
          next = outcome === 'gone' ? 'relist' : 'open';
          if (outcome === 'gone') continue;
          // A stream that ends at once and delivered nothing counts as a failure, so a server that keeps
          // closing on us is met with back-off rather than a busy loop.
          if (lastVersion !== before || Date.now() - startedAt > 1000) failures = 0;
          else await pause(++failures, outcome instanceof Error ? outcome : new Error('the stream ended at once'));
          source.logger.debug(`watch ${source.description}: stream ended${outcome instanceof Error ? ` (${outcome.message})` : ''}; resuming from ${lastVersion ?? 'the start'}`);
        }
      } catch (err) {
        if (stopped) return;
        failures++;
        if (!isTransient(err)) return fail(err);
        await pause(failures, err);
      }
    }
  };
  const fail = (err: unknown) => {
    stopped = true;
    abort.abort();
    onError(err instanceof Error ? err : new Error(String(err)));
  };
  const pause = async (attempt: number, why: unknown) => {
    if (attempt >= source.maxAttempts) fail(why);
    else await backOff(attempt, why);
  };
  void run();
  return {
    stop() {
      stopped = true;
      abort.abort();
    },
  };
}
