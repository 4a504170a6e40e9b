// GitHub Action entry: the only place that reads inputs. Inputs become the same request the CLI builds from
// its flags, the shared command table runs it, and the result becomes outputs and a job summary. The same
// bundle is the `post` step (saved state tells which), which will restore a cancelled deploy.
import * as core from '@actions/core';
import { ACTION_INPUTS, SECRET_INPUTS, parseActionInputs } from './config/inputs.ts';
import { ExitCode, InputError, formatProblem } from './errors.ts';
import type { Logger } from './log.ts';
import { outputsOf } from './report/outputs.ts';
import { exitCodeFor, failureResult, type RunResult } from './report/result.ts';

const actionsLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
};

async function main(): Promise<void> {
  core.saveState('isPost', 'true');
  const values = Object.fromEntries(Object.keys(ACTION_INPUTS).map((name) => [name, core.getInput(name)]));
  // Masked in every later log line, whatever prints it.
  for (const name of SECRET_INPUTS) if (values[name]) core.setSecret(values[name]);
  let result: RunResult;
  try {
    const request = parseActionInputs(values);
    const { runCommand } = await import('./cli/commands.ts');
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    result = await runCommand({ ...request, jsonToStdout: false }, { logger: actionsLogger, env: process.env, cwd, signal: new AbortController().signal }, { stdout: (t) => core.info(t.trimEnd()) });
  } catch (err) {
    if (err instanceof InputError) for (const p of err.problems) core.error(formatProblem(p), annotation(p));
    result = failureResult(values.command || 'deploy', err, { environment: values.env, version: values.version });
  }
  const code = exitCodeFor(result);
  for (const [name, value] of Object.entries(outputsOf(result, code))) core.setOutput(name, value);
  await core.summary.addHeading(`rollgate ${result.command}: ${result.outcome}`, 3).addRaw(`${result.message}\n`).write();
  if (code !== ExitCode.ok) {
    core.setFailed(result.message);
    process.exitCode = code;
  }
}

async function post(): Promise<void> {
  // Nothing to restore yet: the gated deploy saves its restore state here the moment a tag moves.
}

function annotation(p: { file?: string; line?: number; column?: number }): core.AnnotationProperties {
  return { ...(p.file ? { file: p.file } : {}), ...(p.line ? { startLine: p.line } : {}), ...(p.column ? { startColumn: p.column } : {}) };
}

await (core.getState('isPost') === 'true' ? post() : main());
