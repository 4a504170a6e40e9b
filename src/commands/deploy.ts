// rollgate deploy --env E: from a commit to a verified deployment, or back to exactly where it was.
//
//   validate everything -> connect (cluster guard) -> build, or find the pushed version tags -> Namespace (first
//   deploy), lock -> record each target tag's digest -> pin, plan (diff preview; refusals stop here) -> move target
//   tags (before-verify, when there is a previous digest) -> apply -> track -> smoke -> move the other tags -> done
//
// Every input is checked before the first write (exit 2), a refused cluster or a held lock stops it before the
// first write too (exit 4). After the first change, any failure or a cancellation reverts the tags this run moved
// and restores the workloads (exit 1), or says exactly what is left (exit 3). The lock is released in every path.
import { dirname } from 'node:path';
import { build, type BuildFlags } from './build.ts';
import type { Config, EnvironmentConfig } from '../config/types.ts';
import { locateInConfig } from '../config/locate.ts';
import { BlockedError, InputError } from '../errors.ts';
import type { BuiltImage } from '../image/build-images.ts';
import type { Builder } from '../image/builder.ts';
import { connectCluster, type KubeCluster } from '../kube/client.ts';
import type { KubeObject } from '../kube/cluster.ts';
import { applyPlan, type ApplyFailure } from '../kube/apply/apply.ts';
import { KubeApiError } from '../kube/api-error.ts';
import { formatChangesText } from '../kube/apply/format.ts';
import { planApply, refusals, type ApplyPlan } from '../kube/apply/plan.ts';
import type { Snapshot } from '../kube/apply/snapshot.ts';
import { acquireDeployLock, runId, type DeployLock } from '../kube/lock.ts';
import { imagesUnusedProblem } from '../kube/manifests/images-used.ts';
import { readManifests } from '../kube/manifests/read.ts';
import { unservedKinds } from '../kube/manifests/served.ts';
import { locateInManifests } from '../kube/manifests/locate.ts';
import type { Manifest } from '../kube/manifests/validate.ts';
import { pinImages } from '../kube/pin.ts';
import { trackRollout, workloadsOf } from '../kube/rollout/tracker.ts';
import type { RuleOptions } from '../kube/rollout/windows.ts';
import type { Logger } from '../log.ts';
import { formatSmokeResult } from '../smoke/format.ts';
import { runSmoke } from '../smoke/runner.ts';
import { transportFor } from '../smoke/target.ts';
import { formatLeftovers } from '../deploy/leftovers.ts';
import { ensureNamespace } from '../deploy/namespace.ts';
import { findPushedImages } from '../deploy/pushed-images.ts';
import { insecureRepository, registryLookup } from '../deploy/registries.ts';
import type { DeployCommand, DeployOutcome, DeployReport, DeployStage } from '../deploy/report.ts';
import { revertDeploy } from '../deploy/revert.ts';
import { SavedState } from '../deploy/saved-state.ts';
import { confirmTargetTags, currentManifest, moveTargetTag, movesBeforeVerify, previousOf, TagMovedError, type RegistryLookup, type TargetTag } from '../deploy/target-tags.ts';

/**
 * Where the digests a run deploys come from, when it does not build them: the version tags a build job pushed
 * (deploy --no-build), another environment's target tags (promote), an earlier version (rollback). Called at the
 * build stage, after the cluster guard; an InputError there stops the run before any write (exit 2).
 */
export type ImageSource = (registryFor: RegistryLookup) => Promise<{
  images: BuiltImage[];
  version?: string;
  /** Nothing to deploy, and why (rebuild: no package changed): the run ends `unchanged` before any write. */
  unchanged?: string;
}>;

export interface DeployInput {
  config: Config;
  environment: string;
  /** The version deployed, or, with an image source, what the run deploys until the source names its version. */
  version: string;
  /** Which command runs (the report and its result say so); default deploy. */
  command?: DeployCommand;
  /** Deploy these images instead of building (see ImageSource). */
  images?: ImageSource;
  /** The commit built (labels, `{sha}` tags); needed to build, optional with noBuild. */
  sha?: string;
  /** Deploy the version tags a build job pushed earlier. */
  noBuild?: boolean;
  forceConflicts?: boolean;
  kubeconfig?: string;
  kubeconfigContents?: string;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** Cancels the run: after the first change it is reverted like a failure. */
  signal?: AbortSignal;
  /**
   * Called with the saved restore state's file the moment the run changes something (a tag moved, the cluster about
   * to be written), and with undefined when the run has ended and there is nothing left for anyone to restore. The
   * action saves it for its post step, which restores a run that was killed.
   */
  onRestoreState?: (stateFile: string | undefined) => void | Promise<void>;
  builder?: Builder;
  buildFlags?: BuildFlags;
  /** How long the previous revision gets to be Available again (default: the restore's). */
  restoreTimeoutMs?: number;
}

