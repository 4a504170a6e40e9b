// Runs the action's entry the way a developer does with GitHub's own runner for JavaScript actions:
// `local-action run <repo> <entrypoint> <.env> [--post <entrypoint>]`, as a child process. Inputs go in the .env file
// as INPUT_<NAME>, like the runner passes them; local-action prints every output as `::set-output name=..::..` and a
// table, and writes the job summary to GITHUB_STEP_SUMMARY.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/@github/local-action/bin/local-action.js');
const ENTRY = 'test/action/local-action-entry.ts';

export interface LocalActionRun {
  /** The exit code local-action ends with (it passes on the action's process.exitCode). */
  code: number | null;
  /** Everything local-action printed, colours stripped. */
  output: string;
  /** The outputs the action set, by name. */
  outputs: Record<string, string>;
  /** The job summary the action wrote. */
  summary: string;
}

export interface LocalActionOptions {
  /** Action inputs by their action.yml name (`kube-context`, not `kubeContext`). */
  inputs: Record<string, string>;
  /** The rest of the step's environment (GITHUB_WORKSPACE, RUNNER_TEMP, DOCKER_HOST, ...), also from the .env file. */
  env: Record<string, string>;
  /** Folder for the .env file and the summary; outside the workspace, as on a runner. */
  dir: string;
  /** Also run the entry as the post step, as action.yml's `post:` does. */
  post?: boolean;
  /** Sees the output as it grows; may signal the action's own process (`pid`). */
  watch?: (output: string, action: { pid: () => number | undefined }) => void;
}

export function runLocalAction(options: LocalActionOptions): Promise<LocalActionRun> {
  const envFile = join(options.dir, 'action.env');
  const summaryFile = join(options.dir, 'summary.md');
  const inputs = Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]);
  writeFileSync(envFile, dotenv({ ...Object.fromEntries(inputs), ...options.env, GITHUB_STEP_SUMMARY: summaryFile }), { mode: 0o600 });
  writeFileSync(summaryFile, '');

  const args = [BIN, 'run', ROOT, ENTRY, envFile, ...(options.post ? ['--post', ENTRY] : [])];
  // local-action starts `npm exec tsx`; the Node that runs this test must be the one found first on PATH.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += stripVTControlCharacters(chunk.toString());
      options.watch?.(output, { pid: () => actionProcess(child.pid!) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => done({ code, output, outputs: outputsOf(output), summary: readFileSync(summaryFile, 'utf8') }));
  });
}

/** `::set-output name=NAME::VALUE` lines, as local-action's @actions/core stub prints them (the last one wins). */
export function outputsOf(output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/**
 * The process running the action: local-action goes through `npm exec` and tsx, so it is the deepest descendant of
 * `root` still running local-action's program (a build's docker client would be deeper, but runs something else).
 */
function actionProcess(root: number): number | undefined {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  let found: number | undefined;
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      if (cmdline(child).includes('@github/local-action/src/index.ts')) found = child;
      walk(child);
    }
  };
  walk(root);
  return found;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** KEY="value" lines as the dotenv package reads them (newlines as \n inside double quotes). */
function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => {
      if (/["\\]/.test(value)) throw new Error(`${key}: a value with " or \\ cannot be written to the .env file`);
      return `${key}="${value.replaceAll('\n', '\\n')}"\n`;
    })
    .join('');
}
