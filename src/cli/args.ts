// Turns argv into the same request the action's inputs become (src/config/inputs.ts), so the CLI and the
// action accept exactly the same things and share one table of which command takes what. Pure: no I/O.
import { parseArgs } from 'node:util';
import { InputError, type Problem } from '../errors.ts';
import { ACTION_COMMANDS, parseActionInputs, type ActionRequest } from '../config/inputs.ts';
import { suggestion } from '../config/suggest.ts';

export interface Invocation extends ActionRequest {
  /** `--summary F`: the Markdown summary (the action writes GITHUB_STEP_SUMMARY instead). */
  summary?: string;
  /** `inventory REF --json` without a file prints JSON to stdout. */
  jsonToStdout: boolean;
}

export type ParsedArgv = { kind: 'help'; topic?: string } | { kind: 'version' } | { kind: 'run'; invocation: Invocation };

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  env: { type: 'string', short: 'e' },
  version: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'no-build': { type: 'boolean' },
  'force-conflicts': { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  builder: { type: 'string' },
  'tag-policy': { type: 'string' },
  'rollout-timeout': { type: 'string' },
  json: { type: 'string' },
  summary: { type: 'string' },
  dotenv: { type: 'string' },
  junit: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** CLI flag -> action input, where the names differ. */
const INPUT_OF_FLAG: Record<string, string> = { context: 'kube-context', 'no-build': 'build' };
const FLAG_OF_INPUT: Record<string, string> = { 'kube-context': 'context', build: 'no-build', image: 'IMAGE_REF' };

export function parseArgv(argv: readonly string[]): ParsedArgv {
  // `rollgate --version` alone prints rollgate's version; `--version V` after a command is the build version.
  if (argv.length === 1 && argv[0] === '--version') return { kind: 'version' };
  if (argv.length === 0 || (argv.length === 1 && ['--help', '-h', 'help'].includes(argv[0]!))) return { kind: 'help' };

  const [command, ...rest] = argv as [string, ...string[]];
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) {
    throw new InputError({ field: 'command', message: `unknown command "${command}"; commands: ${ACTION_COMMANDS.join(', ')}` });
  }
  // `inventory REF --json` prints to stdout: the flag takes a file everywhere else, so give it `-` here.
  const args = command === 'inventory' ? rest.map((a, i) => (a === '--json' && (i === rest.length - 1 || rest[i + 1]!.startsWith('-')) ? '--json=-' : a)) : rest;
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InputError(flagProblem(err as Error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', topic: command };

  const inputs: Record<string, string> = { command };
  for (const [flag, value] of Object.entries(values)) {
    if (flag === 'summary' || value === undefined) continue;
    const input = INPUT_OF_FLAG[flag] ?? flag;
    inputs[input] = flag === 'no-build' ? String(!value) : String(value);
  }
  let problems: Problem[] = [];
  if (command === 'inventory') {
    if (positionals.length !== 1) problems.push({ field: 'IMAGE_REF', message: '"inventory" needs exactly one image reference' });
    else inputs.image = positionals[0]!;
  } else if (positionals.length > 0) {
    problems.push({ field: 'flags', message: `unexpected argument "${positionals[0]}"` });
  }
  const jsonToStdout = inputs.json === '-';
  if (jsonToStdout) delete inputs.json;

  let request: ActionRequest | undefined;
  try {
    request = parseActionInputs(inputs);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems.map(asFlagProblem));
  }
  // A missing IMAGE_REF is already reported as one of the positional arguments.
  if (problems.some((p) => p.field === 'IMAGE_REF' && p.message.includes('exactly one'))) {
    problems = problems.filter((p) => p.field !== 'IMAGE_REF' || p.message.includes('exactly one'));
  }
  if (problems.length || !request) throw new InputError(problems);
  return {
    kind: 'run',
    invocation: { ...request, jsonToStdout, ...(values.summary !== undefined ? { summary: values.summary } : {}) },
  };
}

/** The input parser names fields as a workflow's `with:` does; on the command line they are flags. */
function asFlagProblem(p: Problem): Problem {
  const input = p.field?.startsWith('with.') ? p.field.slice(5) : undefined;
  if (input === undefined) return p;
  const flag = FLAG_OF_INPUT[input] ?? input;
  return { ...p, field: flag === 'IMAGE_REF' ? flag : `--${flag}`, message: p.message.replace('needs this input', 'needs this flag') };
}

/** node:util's parseArgs errors, as a problem naming the flag. */
function flagProblem(err: Error): Problem {
  const unknown = /^Unknown option '([^']+)'/.exec(err.message)?.[1];
  if (unknown !== undefined) {
    const flags = Object.keys(OPTIONS).map((name) => `--${name}`);
    return { field: unknown, message: `unknown flag${suggestion(unknown, flags)}` };
  }
  const value = /^Option '(?:-\w, )?(--[\w-]+)[^']*' (argument missing|does not take an argument)/.exec(err.message);
  if (value) return { field: value[1]!, message: value[2] === 'argument missing' ? 'needs a value' : 'takes no value (it is a switch)' };
  return { field: 'flags', message: err.message };
}