export async function deploy(input: DeployInput): Promise<DeployReport> {
  return new DeployRun(input).run();
}

/** A failure of one stage after the run started: reverted when something had changed. */
class StageFailure extends Error {
  readonly stage: DeployStage;
  constructor(stage: DeployStage, message: string) {
    super(message);
    this.stage = stage;
  }
}

class DeployRun {
  readonly #input: DeployInput;
  readonly #env: EnvironmentConfig;
  readonly #log: Logger;
  readonly #signal: AbortSignal;
  readonly #registryFor: RegistryLookup;
  readonly #started = Date.now();
  readonly #timings: Record<string, number> = {};
  #cluster?: KubeCluster;
  #lock?: DeployLock;
  #state?: SavedState;
  #images: BuiltImage[] = [];
  /** As read, with where each object is in the files. */
  #manifests: Manifest[] = [];
  #tags: TargetTag[] = [];
  #snapshot?: Snapshot;
  #applyStarted = false;
  #current: DeployStage = 'validate';
  #version: string;
  #report: Partial<DeployReport> = {};
  #unchanged?: string;
  #section?: string;

  constructor(input: DeployInput) {
    this.#input = input;
    const env = input.config.environments[input.environment];
    if (!env) throw new InputError({ field: 'env', message: `environment "${input.environment}" is not in ${input.config.file}` });
    this.#env = env;
    this.#version = input.version;
    this.#log = input.logger;
    this.#signal = input.signal ?? new AbortController().signal;
    this.#registryFor = registryLookup(input.config, input);
  }

