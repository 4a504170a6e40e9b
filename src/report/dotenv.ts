// The result as KEY=value lines for GitLab's artifacts:reports:dotenv, so a later job reads what this one did (a
// deploy job picks up the build job's version and digests). GitLab's parser is stricter than dotenv's: one
// variable per line, no quotes, no blank lines or comments, no multi-line values, at most 20 variables, under 5 KB.
import type { RunResult } from './result.ts';

export const DOTENV_MAX_VARIABLES = 20;
const MAX_MESSAGE = 500;

export function dotenvText(result: RunResult, exitCode: number): string {
  const vars: Array<[string, string]> = [
    ['ROLLGATE_COMMAND', result.command],
    ['ROLLGATE_OUTCOME', result.outcome],
    ['ROLLGATE_EXIT_CODE', String(exitCode)],
  ];
  if (result.environment !== undefined) vars.push(['ROLLGATE_ENVIRONMENT', result.environment]);
  if (result.version !== undefined) vars.push(['ROLLGATE_VERSION', result.version]);
  vars.push(['ROLLGATE_MESSAGE', oneLine(result.message).slice(0, MAX_MESSAGE)]);
  // A later job (a notification, a ticket) says what failed and how long the environment was unsafe.
  if (result.failedStage !== undefined) vars.push(['ROLLGATE_FAILED_STAGE', result.failedStage]);
  if (result.revert) vars.push(['ROLLGATE_TIME_TO_SAFE_SECONDS', String(result.revert.timeToSafeSeconds)]);
  for (const image of result.images) {
    if (!image.digest || vars.length >= DOTENV_MAX_VARIABLES) continue;
    vars.push([`ROLLGATE_IMAGE_${variablePart(image.name)}`, `${image.repository}@${image.digest}`]);
  }
  return vars.map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/** `invoice-web` -> `INVOICE_WEB`: GitLab accepts ASCII letters, digits and `_` only. */
export function variablePart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]+/g, '_');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
