// rollgate.yml -> Config, resolved for the environments a command works on. Every problem in the file is
// collected and thrown at once as one InputError (exit 2), before anything is built, pushed or applied.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { InputError, type Problem } from '../errors.ts';
import { parseBuildVersion, validateTagTemplate, type BuildVersion, type TagContext } from '../image/version-tags.ts';
import { readImages, readRegistries, readTags } from './read-build.ts';
import { DEFAULT_ROLLOUT, ENVIRONMENT_KEYS, environmentNameProblem, readEnvironment, readRollout, type ReadEnvironment } from './read-environment.ts';
import { mergeSmoke, readSmokeSection } from './smoke-schema.ts';
import { suggestion } from './suggest.ts';
import { renderProblem, targetTagCollisions } from './tag-checks.ts';
import type { BuilderKind, Config, ConfigOverrides, EnvironmentConfig, TagPolicy } from './types.ts';
import { ConfigReader, parseConfigSource, ProblemList, type ConfigSource, type Field } from './yaml-reader.ts';

export const TOP_KEYS = ['images', 'tags', 'manifests', 'environments', 'rollout', 'smoke', 'builder', 'tagPolicy', 'registries'] as const;
export const BUILDERS: readonly BuilderKind[] = ['auto', 'docker', 'buildah'];
export const TAG_POLICIES: readonly TagPolicy[] = ['before-verify', 'after-verify'];

export interface LoadOptions {
  configPath: string;
  /**
   * The environments to resolve: one (deploy, rollback, status), several (promote), none (`[]`: build), or,
   * when omitted, every environment in the file (validate). Environments not selected are not read, so a job
   * needs only the variables of its own environment.
   */
  env?: string | readonly string[];
  /** The process environment `${VAR}` reads (passed in so tests control it). */
  environment: Readonly<Record<string, string | undefined>>;
  /** The version about to be built or deployed: its tags are rendered and checked against the target tags. */
  version?: string;
  /** Commit sha for `{sha}` templates; without it those templates are not rendered while validating. */
  sha?: string;
  /** Build date for `{date}` templates (default: now). */
  date?: Date;
  overrides?: ConfigOverrides;
  /**
   * false: the command builds nothing (promote, rollback, status), so the variables only build arguments and
   * build secrets use need not be set; those settings keep their `${VAR}`s as written. Default true.
   */
  builds?: boolean;
  /**
   * false: the command runs no smoke test (status), so the variables only smoke steps use (credentials, mostly)
   * need not be set; the smoke settings keep their `${VAR}`s as written. Default true.
   */
  smokes?: boolean;
}

/** Reads, resolves and validates rollgate.yml; throws one InputError listing every problem. */
export function loadConfig(opts: LoadOptions): Config {
  return resolveConfig(readConfigSource(opts.configPath), opts);
}

/** Reads and parses the file; an unreadable file or a YAML syntax error is an InputError with line numbers. */
export function readConfigSource(configPath: string): ConfigSource {
  const file = resolve(configPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({ file, message: code === 'ENOENT' ? 'config file not found' : `cannot read the config file (${code ?? String(err)})` });
  }
  const { source, problems } = parseConfigSource(file, text);
  if (problems.length) throw new InputError(problems);
  return source;
}

/**
 * Only the `registries:` section, for commands that talk to a registry and nothing else (inventory): the rest
 * of the file, and the variables it needs, do not concern them.
 */
export function loadRegistrySettings(configPath: string, environment: Readonly<Record<string, string | undefined>>): Config['registries'] {
  const source = readConfigSource(configPath);
  const problems = new ProblemList();
  const r = new ConfigReader(source, { env: undefined, envMode: 'forbidden', variables: environment }, problems);
  const top = r.isAbsent(r.root()) ? undefined : r.fields(r.root(), TOP_KEYS);
  const registries = top ? readRegistries(r, top.registries) : {};
  if (problems.items.length) throw new InputError(problems.items);
  return registries;
}

