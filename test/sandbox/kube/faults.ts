// Fault hooks of the API emulator (issue 3, item 5): make the next N matching requests fail with a status
// (5xx, 429 with Retry-After), drop the connection without an answer, or cut a watch after some events; cut the
// watches that are open now; and count requests, writes in particular. The server consults this on every request;
// tests reach it as `server.faults` or over HTTP at /_sandbox/faults (see apiserver.ts).

export interface FaultRule {
  /** 'GET', 'PATCH', ...; any method when absent. */
  method?: string;
  /** Prefix of the URL path, e.g. '/apis/apps/v1/namespaces/demo/deployments'. */
  path?: string;
  /** A regular expression on the URL path (the HTTP form of `path` matching). */
  pathRegex?: string;
  /** true: only watch requests; false: only non-watch requests; absent: both. */
  watch?: boolean;
  /** How many matching requests this rule affects (default 1). */
  times?: number;
  /** Answer with this HTTP status and a metav1.Status body (500, 503, 429, 504...). */
  status?: number;
  message?: string;
  /** Sent as Retry-After (and details.retryAfterSeconds); 429 defaults to 1. */
  retryAfterSeconds?: number;
  /** Destroy the connection without answering (a reset). */
  drop?: boolean;
  /** For a watch: serve it, then cut the connection after this many events. */
  afterEvents?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  watch: boolean;
  /** The status answered, or 0 when the connection was dropped. */
  status: number;
  fault: boolean;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface OpenWatch {
  path: string;
  cut: (abrupt: boolean) => void;
}

export class Faults {
  #rules: Array<FaultRule & { remaining: number }> = [];
  readonly #watches = new Set<OpenWatch>();
  /** Every request answered since the last reset, oldest first. */
  readonly requests: RequestRecord[] = [];

  /** Adds a rule; rules are tried in the order added, and one that has fired `times` times is removed. */
  add(rule: FaultRule): void {
    if (rule.pathRegex !== undefined) new RegExp(rule.pathRegex); // a bad pattern fails here, not on a request
    if (!rule.drop && !rule.status && rule.afterEvents === undefined) {
      throw new Error('a fault rule needs one of: status, drop, afterEvents');
    }
    this.#rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /** The rules still armed, with how many requests each will still affect. */
  get rules(): Array<FaultRule & { remaining: number }> {
    return this.#rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.#rules = [];
  }

  /** The rule that fires for this request (and uses it up), if any. */
  take(method: string, path: string, watch: boolean): FaultRule | undefined {
    const i = this.#rules.findIndex(
      (r) =>
        (!r.method || r.method.toUpperCase() === method) &&
        (!r.path || path.startsWith(r.path)) &&
        (r.pathRegex === undefined || new RegExp(r.pathRegex).test(path)) &&
        (r.watch === undefined || r.watch === watch) &&
        (r.afterEvents === undefined || watch),
    );
    if (i < 0) return undefined;
    const rule = this.#rules[i]!;
    if (--rule.remaining <= 0) this.#rules.splice(i, 1);
    const { remaining: _, ...plain } = rule;
    return plain;
  }

  record(entry: RequestRecord): void {
    this.requests.push(entry);
    if (this.requests.length > 10_000) this.requests.shift();
  }

  /** Write requests (POST, PUT, PATCH, DELETE) seen, optionally only those matching method and path prefix. */
  writeCount(filter: { method?: string; path?: string } = {}): number {
    return this.requests.filter(
      (r) => WRITES.has(r.method) && (!filter.method || r.method === filter.method.toUpperCase()) && (!filter.path || r.path.startsWith(filter.path)),
    ).length;
  }

  resetCounters(): void {
    this.requests.length = 0;
  }

  /** The server registers each open watch; the returned function unregisters it. */
  openWatch(path: string, cut: (abrupt: boolean) => void): () => void {
    const w = { path, cut };
    this.#watches.add(w);
    return () => this.#watches.delete(w);
  }

  /** How many watches are open, optionally under a path prefix. */
  openWatches(path = ''): number {
    return [...this.#watches].filter((w) => w.path.startsWith(path)).length;
  }

  /**
   * Ends the open watches (under a path prefix): abruptly (the connection is destroyed mid-stream) or cleanly
   * (the chunked response ends, as when a real server's watch timeout passes). Returns how many were cut.
   */
  dropWatches(options: { path?: string; abrupt?: boolean } = {}): number {
    let n = 0;
    for (const w of [...this.#watches]) {
      if (!w.path.startsWith(options.path ?? '')) continue;
      this.#watches.delete(w);
      w.cut(options.abrupt ?? true);
      n++;
    }
    return n;
  }
}

/** The reason a real server gives with each status code. */
export function reasonForCode(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? (code >= 500 ? 'InternalError' : 'Unknown');
}
