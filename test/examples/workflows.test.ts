// The example pipelines say only what rollgate understands: every rollgate step of the GitHub workflows uses real
// inputs of action.yml that apply to its command, every rollgate call of the GitLab pipeline is a command line the
// CLI accepts, every environment they name is in rollgate.yml, and each job deploys to the environment it is
// gated by (GitHub environment / GitLab environment, concurrency group / resource group, cluster credentials).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, type Tags } from 'yaml';
import { parseArgv } from '../../src/cli/args.ts';
import { ACTION_COMMANDS, parseActionInputs } from '../../src/config/inputs.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/invoice');
const WORKFLOWS = join(EXAMPLE, '.github/workflows');

const actionInputs = Object.keys((parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
const rollgateYml = parse(readFileSync(join(EXAMPLE, 'rollgate.yml'), 'utf8')) as { environments: Record<string, { kubeContext?: string }> };
const environments = Object.keys(rollgateYml.environments);

// ---------------------------------------------------------------------------------------------- GitHub Actions

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface GithubJob {
  'runs-on': string;
  environment?: string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  strategy?: { matrix?: Record<string, string[]> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, GithubJob>;
}

const workflowFiles = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));
const workflow = (file: string) => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;

/** One job as it runs for each value of its matrix (`${{ matrix.x }}` filled in everywhere). */
function expandMatrix(job: GithubJob): GithubJob[] {
  const matrix = Object.entries(job.strategy?.matrix ?? {});
  if (matrix.length === 0) return [job];
  expect(matrix, 'a one-dimensional matrix').toHaveLength(1);
  const [name, values] = matrix[0]!;
  const pattern = new RegExp(`\\$\\{\\{\\s*matrix\\.${name}\\s*\\}\\}`, 'g');
  return values.map((value) => JSON.parse(JSON.stringify(job).replace(pattern, value)) as GithubJob);
}

/** What a rollgate step's inputs become at run time: other expressions stand in as a version or a file path. */
function inputValues(step: Step): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([key, value]) => [key, String(value).replace(/\$\{\{[^}]*\}\}/g, key === 'version' ? 'v4.2.1-main.57.g1a2b3c4' : '/tmp/x')]),
  );
}

interface RollgateStep {
  file: string;
  job: string;
  run: GithubJob;
  step: Step;
}

const rollgateSteps: RollgateStep[] = workflowFiles.flatMap((file) =>
  Object.entries(workflow(file).jobs).flatMap(([job, definition]) =>
    expandMatrix(definition).flatMap((run) => run.steps.filter((s) => s.uses?.startsWith('rollgate/rollgate@')).map((step) => ({ file, job, run, step }))),
  ),
);