export function resolveConfig(source: ConfigSource, opts: LoadOptions): Config {
  const { file } = source;
  const baseDir = dirname(file);
  const variables = opts.environment;
  const problems = new ProblemList();
  const base = new ConfigReader(source, { env: undefined, envMode: 'forbidden', variables }, problems);
  const root = base.root();
  if (base.isAbsent(root)) throw new InputError({ file, line: 1, message: 'the file is empty; it needs images: and environments:' });
  const top = base.fields(root, TOP_KEYS);
  if (!top) throw new InputError(problems.items);

  const declared = base.entries(top.environments);
  if (declared.length === 0) base.report(top.environments, 'missing; rollgate.yml needs at least one environment (name: { targetTag, namespace, ... })');
  for (const [name, field] of declared) {
    const problem = environmentNameProblem(name);
    if (problem) base.report(field, problem, 'key');
  }
  const names = declared.map(([name]) => name);
  const requested = opts.env === undefined ? names : typeof opts.env === 'string' ? [opts.env] : [...opts.env];
  for (const name of requested) {
    if (!names.includes(name)) {
      problems.add({
        file,
        field: 'env',
        message: `no environment "${name}" in ${basename(file)}${suggestion(name, names)}; it has ${names.length ? names.join(', ') : 'none'}`,
      });
    }
  }
  const selected = declared.filter(([name]) => requested.includes(name));
  const single = selected.length === 1 ? selected[0]![0] : undefined;

  const shared = base.withScope({ env: single, envMode: 'forbidden', variables });
  const buildOnly = opts.builds === false ? shared.withScope({ env: single, envMode: 'forbidden', variables, missing: 'verbatim' }) : shared;
  const images = readImages(shared, top.images, baseDir, buildOnly);
  const tags = readTags(shared, top.tags);
  const builder = shared.oneOf(top.builder, BUILDERS) ?? 'auto';
  const tagPolicy = shared.oneOf(top.tagPolicy, TAG_POLICIES) ?? 'before-verify';
  const registries = readRegistries(shared, top.registries);

  const environments: Record<string, EnvironmentConfig> = {};
  const read: ReadEnvironment[] = [];
  for (const [name, field] of selected) {
    const r = base.withScope({ env: name, variables });
    const smokeReader = opts.smokes === false ? base.withScope({ env: name, variables, missing: 'verbatim' }) : r;
    const env = readEnvironment(r, name, field, top, baseDir, smokeReader);
    if (!env) continue;
    if (env.config) environments[name] = env.config;
    read.push(env);
  }

  const versionContext = readVersion(opts, problems);
  checkTagRendering(shared, top.tags, tags, versionContext);
  checkTargetTags(base, targetTagsInFileOrder(source, declared, read, variables), tags, versionContext);

  const config: Config = {
    file,
    images,
    tags,
    environments,
    ...topLevelRunSettings(source, top, single === undefined ? undefined : environments[single], variables),
    builder,
    tagPolicy,
    registries,
  };
  applyOverrides(config, opts.overrides ?? {}, read, base);
  if (problems.items.length) throw new InputError(inFileOrder(problems.items));
  return config;
}