  async run(): Promise<DeployReport> {
    try {
      await this.#steps();
      if (this.#unchanged !== undefined) return this.#end('unchanged', this.#unchanged);
      return this.#end('deployed', `deployed ${this.#version} to ${this.#env.name}: ${this.#images.map((i) => `${i.name} ${i.digest}`).join(', ')}`);
    } catch (err) {
      if (!this.#changed) {
        if (err instanceof InputError) throw new InputError(locateInConfig(err.problems, this.#input.config.file));
        if (err instanceof BlockedError) throw err;
        const { stage, message } = this.#describe(err);
        return this.#end('failed', `${headline(stage, message)}; nothing was changed`, stage, message);
      }
      return this.#revert(err);
    } finally {
      await this.#close();
    }
  }

  async #steps(): Promise<void> {
    const read = await this.#stage('validate', () => this.#validate());
    this.#manifests = read;
    const manifests = read.map((m) => m.object);
    this.#cluster = await this.#stage('connect', () => this.#connect());
    await this.#stage('connect', () => this.#checkServed(read));
    this.#images = await this.#stage('build', () => this.#buildOrFind());
    if (this.#unchanged !== undefined) return;
    // The lock first: a run that waited for another must find the target tags where that run left them.
    await this.#stage('lock', () => this.#lockEnvironment(manifests));
    this.#tags = await this.#stage('registry', () => this.#recordTargetTags());
    const plan = await this.#stage('plan', () => this.#plan(manifests));
    await this.#stage('tag', () => this.#moveTags((t) => movesBeforeVerify(this.#input.config.tagPolicy, t)));
    await this.#stage('apply', () => this.#apply(plan));
    await this.#stage('rollout', () => this.#track(plan));
    await this.#stage('smoke', () => this.#smoke());
    await this.#stage('tag', async () => {
      await confirmTargetTags(this.#tags, this.#registryFor);
      await this.#moveTags(() => true);
    });
  }

  /** Config is already loaded; the manifests and the images they run are checked here, before any write. */
  async #validate(): Promise<Manifest[]> {
    const manifests = await readManifests(this.#env);
    const unused = imagesUnusedProblem(this.#input.config.images, this.#env, manifests);
    if (unused) throw new InputError(unused);
    return manifests;
  }

  /** Kinds the cluster does not serve are input mistakes too, found by discovery before the build. */
  async #checkServed(manifests: readonly Manifest[]): Promise<void> {
    const problems = await unservedKinds(manifests, this.#cluster!);
    if (problems.length) throw new InputError(problems);
  }

  /** The cluster guard runs here: a wrong context or API server is refused (exit 4) before the build. */
  async #connect(): Promise<KubeCluster> {
    const cluster = await connectCluster({
      ...(this.#input.kubeconfig !== undefined ? { kubeconfig: this.#input.kubeconfig } : {}),
      ...(this.#input.kubeconfigContents !== undefined ? { kubeconfigContents: this.#input.kubeconfigContents } : {}),
      environment: this.#env,
      env: this.#input.env,
      logger: this.#log,
    });
    this.#log.info(`deploying ${this.#version} to ${this.#env.name}: namespace ${this.#env.namespace}, context ${cluster.context}`);
    return cluster;
  }

  async #lockEnvironment(manifests: readonly KubeObject[]): Promise<void> {
    await ensureNamespace(this.#cluster!, this.#env, manifests, this.#log);
    const acquiring = acquireDeployLock({
      cluster: this.#cluster!,
      environment: this.#env.name,
      namespace: this.#env.namespace,
      timeoutMs: this.#env.rollout.lockTimeoutMs,
      holder: runId(this.#input.env),
      logger: this.#log,
    });
    // Waiting for another run's lock can take minutes: a cancellation does not wait with it, and a lock taken after
    // the run gave up is given back at once.
    const cancelled = new Promise<never>((_, reject) => {
      const stop = () => reject(new StageFailure('cancelled', 'the run was cancelled while waiting for the deploy lock'));
      if (this.#signal.aborted) stop();
      else this.#signal.addEventListener('abort', stop, { once: true });
    });
    cancelled.catch(() => acquiring.then((late) => (this.#lock === late ? undefined : late.release()), () => undefined));
    this.#lock = await Promise.race([acquiring, cancelled]);
  }

  get #changed(): boolean {
    return this.#applyStarted || this.#tags.some((t) => t.moved);
  }

  async #buildOrFind(): Promise<BuiltImage[]> {
    const { config, version, sha } = this.#input;
    if (this.#input.images) {
      const found = await this.#input.images(this.#registryFor);
      if (found.version !== undefined) this.#version = found.version;
      if (found.unchanged !== undefined) this.#unchanged = found.unchanged;
      for (const i of found.images) this.#log.info(`${i.name}: ${i.repository}@${i.digest}${i.tags.length ? ` (${i.tags.join(', ')})` : ''}`);
      return found.images;
    }
    if (this.#input.noBuild) {
      const found = await findPushedImages({ config, version, ...(sha !== undefined ? { sha } : {}), registryFor: this.#registryFor });
      for (const i of found) this.#log.info(`${i.name}: ${i.repository} ${i.tags.join(', ')} -> ${i.digest} (pushed earlier)`);
      return found;
    }
    if (sha === undefined) throw new InputError({ field: 'sha', message: 'building needs the commit (GITHUB_SHA, CI_COMMIT_SHA or a git work tree)' });
    return build({
      config,
      version,
      sha,
      logger: this.#log,
      env: this.#input.env,
      signal: this.#signal,
      registryFor: this.#registryFor,
      ...(this.#input.builder ? { builder: this.#input.builder } : {}),
      ...(this.#input.buildFlags ? { flags: this.#input.buildFlags } : {}),
    });
  }

  async #recordTargetTags(): Promise<TargetTag[]> {
    const tag = this.#env.targetTag;
    return Promise.all(
      this.#images.map(async (image) => {
        const previous = previousOf(await currentManifest(await this.#registryFor(image.repository), image.repository, tag));
        this.#log.info(`${image.repository}:${tag} ${previous.previousDigest ? `is on ${previous.previousDigest}` : 'does not exist yet (first deploy)'}`);
        return { image: image.name, repository: image.repository, tag, digest: image.digest, ...previous, moved: false };
      }),
    );
  }

  async #plan(manifests: KubeObject[]): Promise<ApplyPlan> {
    const pinned = pinImages(manifests, { images: this.#images, targetTag: this.#env.targetTag });
    for (const w of pinned.warnings) this.#log.warn(w);
    // A release runs already: a refusal found now spares it a revert.
    const dryRunNew = this.#tags.some((t) => t.previousDigest !== undefined);
    const plan = await planApply(this.#cluster!, pinned.objects, { force: this.#input.forceConflicts ?? false, dryRunNew });
    this.#report.changes = plan.changes;
    this.#log.info(formatChangesText(plan.changes));
    const refused = refusals(plan);
    if (refused.length) {
      throw new InputError(
        refused.map((c) => ({
          ...locateInManifests(this.#manifests, c.ref, c.refusedFields),
          message: `${c.ref.kind} ${c.ref.namespace ? `${c.ref.namespace}/` : ''}${c.ref.name}: the API server refuses it: ${c.note ?? 'no reason given'}`,
        })),
      );
    }
    this.#snapshot = plan.snapshot;
    return plan;
  }

  /** Moves the chosen tags that have not moved yet; the restore state is saved after each. */
  async #moveTags(which: (t: TargetTag) => boolean): Promise<void> {
    for (const tag of this.#tags.filter((t) => !t.moved && t.previousDigest !== t.digest && which(t))) {
      try {
        await moveTargetTag(await this.#registryFor(tag.repository), tag);
      } catch (err) {
        if (err instanceof TagMovedError) throw new StageFailure('tag', err.message);
        throw new StageFailure('tag', `moving ${tag.repository}:${tag.tag} to ${tag.digest}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.#log.info(`${tag.repository}:${tag.tag} -> ${tag.digest}${tag.previousDigest ? ` (was ${tag.previousDigest})` : ''}`);
      await this.#saveState();
    }
  }

  async #apply(plan: ApplyPlan): Promise<void> {
    this.#applyStarted = true;
    await this.#saveState();
    const result = await applyPlan(this.#cluster!, plan, { force: this.#input.forceConflicts ?? false, logger: this.#log });
    if (result.failures.length) {
      // The object's place in the manifests, so the fix is one look away.
      const where = (f: ApplyFailure) => {
        const at = locateInManifests(this.#manifests, f.ref, f.error instanceof KubeApiError ? f.error.fields : []);
        return at ? ` (${at.file}:${at.line}${at.field ? ` ${at.field}` : ''})` : '';
      };
      throw new StageFailure('apply', result.failures.map((f) => `${f.message}${where(f)}`).join('; '));
    }
    if (this.#signal.aborted) throw new StageFailure('cancelled', 'the run was cancelled during the apply');
  }

  async #track(plan: ApplyPlan): Promise<void> {
    const since = Date.now();
    const workloads = workloadsOf(plan.groups.flatMap((g) => g.objects));
    const rollout = await trackRollout(this.#cluster!, workloads, { timeoutMs: this.#env.rollout.timeoutMs, rules: this.#rules, since, logger: this.#log, signal: this.#signal });
    this.#report.rollout = rollout;
    if (rollout.status === 'cancelled') throw new StageFailure('cancelled', 'the run was cancelled during the rollout');
    if (rollout.status === 'failed') {
      this.#log.error(rollout.failure?.diagnosis ?? 'the rollout failed');
      throw new StageFailure('rollout', `${rollout.failure?.rule}: ${rollout.failure?.message}`);
    }
  }

  async #smoke(): Promise<void> {
    const spec = this.#env.smoke;
    if (!spec) return this.#log.info(`no smoke test for ${this.#env.name}; the rollout is the verification`);
    const cluster = this.#cluster!;
    const transport = transportFor(spec.target, { apiServer: cluster.server, namespace: this.#env.namespace, fetch: (url, init) => cluster.request(url, init) });
    const result = await runSmoke(spec, { transport, signal: this.#signal, logger: this.#log, env: this.#input.env as NodeJS.ProcessEnv, cwd: dirname(this.#input.config.file) });
    this.#report.smoke = result;
    this.#log.info(formatSmokeResult(result).trimEnd());
    if (result.cancelled) throw new StageFailure('cancelled', 'the run was cancelled during the smoke test');
    if (!result.passed) throw new StageFailure('smoke', result.message);
  }

  async #revert(err: unknown): Promise<DeployReport> {
    const verdictAt = Date.now();
    const { stage, message } = this.#describe(err);
    this.#log.section?.('revert');
    this.#log.error(`${headline(stage, message)}; reverting`);
    const revert = await revertDeploy({
      tags: this.#tags,
      ...(this.#applyStarted && this.#snapshot ? { snapshot: this.#snapshot } : {}),
      ...(this.#cluster ? { cluster: this.#cluster, context: this.#cluster.context } : {}),
      registryFor: this.#registryFor,
      logger: this.#log,
      rules: this.#rules,
      ...(this.#input.restoreTimeoutMs !== undefined ? { timeoutMs: this.#input.restoreTimeoutMs } : {}),
      ...(this.#state ? { writeDir: this.#state.dir, previousObjectsFile: this.#state.previousObjectsFile } : {}),
      insecure: insecureRepository(this.#input.config),
      verdictAt,
    });
    this.#timings.revertSeconds = revert.timeToSafeSeconds;
    this.#report.revert = revert;
    if (revert.leftovers.length) {
      this.#log.error(formatLeftovers(revert.leftovers));
      return this.#end('revert-failed', `${headline(stage, message)}; the revert did not finish (${revert.leftovers.length} left to do by hand)`, stage, message);
    }
    const others = revert.tags.filter((t) => t.result.status === 'moved-by-someone-else').map((t) => `${t.repository}:${t.tag}`);
    const note = others.length ? `; ${others.join(', ')} moved by someone else meanwhile, left alone` : '';
    return this.#end('reverted', `${headline(stage, message)}; reverted in ${revert.timeToSafeSeconds} s${note}`, stage, message);
  }

  async #end(outcome: DeployOutcome, message: string, failedStage?: DeployStage, failure?: string): Promise<DeployReport> {
    this.#timings.totalSeconds = seconds(Date.now() - this.#started);
    this.#log.section?.(undefined);
    // A finished run leaves nothing for a post step. The state of an unfinished revert stays: its commands name it.
    if (outcome !== 'revert-failed') await this.#state?.remove();
    if (this.#state) await this.#input.onRestoreState?.(undefined);
    return {
      command: this.#input.command ?? 'deploy',
      outcome,
      environment: this.#env.name,
      version: this.#version,
      images: this.#images,
      targetTags: this.#tags,
      ...this.#report,
      ...(failedStage ? { failedStage } : {}),
      ...(failure ? { failure } : {}),
      timings: this.#timings,
      message,
    };
  }

  async #saveState(): Promise<void> {
    const cluster = this.#cluster!;
    this.#state ??= await SavedState.create(
      { environment: this.#env.name, namespace: this.#env.namespace, context: cluster.context, server: cluster.server, startedAt: new Date(this.#started).toISOString(), tags: this.#tags },
      this.#input.env,
    );
    const file = await this.#state.save({ tags: this.#tags, applying: this.#applyStarted, ...(this.#snapshot ? { snapshot: this.#snapshot } : {}) });
    await this.#input.onRestoreState?.(file);
  }

  #describe(err: unknown): { stage: DeployStage; message: string } {
    if (err instanceof StageFailure) return { stage: err.stage, message: err.message };
    const message = err instanceof Error ? err.message : String(err);
    if (this.#signal.aborted) return { stage: 'cancelled', message: `the run was cancelled during the ${this.#current} step (${message})` };
    return { stage: this.#current, message };
  }

  get #rules(): Partial<RuleOptions> {
    const { allowRestarts, unschedulableWindowMs, pullErrorBudget } = this.#env.rollout;
    return { allowRestarts, unschedulableWindowMs, pullErrorBudget };
  }

  /** Runs one step: a cancellation stops the run before it, and its time is counted under its name. */
  async #stage<T>(name: DeployStage, work: () => Promise<T>): Promise<T> {
    if (this.#signal.aborted) throw new StageFailure('cancelled', `the run was cancelled before the ${name} step`);
    const section = SECTIONS[name];
    if (section && section !== this.#section) this.#log.section?.((this.#section = section));
    this.#current = name;
    const started = Date.now();
    try {
      return await work();
    } finally {
      const key = `${name}Seconds`;
      this.#timings[key] = seconds((this.#timings[key] ?? 0) * 1000 + Date.now() - started);
    }
  }

  async #close(): Promise<void> {
    await this.#lock?.release().catch((err: unknown) => this.#log.warn(`releasing the deploy lock: ${err instanceof Error ? err.message : String(err)}`));
    await this.#cluster?.close();
  }
}

/** The stages that get a section of the log; the quick ones in between stay in the one before. */
const SECTIONS: Partial<Record<DeployStage, string>> = {
  validate: 'validate',
  build: 'build and push',
  plan: 'plan (what the apply changes)',
  apply: 'apply',
  rollout: 'rollout',
  smoke: 'smoke test',
};

function headline(stage: DeployStage, message: string): string {
  return stage === 'cancelled' ? message : `${stage} failed: ${message}`;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
