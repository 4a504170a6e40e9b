// One deploy per environment at a time: a coordination.k8s.io/v1 Lease `rollgate-<env>` in the environment's
// namespace, held by a run id, renewed while the run lives and released at the end. A second run watches the
// Lease and takes it when it is released or expires, or gives up after lockTimeout (BlockedError, exit 4).
// Every write is guarded by resourceVersion, so two runs racing for a free Lease cannot both win.
//
// The Lease lives in the environment's namespace, so the lock needs the namespace: on a first deploy the
// orchestrator applies the Namespace object, then calls acquire(). Two first deploys at once both apply the
// (same) Namespace and then contend for the Lease as usual. We never create the namespace here: what it looks
// like (labels, annotations) belongs to the manifests.
import { hostname } from 'node:os';
import { BlockedError } from '../errors.ts';
import { formatDuration } from '../config/duration.ts';
import { silentLogger, type Logger } from '../log.ts';
import { KubeApiError } from './api-error.ts';
import { ConflictError, type Cluster, type KubeObject, type Watch } from './cluster.ts';

const LEASE_API = 'coordination.k8s.io/v1';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

export interface DeployLockOptions {
  cluster: Cluster;
  /** The environment's name: the Lease is `rollgate-<environment>`. */
  environment: string;
  namespace: string;
  /** How long to wait for another run's lock (Config.rollout.lockTimeoutMs). */
  timeoutMs: number;
  /** Who holds it; default runId(). */
  holder?: string;
  leaseDurationSeconds?: number;
  renewIntervalMs?: number;
  logger?: Logger;
  /** Called once if the lock is lost while held (taken over after failed renewals, or overwritten). */
  onLost?: (err: Error) => void;
}

export const DEFAULT_LEASE_SECONDS = 30;
export const DEFAULT_RENEW_MS = 10_000;
// When watching cannot be used (RBAC without watch on leases), look again this often.
const REREAD_WITHOUT_WATCH_MS = 2_000;

