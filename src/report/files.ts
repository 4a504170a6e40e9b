// Writes the report files a run was asked for (--json, --dotenv, --junit, --summary; the action's inputs of the
// same names). Paths are relative to the working directory.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunDetails } from './details.ts';
import { dotenvText } from './dotenv.ts';
import { exitCodeFor, type RunResult } from './result.ts';

export interface ReportFiles {
  json?: string;
  dotenv?: string;
  junit?: string;
  summary?: string;
}

export async function writeReportFiles(files: ReportFiles, result: RunResult, details: RunDetails, cwd: string): Promise<void> {
  const writes: Array<Promise<void>> = [];
  const write = (path: string | undefined, text: () => string | Promise<string>) => {
    if (path) writes.push(Promise.resolve(text()).then((t) => writeFile(resolve(cwd, path), t)));
  };
  write(files.json, () => `${JSON.stringify(result, null, 2)}\n`);
  write(files.dotenv, () => dotenvText(result, exitCodeFor(result)));
  write(files.summary, async () => (await import('./summary.ts')).summaryMarkdown(result, details));
  // No smoke test ran (it was never reached, or the command has none): nothing to report as tests.
  const smoke = details.smoke;
  if (smoke) write(files.junit, async () => (await import('./junit.ts')).smokeJunitXml(smoke));
  await Promise.all(writes);
}