describe('the GitHub workflows of examples/invoice', () => {
  it('are deploy, promote and rebuild, and together run every command they stand for', () => {
    expect(workflowFiles.sort()).toEqual(['deploy.yml', 'promote.yml', 'rebuild.yml']);
    const commands = rollgateSteps.map((s) => `${s.file}: ${s.step.with?.command} ${inputValues(s.step).env ?? `${s.step.with?.from} -> ${s.step.with?.to}`}`);
    expect(commands).toEqual([
      'deploy.yml: deploy dev',
      'promote.yml: promote dev -> stg',
      'promote.yml: promote stg -> prd',
      'rebuild.yml: rebuild dev',
      'rebuild.yml: rebuild stg',
      'rebuild.yml: rebuild prd',
    ]);
  });

  it.each(rollgateSteps.map((s) => [`${s.file} ${s.job} ${s.step.with?.env ?? s.step.with?.to}`, s] as const))('%s: every input is in action.yml and applies to the command', (_name, { step }) => {
    for (const key of Object.keys(step.with ?? {})) expect(actionInputs, `with.${key}`).toContain(key);
    expect(ACTION_COMMANDS).toContain(step.with?.command);
    // The action's own parser: unknown inputs, inputs that do not apply to the command, missing ones.
    expect(() => parseActionInputs(inputValues(step))).not.toThrow();
  });

  it.each(rollgateSteps.map((s) => [`${s.file} ${s.job} ${inputValues(s.step).env ?? s.step.with?.to}`, s] as const))(
    '%s: deploys to an environment of rollgate.yml, gated by that GitHub environment, with that cluster',
    (_name, { run, step }) => {
      const inputs = inputValues(step);
      const target = inputs.command === 'promote' ? inputs.to! : inputs.env!;
      for (const named of [inputs.env, inputs.from, inputs.to].filter((e) => e !== undefined)) expect(environments).toContain(named);
      expect(run.environment).toBe(target);
      expect(run.concurrency).toEqual({ group: `deploy-${target}`, 'cancel-in-progress': false });
      const gke = run.steps.find((s) => s.uses?.startsWith('google-github-actions/get-gke-credentials@'))?.with;
      expect(gke, 'get-gke-credentials').toBeDefined();
      // get-gke-credentials names its context gke_<project>_<location>_<cluster>: the cluster guard's kubeContext.
      expect(`gke_${gke!.project_id}_${gke!.location}_${gke!.cluster_name}`).toBe(rollgateYml.environments[target]!.kubeContext);
      expect(step.env?.SMOKE_PASSWORD, 'the smoke test logs in with the environment secret').toBe('${{ secrets.SMOKE_PASSWORD }}');
    },
  );

  it.each(workflowFiles)('%s asks for no more than it needs, and pins the actions it uses', (file) => {
    const w = workflow(file);
    expect(w.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    for (const [name, job] of Object.entries(w.jobs)) {
      expect(job['runs-on'], name).toBe('ubuntu-latest');
      for (const uses of job.steps.map((s) => s.uses).filter((u) => u !== undefined)) expect(uses, `${name}: ${uses}`).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    }
  });
});

// --------------------------------------------------------------------------------------------------- GitLab CI

type GitlabJob = Record<string, unknown> & {
  extends?: string | string[];
  script?: unknown[];
  variables?: Record<string, string>;
  environment?: { name: string };
  resource_group?: string;
};

/** `!reference [.job, key]`, kept as a marker so the resolver below can fill it in as GitLab does. */
const REFERENCE_TAG: Tags[number] = {
  tag: '!reference',
  collection: 'seq',
  resolve: (seq) => ({ reference: (seq as unknown as { toJSON(): string[] }).toJSON() }),
} as Tags[number];

const pipeline = parseDocument(readFileSync(join(EXAMPLE, '.gitlab-ci.yml'), 'utf8'), { customTags: [REFERENCE_TAG] }).toJS() as Record<string, GitlabJob>;
const KEYWORDS = new Set(['stages', 'workflow', 'variables', 'default', 'include', 'image', 'services', 'cache', 'before_script', 'after_script']);

/** A job with `extends` merged the way GitLab merges it: maps deeply, everything else replaced. */
function resolveJob(name: string): GitlabJob {
  const job = pipeline[name];
  if (!job) throw new Error(`no job ${name}`);
  const parents = job.extends === undefined ? [] : Array.isArray(job.extends) ? job.extends : [job.extends];
  const merged = parents.reduce<GitlabJob>((acc, parent) => deepMerge(acc, resolveJob(parent)), {});
  const { extends: _, ...own } = job;
  return deepMerge(merged, own);
}

function deepMerge(a: GitlabJob, b: GitlabJob): GitlabJob {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    const isMap = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x) && !('reference' in x);
    out[k] = isMap(prev) && isMap(v) ? deepMerge(prev as GitlabJob, v as GitlabJob) : v;
  }
  return out as GitlabJob;
}

/** The script lines of a job, `!reference`s filled in (one level deep, as in the pipeline). */
function scriptOf(job: GitlabJob, key = 'script'): string[] {
  return ((job[key] as unknown[] | undefined) ?? []).flatMap((line) => {
    if (typeof line === 'string') return [line];
    const [from, field] = (line as { reference: [string, string] }).reference;
    return scriptOf(resolveJob(from), field);
  });
}

