// The GitHub Action's inputs: their names, descriptions and defaults (action.yml is generated from ACTION_INPUTS
// and a test keeps the two equal), and the pure mapping from input values to what the run does. Only
// src/index.ts reads the values (core.getInput); everything here takes a plain record.
import type { Problem } from '../errors.ts';
import { InputError } from '../errors.ts';
import { InvalidReferenceError, parseImageRef } from '../image/ref.ts';
import { parseBuildVersion } from '../image/version-tags.ts';
import { DurationError, parseDuration } from './duration.ts';
import { BUILDERS, TAG_POLICIES } from './load.ts';
import { suggestion } from './suggest.ts';
import type { BuilderKind, ConfigOverrides, TagPolicy } from './types.ts';

export const ACTION_COMMANDS = ['build', 'deploy', 'promote', 'rollback', 'rebuild', 'validate', 'status', 'inventory'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export interface ActionInput {
  description: string;
  /** As action.yml writes it; '' for inputs that are empty unless given. */
  default: string;
}

export const ACTION_INPUTS = {
  command: {
    description: `What to do: ${ACTION_COMMANDS.join(', ')}.`,
    default: 'deploy',
  },
  config: { description: 'Path of rollgate.yml, relative to the workspace.', default: 'rollgate.yml' },
  env: {
    description: 'The environment (a key of environments: in rollgate.yml) to deploy, roll back, rebuild, show or validate.',
    default: '',
  },
  version: {
    description: 'The version to build and deploy, e.g. v4.2.0 (a tag ref such as refs/tags/v4.2.0 works too).',
    default: '',
  },
  from: { description: 'promote: the environment whose verified digest is promoted.', default: '' },
  to: {
    description: 'promote: the environment to promote to. rollback: the version or digest to go back to (default: the one before).',
    default: '',
  },
  build: {
    description: 'deploy: build and push the images first. false deploys version tags pushed earlier (a build job, then a deploy job).',
    default: 'true',
  },
  'force-conflicts': {
    description: 'Take over fields that another field manager owns when applying manifests (server-side apply).',
    default: 'false',
  },
  kubeconfig: { description: 'Path of the kubeconfig (default: $KUBECONFIG, then ~/.kube/config).', default: '' },
  'kubeconfig-contents': {
    description: 'The kubeconfig itself (e.g. from a secret), instead of a path: written 0600 to the runner temp folder, outside the workspace, and removed at the end.',
    default: '',
  },
  'kube-context': {
    description: "The kubeconfig context to use. When rollgate.yml names the environment's kubeContext, this must be the same.",
    default: '',
  },
  builder: { description: `Overrides builder: in rollgate.yml (${BUILDERS.join(', ')}).`, default: '' },
  'tag-policy': { description: `Overrides tagPolicy: in rollgate.yml (${TAG_POLICIES.join(', ')}).`, default: '' },
  'rollout-timeout': { description: 'Overrides rollout.timeout in rollgate.yml, e.g. 10m.', default: '' },
  image: { description: 'inventory: the image reference whose packages are listed.', default: '' },
  json: { description: 'Also write the result as JSON to this file.', default: '' },
  dotenv: { description: 'Also write the result as KEY=value lines to this file (a GitLab dotenv report).', default: '' },
  junit: { description: 'Also write the smoke test as a JUnit XML report to this file.', default: '' },
  verbose: { description: 'Log debug detail.', default: 'false' },
} as const satisfies Record<string, ActionInput>;

export type ActionInputName = keyof typeof ACTION_INPUTS;

/** Inputs whose values are credentials: the entry masks them in the log before anything runs. */
export const SECRET_INPUTS: readonly ActionInputName[] = ['kubeconfig-contents'];

/** What one run of the action does, and what it overrides in rollgate.yml. */
export interface ActionRequest {
  command: ActionCommand;
  /** As given; relative paths are the workspace's. */
  config: string;
  env?: string;
  version?: string;
  from?: string;
  to?: string;
  noBuild: boolean;
  forceConflicts: boolean;
  kubeconfig?: string;
  /** The kubeconfig's contents (the `kubeconfig-contents` input); a secret. */
  kubeconfigContents?: string;
  /** inventory's image reference. */
  image?: string;
  outputs: { json?: string; dotenv?: string; junit?: string };
  verbose: boolean;
  overrides: ConfigOverrides;
}

/** The inputs each command uses beyond the common ones; a non-default value elsewhere is a mistake. */
const COMMAND_INPUTS: Record<ActionCommand, readonly ActionInputName[]> = {
  build: ['version', 'builder'],
  deploy: ['env', 'version', 'build', 'force-conflicts', 'kube-context', 'builder', 'tag-policy', 'rollout-timeout'],
  promote: ['from', 'to', 'force-conflicts', 'kube-context', 'tag-policy', 'rollout-timeout'],
  rollback: ['env', 'to', 'force-conflicts', 'kube-context', 'rollout-timeout'],
  rebuild: ['env', 'force-conflicts', 'kube-context', 'builder', 'tag-policy', 'rollout-timeout'],
  validate: ['env', 'version', 'kube-context'],
  status: ['env', 'kube-context'],
  inventory: ['image'],
};
const COMMON_INPUTS: readonly ActionInputName[] = ['command', 'config', 'kubeconfig', 'kubeconfig-contents', 'json', 'dotenv', 'junit', 'verbose'];
const REQUIRED: Partial<Record<ActionCommand, readonly ActionInputName[]>> = {
  build: ['version'],
  deploy: ['env'],
  promote: ['from', 'to'],
  rollback: ['env'],
  rebuild: ['env'],
  status: ['env'],
  inventory: ['image'],
};

/**
 * Input values (as core.getInput returns them: '' when not given) -> the request. Throws one InputError with
 * every problem, each naming the input as the workflow's `with:` does.
 */
export function parseActionInputs(values: Readonly<Record<string, string | undefined>>): ActionRequest {
  const problems: Problem[] = [];
  const fail = (name: string, message: string) => problems.push({ field: `with.${name}`, message });
  const names = Object.keys(ACTION_INPUTS) as ActionInputName[];
  for (const name of Object.keys(values)) {
    if (!(name in ACTION_INPUTS)) fail(name, `unknown input${suggestion(name, names)}`);
  }
  const given = (name: ActionInputName): string | undefined => {
    const v = values[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const value = (name: ActionInputName): string => given(name) ?? ACTION_INPUTS[name].default;

  const commandText = value('command');
  if (!(ACTION_COMMANDS as readonly string[]).includes(commandText)) {
    fail('command', `"${commandText}" is not a command${suggestion(commandText, ACTION_COMMANDS)}; commands: ${ACTION_COMMANDS.join(', ')}`);
    throw new InputError(problems);
  }
  const command = commandText as ActionCommand;

  const applies = new Set<ActionInputName>([...COMMON_INPUTS, ...COMMAND_INPUTS[command]]);
  for (const name of names) {
    const v = given(name);
    if (v !== undefined && v !== ACTION_INPUTS[name].default && !applies.has(name)) fail(name, `does not apply to "${command}"`);
  }
  for (const name of REQUIRED[command] ?? []) {
    if (given(name) === undefined) fail(name, `"${command}" needs this input`);
  }

  const bool = (name: ActionInputName): boolean => {
    const v = value(name);
    // The YAML 1.2 core schema spellings, as core.getBooleanInput accepts them.
    if (['true', 'True', 'TRUE'].includes(v)) return true;
    if (['false', 'False', 'FALSE'].includes(v)) return false;
    fail(name, `expected true or false, got "${v}"`);
    return false;
  };
  const oneOf = <T extends string>(name: ActionInputName, allowed: readonly T[]): T | undefined => {
    const v = given(name);
    if (v === undefined) return undefined;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    fail(name, `"${v}" is not one of ${allowed.join(', ')}${suggestion(v, allowed)}`);
    return undefined;
  };

  const noBuild = !bool('build');
  const forceConflicts = bool('force-conflicts');
  const verbose = bool('verbose');
  const overrides: ConfigOverrides = {};
  const kubeContext = given('kube-context');
  if (kubeContext !== undefined) overrides.kubeContext = kubeContext;
  const builder = oneOf<BuilderKind>('builder', BUILDERS);
  if (builder) overrides.builder = builder;
  const tagPolicy = oneOf<TagPolicy>('tag-policy', TAG_POLICIES);
  if (tagPolicy) overrides.tagPolicy = tagPolicy;
  const timeout = given('rollout-timeout');
  if (timeout !== undefined) {
    try {
      const ms = parseDuration(timeout);
      if (ms === 0) fail('rollout-timeout', 'must be longer than 0');
      else overrides.rolloutTimeoutMs = ms;
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      fail('rollout-timeout', err.message);
    }
  }

  checkReferences(command, given, fail);

  const request: ActionRequest = {
    command,
    config: value('config'),
    noBuild,
    forceConflicts,
    outputs: {},
    verbose,
    overrides,
  };
  if (given('kubeconfig') !== undefined && given('kubeconfig-contents') !== undefined) {
    fail('kubeconfig-contents', 'give the kubeconfig as a path (kubeconfig) or as contents (kubeconfig-contents), not both');
  }
  for (const [name, key] of [['env', 'env'], ['version', 'version'], ['from', 'from'], ['to', 'to'], ['kubeconfig', 'kubeconfig'], ['kubeconfig-contents', 'kubeconfigContents'], ['image', 'image']] as const) {
    const v = given(name);
    if (v !== undefined) request[key] = v;
  }
  for (const name of ['json', 'dotenv', 'junit'] as const) {
    const v = given(name);
    if (v !== undefined) request.outputs[name] = v;
  }
  if (problems.length) throw new InputError(problems);
  return request;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Versions, rollback targets and image references are read by a grammar here, so a mistake names its input. */
function checkReferences(command: ActionCommand, given: (name: ActionInputName) => string | undefined, fail: (name: string, message: string) => void): void {
  const parses = (name: ActionInputName, parse: () => unknown): boolean => {
    try {
      parse();
      return true;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      fail(name, err instanceof InvalidReferenceError ? err.reason : err.message);
      return false;
    }
  };
  const version = given('version');
  if (version !== undefined && COMMAND_INPUTS[command].includes('version')) parses('version', () => parseBuildVersion(version));
  const to = given('to');
  if (to !== undefined && command === 'rollback') {
    if (to.startsWith('sha256:')) {
      if (!DIGEST.test(to)) fail('to', `"${to}" is not a digest (sha256: and 64 lowercase hex characters)`);
    } else if (!isVersion(to)) {
      fail('to', `"${to}" is neither a version (e.g. v4.1.0) nor a digest (sha256:...); leave it out to go back to the previous version`);
    }
  }
  const image = given('image');
  if (image !== undefined && command === 'inventory') parses('image', () => parseImageRef(image));
}

function isVersion(text: string): boolean {
  try {
    parseBuildVersion(text);
    return true;
  } catch (err) {
    if (err instanceof InputError) return false;
    throw err;
  }
}