/** `<host>/<pid>/<CI run>`: unique per run, and tells a person where the holder runs. */
export function runId(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const run = env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `.${env.GITHUB_RUN_ATTEMPT}` : ''}` : env.CI_JOB_ID ?? env.CI_PIPELINE_ID ?? 'local';
  return `${hostname()}/${process.pid}/${run}`;
}

export function leaseName(environment: string): string {
  return `rollgate-${environment.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}`.slice(0, 253);
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** When the holder's claim runs out, by the times it wrote; undefined for a Lease nobody holds. */
export function leaseExpiry(spec: LeaseSpec | undefined): number | undefined {
  if (!spec?.holderIdentity) return undefined;
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  if (Number.isNaN(renewed)) return 0;
  return renewed + (spec.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
}

export class DeployLock {
  readonly name: string;
  readonly holder: string;
  readonly #options: DeployLockOptions;
  readonly #cluster: Cluster;
  readonly #logger: Logger;
  readonly #duration: number;
  readonly #renewMs: number;
  readonly #lost = new AbortController();
  #lease: Lease | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastRenewed = 0;
  #renewing: Promise<void> | undefined;

  constructor(options: DeployLockOptions) {
    this.#options = options;
    this.#cluster = options.cluster;
    this.#logger = options.logger ?? silentLogger;
    this.name = leaseName(options.environment);
    this.holder = options.holder ?? runId();
    this.#duration = options.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS;
    this.#renewMs = options.renewIntervalMs ?? DEFAULT_RENEW_MS;
  }

  /** Aborted, with the reason, when a held lock is lost. */
  get signal(): AbortSignal {
    return this.#lost.signal;
  }

  get held(): boolean {
    return this.#lease !== undefined;
  }

  /** Takes the lock, waiting for another run up to timeoutMs; then BlockedError naming the holder. */
  async acquire(): Promise<void> {
    if (this.#lease) return;
    const started = Date.now();
    const deadline = started + this.#options.timeoutMs;
    let announced = '';
    let races = 0;
    for (;;) {
      const current = (await this.#cluster.get(this.#ref())) as Lease | undefined;
      const taken = await this.#tryTake(current);
      if (taken) {
        this.#held(taken);
        return;
      }
      if (taken === false) {
        // Lost a race: look again at once. Losing many in a row means reads and writes disagree (a cache).
        if (++races >= 10) throw new Error(`the deploy lock Lease ${this.#options.namespace}/${this.name}: lost ${races} write races in a row; the API server's reads look stale`);
        continue;
      }
      races = 0;
      const spec = current!.spec ?? {};
      if (Date.now() >= deadline) {
        throw new BlockedError(
          `the deploy lock of environment "${this.#options.environment}" (Lease ${this.#options.namespace}/${this.name}) is held by ${describeHolder(spec)}; waited ${roughly(Date.now() - started)} (lockTimeout)`,
        );
      }
      if (announced !== spec.holderIdentity) {
        announced = spec.holderIdentity ?? '';
        this.#logger.info(`waiting for the deploy lock of "${this.#options.environment}": held by ${describeHolder(spec)}`);
      }
      await this.#waitForChange(current!, Math.min(deadline, leaseExpiry(spec) ?? deadline));
    }
  }

  /** Gives the lock up (clears the holder, so a waiting run takes it at once). Safe to call when not held. */
  async release(): Promise<void> {
    this.#stopRenewing();
    await this.#renewing?.catch(() => {});
    const lease = this.#lease;
    this.#lease = undefined;
    if (!lease) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = (await this.#cluster.get(this.#ref())) as Lease | undefined;
      if (current?.spec?.holderIdentity !== this.holder) return;
      const { holderIdentity: _, ...rest } = current.spec;
      try {
        await this.#cluster.replace({ ...current, spec: { ...rest, renewTime: microTime(Date.now()) } });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /** The Lease, now ours; null: nobody may take it yet; false: someone else wrote first (look again). */
  async #tryTake(current: Lease | undefined): Promise<Lease | null | false> {
    const now = Date.now();
    const spec = current?.spec ?? {};
    const mine = spec.holderIdentity === this.holder;
    const expiry = leaseExpiry(spec);
    if (current && !mine && expiry !== undefined && expiry > now) return null;
    const claim: LeaseSpec = {
      ...spec,
      holderIdentity: this.holder,
      leaseDurationSeconds: this.#duration,
      acquireTime: mine ? (spec.acquireTime ?? microTime(now)) : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (spec.leaseTransitions ?? 0) + (current && !mine && spec.holderIdentity ? 1 : 0),
    };
    try {
      if (!current) {
        return (await this.#cluster.create({
          apiVersion: LEASE_API,
          kind: 'Lease',
          metadata: { name: this.name, namespace: this.#options.namespace, labels: { 'app.kubernetes.io/managed-by': 'rollgate' } },
          spec: claim,
        })) as Lease;
      }
      if (spec.holderIdentity && !mine) this.#logger.warn(`taking over the deploy lock of "${this.#options.environment}": ${describeHolder(spec)} has not renewed it`);
      return (await this.#cluster.replace({ ...current, spec: claim })) as Lease;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      if (err instanceof KubeApiError && err.status === 404 && !current) {
        throw new Error(
          `the deploy lock of environment "${this.#options.environment}" lives in namespace "${this.#options.namespace}", which does not exist: apply the Namespace before taking the lock (${err.message})`,
        );
      }
      throw err;
    }
  }

  /** Resolves when the Lease changes, or at `until`, whichever is first. */
  async #waitForChange(lease: Lease, until: number): Promise<void> {
    let watch: Watch | undefined;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    await new Promise<void>((resolve) => {
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        watch?.stop();
        resolve();
      };
      const wakeAt = (at: number) => {
        clearTimeout(timer);
        timer = setTimeout(done, Math.max(0, at - Date.now()));
      };
      wakeAt(until);
      const degrade = (err: unknown) => {
        this.#logger.debug(`watching Lease ${this.#options.namespace}/${this.name}: ${err instanceof Error ? err.message : String(err)}`);
        wakeAt(Math.min(until, Date.now() + REREAD_WITHOUT_WATCH_MS));
      };
      this.#cluster
        .watch(LEASE_API, 'Lease', this.#options.namespace, { fieldSelector: `metadata.name=${this.name}`, resourceVersion: lease.metadata.resourceVersion }, done, degrade)
        .then((w) => (finished ? w.stop() : void (watch = w)), degrade);
    });
  }

  #held(lease: Lease): void {
    this.#lease = lease;
    this.#lastRenewed = Date.now();
    this.#logger.debug(`holding the deploy lock Lease ${this.#options.namespace}/${this.name} as ${this.holder}`);
    this.#timer = setInterval(() => {
      this.#renewing ??= this.#renew().finally(() => (this.#renewing = undefined));
    }, this.#renewMs);
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    const lease = this.#lease;
    if (!lease) return;
    try {
      let base = lease;
      for (let attempt = 0; attempt < 3; attempt++) {
        if (base.spec?.holderIdentity !== this.holder) return this.#lose(`Lease ${this.#options.namespace}/${this.name} is now held by ${describeHolder(base.spec ?? {})}`);
        try {
          this.#lease = (await this.#cluster.replace({ ...base, spec: { ...base.spec, renewTime: microTime(Date.now()) } })) as Lease;
          this.#lastRenewed = Date.now();
          return;
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          // Someone wrote the Lease (a person, or a run that thought it expired): is it still ours?
          const current = (await this.#cluster.get(this.#ref())) as Lease | undefined;
          if (!current) return this.#lose(`Lease ${this.#options.namespace}/${this.name} was deleted`);
          base = current;
        }
      }
    } catch (err) {
      const silentFor = Date.now() - this.#lastRenewed;
      this.#logger.warn(`renewing the deploy lock: ${err instanceof Error ? err.message : String(err)}`);
      if (silentFor >= this.#duration * 1000) this.#lose(`not renewed for ${roughly(silentFor)}`);
    }
  }

  #lose(why: string): void {
    if (!this.#lease) return;
    this.#stopRenewing();
    this.#lease = undefined;
    const err = new Error(`lost the deploy lock of environment "${this.#options.environment}": ${why}`);
    this.#logger.error(err.message);
    this.#lost.abort(err);
    this.#options.onLost?.(err);
  }

  #stopRenewing(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #ref() {
    return { apiVersion: LEASE_API, kind: 'Lease', namespace: this.#options.namespace, name: this.name };
  }
}

/** Whole seconds once past one: `10m0s`, not `10m0s12ms`. */
function roughly(ms: number): string {
  return formatDuration(ms >= 1000 ? Math.round(ms / 1000) * 1000 : ms);
}

function describeHolder(spec: LeaseSpec): string {
  const since = spec.acquireTime ? ` since ${spec.acquireTime.replace(/\.\d+Z$/, 'Z')}` : '';
  const renewed = spec.renewTime ? `, last renewed ${spec.renewTime.replace(/\.\d+Z$/, 'Z')}` : '';
  return `${spec.holderIdentity ?? 'nobody'}${since}${renewed}`;
}

/** Takes the environment's lock; the caller releases it (also on failure). */
export async function acquireDeployLock(options: DeployLockOptions): Promise<DeployLock> {
  const lock = new DeployLock(options);
  await lock.acquire();
  return lock;
}