/** Words of a script line as the job's shell would see them, with the job's variables filled in. */
function words(line: string, variables: Record<string, string>): string[] {
  const expand = (text: string) =>
    text.replace(/\$\{(\w+)(:\?[^}]*)?\}|\$(\w+)/g, (_m, braced: string | undefined, _check, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const value = variables[name];
      if (value === undefined) throw new Error(`$${name} is not set in this job: ${line}`);
      return value;
    });
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? expand(m[1]) : expand(m[2]!)));
}

const jobNames = Object.keys(pipeline).filter((name) => !name.startsWith('.') && !KEYWORDS.has(name));

interface RollgateCall {
  job: string;
  environment: string | undefined;
  resourceGroup: string | undefined;
  argv: string[];
}

const rollgateCalls: RollgateCall[] = jobNames.flatMap((job) => {
  const resolved = resolveJob(job);
  const environment = resolved.environment?.name;
  // What GitLab sets for the job: its variables, its environment, a tag pipeline's tag, the build's dotenv report.
  const variables: Record<string, string> = {
    ...(pipeline.variables as unknown as Record<string, string>),
    ...resolved.variables,
    ...(environment ? { CI_ENVIRONMENT_NAME: environment } : {}),
    CI_COMMIT_TAG: 'v4.2.0',
    ROLLGATE_VERSION: 'v4.2.0',
    ROLLGATE: 'rollgate',
  };
  return [...scriptOf(resolved, 'before_script'), ...scriptOf(resolved)]
    .filter((line) => line.startsWith('$ROLLGATE '))
    .map((line) => ({ job, environment, resourceGroup: resolved.resource_group, argv: words(line, variables).slice(1) }));
});

describe('the GitLab pipeline of examples/invoice', () => {
  it('runs rollgate in the build, deploy, promote and rebuild jobs', () => {
    expect(rollgateCalls.map((c) => `${c.job}: ${c.argv[0]}`)).toEqual([
      'build: build',
      'deploy-dev: deploy',
      'promote-stg: promote',
      'promote-prd: promote',
      'rebuild-dev: rebuild',
      'rebuild-stg: rebuild',
      'rebuild-prd: rebuild',
    ]);
  });

  it.each(rollgateCalls.map((c) => [c.job, c] as const))('%s: the CLI accepts the call, and it deploys where the job is gated', (_job, call) => {
    expect(ACTION_COMMANDS).toContain(call.argv[0]);
    // The CLI's own parser: unknown flags, flags that do not apply to the command, missing ones.
    const parsed = parseArgv(call.argv);
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    const inv = parsed.invocation;
    for (const named of [inv.env, inv.from, inv.to].filter((e) => e !== undefined)) expect(environments).toContain(named);
    const target = inv.command === 'promote' ? inv.to : inv.env;
    expect(call.environment).toBe(target);
    expect(call.resourceGroup).toBe(target === undefined ? undefined : `invoice-${target}`);
    // What the job keeps (artifacts:reports) is what rollgate writes.
    const job = resolveJob(call.job) as { artifacts?: { reports?: { dotenv?: string; junit?: string } } };
    expect(job.artifacts?.reports?.dotenv).toBe(inv.outputs.dotenv);
    expect(job.artifacts?.reports?.junit).toBe(inv.outputs.junit);
  });

  it('promotes in order: stg from dev, prd from stg, each after the one before', () => {
    const promotes = rollgateCalls.filter((c) => c.argv[0] === 'promote').map((c) => ({ job: c.job, needs: resolveJob(c.job).needs, argv: c.argv.join(' ') }));
    expect(promotes).toEqual([
      { job: 'promote-stg', needs: ['deploy-dev'], argv: expect.stringContaining('--from dev --to stg') },
      { job: 'promote-prd', needs: ['promote-stg'], argv: expect.stringContaining('--from stg --to prd') },
    ]);
  });
});
