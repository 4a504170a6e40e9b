// GitHub Action entry: the only place that reads inputs. Inputs become the same request the CLI builds from
// its flags, the shared command table runs it, and the result becomes outputs and a job summary. The same
// bundle is the `post` step (saved state tells which): it restores a deploy the runner cut off after it had
// changed something (a cancelled job kills the main step; the post step still runs).
import * as core from '@actions/core';
import { ACTION_INPUTS, SECRET_INPUTS, parseActionInputs, type ActionRequest } from './config/inputs.ts';
import { ExitCode, InputError, formatProblem } from './errors.ts';
import type { Logger } from './log.ts';
import type { RunDetails } from './report/details.ts';
import { githubReporter } from './report/github.ts';
import { exitCodeFor, failureResult, type RunResult } from './report/result.ts';

/** The state key holding the restore state file of a deploy that has changed something and not yet ended. */
const RESTORE_STATE = 'restore';

const reporter = githubReporter(core);
const actionsLogger: Logger = reporter.logger;

function readInputs(): Record<string, string> {
  const values = Object.fromEntries(Object.keys(ACTION_INPUTS).map((name) => [name, core.getInput(name)]));
  // Masked in every later log line, whatever prints it.
  for (const name of SECRET_INPUTS) if (values[name]) core.setSecret(values[name]);
  return values;
}

const workspace = (): string => process.env.GITHUB_WORKSPACE ?? process.cwd();

async function main(): Promise<void> {
  core.saveState('isPost', 'true');
  const values = readInputs();
  // The runner signals a cancelled job before it kills the step: the run reverts what it changed, if it has time.
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    core.warning(`${signal}: the job is being cancelled; putting back what this run changed`);
    cancel.abort(new Error(`cancelled by ${signal}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let result: RunResult;
  let details: RunDetails = {};
  let request: ActionRequest | undefined;
  try {
    request = parseActionInputs(values);
    const { runCommand } = await import('./cli/commands.ts');
    result = await runCommand(
      { ...request, jsonToStdout: false },
      {
        logger: actionsLogger,
        env: process.env,
        cwd: workspace(),
        signal: cancel.signal,
        onRestoreState: (file) => core.saveState(RESTORE_STATE, file ?? ''),
      },
      { stdout: (t) => core.info(t.trimEnd()), details: (d) => void (details = d) },
    );
  } catch (err) {
    if (err instanceof InputError) for (const p of err.problems) core.error(formatProblem(p), annotation(p));
    result = failureResult(values.command || 'deploy', err, { environment: values.env, version: values.version });
  }
  await reporter.finish(result, details, request?.outputs ?? {}, workspace());
  // The annotation above says what failed; the exit code fails the step without saying it twice.
  process.exitCode = exitCodeFor(result);
}

async function post(): Promise<void> {
  const stateFile = core.getState(RESTORE_STATE);
  if (!stateFile) return;
  const values = readInputs();
  const request = parseActionInputs(values);
  const { resolve } = await import('node:path');
  const { loadRegistrySettings } = await import('./config/load.ts');
  const { resumeRevert } = await import('./deploy/resume.ts');
  let registries = {};
  try {
    registries = loadRegistrySettings(resolve(workspace(), request.config), process.env);
  } catch (err) {
    core.warning(`reading the registries of ${request.config}: ${err instanceof Error ? err.message : String(err)}; using the defaults`);
  }
  const result = await resumeRevert({
    stateFile,
    registries,
    ...(request.kubeconfig !== undefined ? { kubeconfig: request.kubeconfig } : {}),
    ...(request.kubeconfigContents !== undefined ? { kubeconfigContents: request.kubeconfigContents } : {}),
    logger: actionsLogger,
    env: process.env,
  });
  await core.summary.addHeading(`rollgate: cancelled deploy ${result.outcome === 'revert-failed' ? 'NOT fully reverted' : result.outcome}`, 3).addRaw(`${result.message}\n`).write();
  if (result.outcome === 'revert-failed') {
    core.setFailed(result.message);
    process.exitCode = ExitCode.unsafe;
  }
}

function annotation(p: { file?: string; line?: number; column?: number }): core.AnnotationProperties {
  return { ...(p.file ? { file: p.file } : {}), ...(p.line ? { startLine: p.line } : {}), ...(p.column ? { startColumn: p.column } : {}) };
}

await (core.getState('isPost') === 'true' ? post() : main());