/** By line and column; problems about inputs (no line) first. Sorting is stable, so ties keep reading order. */
function inFileOrder(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * Config.rollout and Config.smoke: the selected environment's when there is one, otherwise the top-level
 * sections with `${env}` left as written. Their problems are reported per environment, so not here.
 */
function topLevelRunSettings(
  source: ConfigSource,
  top: Record<(typeof TOP_KEYS)[number], Field>,
  env: EnvironmentConfig | undefined,
  variables: LoadOptions['environment'],
): Pick<Config, 'rollout' | 'smoke'> {
  if (env) return { rollout: env.rollout, ...(env.smoke ? { smoke: env.smoke } : {}) };
  const quiet = new ConfigReader(source, { env: undefined, envMode: 'verbatim', variables }, new ProblemList());
  const smokeSection = readSmokeSection(quiet, top.smoke);
  const smoke = smokeSection?.target && smokeSection.steps?.length ? mergeSmoke(quiet, smokeSection, undefined) : undefined;
  return { rollout: { ...DEFAULT_ROLLOUT, ...readRollout(quiet, top.rollout) }, ...(smoke ? { smoke } : {}) };
}

function readVersion(opts: LoadOptions, problems: ProblemList): TagContext | undefined {
  if (opts.version === undefined) return undefined;
  let version: BuildVersion;
  try {
    version = parseBuildVersion(opts.version);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.add({ field: 'version', message: err.message });
    return undefined;
  }
  // The commit is what CI says when the caller has not looked it up yet (`{sha}` tags are checked either way).
  const sha = opts.sha ?? opts.environment.GITHUB_SHA ?? opts.environment.CI_COMMIT_SHA;
  return { version, ...(sha ? { sha } : {}), date: opts.date ?? new Date() };
}

/** With a version known, each template must also render a valid tag for it (length, mostly). */
function checkTagRendering(r: ConfigReader, field: Field, tags: readonly string[], ctx: TagContext | undefined): void {
  if (!ctx) return;
  const items = r.items(field);
  tags.forEach((template, i) => {
    // A template that can never be valid is already reported, once.
    const problem = validateTagTemplate(template) ? undefined : renderProblem(template, ctx);
    if (problem) r.report(items[i] ?? field, problem);
  });
}

interface TargetTagOf {
  name: string;
  targetTag: string;
  field: Field;
  /** Resolved by this run (the others are read only for their target tag). */
  selected: boolean;
}

/**
 * The target tag of every environment in the file. Deploying one environment moves its tag, so another
 * environment with the same tag would silently change too: the environments not selected are read for their
 * target tag alone, quietly (their variables need not be set; a `${VAR}` stays as written).
 */
function targetTagsInFileOrder(
  source: ConfigSource,
  declared: ReadonlyArray<[string, Field]>,
  read: readonly ReadEnvironment[],
  variables: LoadOptions['environment'],
): TargetTagOf[] {
  return declared.flatMap(([name, field]): TargetTagOf[] => {
    const own = read.find((env) => env.name === name);
    if (own) return [{ name, targetTag: own.targetTag, field: own.fields.targetTag, selected: true }];
    const quiet = new ConfigReader(source, { env: name, variables, missing: 'verbatim' }, new ProblemList());
    const f = quiet.fields(field, ENVIRONMENT_KEYS);
    if (!f) return [];
    return [{ name, targetTag: quiet.string(f.targetTag) ?? name, field: f.targetTag, selected: false }];
  });
}

function checkTargetTags(r: ConfigReader, envs: readonly TargetTagOf[], tags: readonly string[], ctx: TagContext | undefined): void {
  const owners = new Map<string, TargetTagOf>();
  for (const env of envs) {
    const { targetTag, field, selected } = env;
    if (selected) for (const message of targetTagCollisions(targetTag, tags, ctx)) r.report(field, message);
    const other = owners.get(targetTag);
    if (other === undefined) owners.set(targetTag, env);
    // A clash between two environments this run does not touch is for the run that does.
    else if (selected || other.selected) {
      r.report(field, `"${targetTag}" is also the target tag of environment ${other.name}; each environment needs its own`);
    }
  }
}

/** Inputs and flags over the file. A context that contradicts an environment's kubeContext is refused. */
function applyOverrides(config: Config, overrides: ConfigOverrides, envs: readonly ReadEnvironment[], r: ConfigReader): void {
  if (overrides.builder) config.builder = overrides.builder;
  if (overrides.tagPolicy) config.tagPolicy = overrides.tagPolicy;
  if (overrides.rolloutTimeoutMs !== undefined) {
    const timeoutMs = overrides.rolloutTimeoutMs;
    config.rollout = { ...config.rollout, timeoutMs };
    for (const env of Object.values(config.environments)) env.rollout = { ...env.rollout, timeoutMs };
  }
  const context = overrides.kubeContext;
  if (context === undefined) return;
  for (const { config: env, fields } of envs) {
    if (!env) continue;
    if (env.kubeContext === undefined) env.kubeContext = context;
    else if (env.kubeContext !== context) {
      r.report(
        fields.kubeContext,
        `environment ${env.name} deploys through context "${env.kubeContext}", but context "${context}" was given; ` +
          'fix the input or the file (this check keeps a deploy off the wrong cluster)',
      );
    }
  }
}

