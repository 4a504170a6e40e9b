// client-go's flowcontrol.Backoff, which the kubelet uses for crash loops (10 s doubling to 5 min) and image pulls
// (the same numbers), and Go's time.Duration text, which its messages print ("back-off 1m20s restarting ...").

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(initialMs: number, maxMs: number, now: () => number = Date.now) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#now = now;
  }

  /** The current back-off of `key` (0 when it has none). */
  get(key: string): number {
    return this.#entries.get(key)?.backoffMs ?? 0;
  }

  /** Starts (or doubles, up to the maximum) the back-off of `key`; a long quiet spell starts it over. */
  next(key: string, eventTime: number): void {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(eventTime, entry)) {
      this.#entries.set(key, { backoffMs: this.#initialMs, lastUpdate: this.#now() });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.#maxMs);
    entry.lastUpdate = this.#now();
  }

  /** Whether less than the back-off has passed since `eventTime` (a container's finishedAt). */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(eventTime, entry)) return false;
    return this.#now() - eventTime < entry.backoffMs;
  }

  /** Whether less than the back-off has passed since the last `next` (image pulls). */
  isInBackOffSinceUpdate(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(this.#now(), entry)) return false;
    return this.#now() - entry.lastUpdate < entry.backoffMs;
  }

  /** When the back-off that started at `eventTime` ends (ms since epoch). */
  endsAt(key: string, eventTime: number): number {
    return eventTime + this.get(key);
  }

  /** When the back-off since the last `next` ends. */
  endsAtSinceUpdate(key: string): number {
    const entry = this.#entries.get(key);
    return entry ? entry.lastUpdate + entry.backoffMs : this.#now();
  }

  forget(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  #expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.#maxMs;
  }
}

/** Go's time.Duration.String(): 500ms, 10s, 1m20s, 5m0s, 1.5s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds - hours * 3600 - minutes * 60;
  if (hours) return `${hours}h${minutes}m${trim(seconds)}s`;
  if (minutes) return `${minutes}m${trim(seconds)}s`;
  return `${trim(seconds)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
