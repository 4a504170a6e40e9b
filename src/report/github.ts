// The Reporter of the GitHub Action: stages as log groups, and at the end the outputs, the job summary (the same
// Markdown as --summary), one annotation that says what happened (the cause, the revert, the time to safe), and the
// report files asked for. `core` is @actions/core, passed in so tests can watch what it is asked to do.
import type * as Core from '@actions/core';
import type { Logger } from '../log.ts';
import { outputsOf } from './outputs.ts';
import type { Reporter } from './reporter.ts';
import { exitCodeFor, type RunResult } from './result.ts';
import { runTitle, summaryMarkdown } from './summary.ts';

export type ActionsCore = Pick<typeof Core, 'debug' | 'info' | 'warning' | 'error' | 'notice' | 'startGroup' | 'endGroup' | 'setOutput'> & {
  summary: { addRaw(text: string): { write(): Promise<unknown> } };
};

export function githubReporter(core: ActionsCore): Reporter {
  let grouped = false;
  const logger: Logger = {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
    error: (m) => core.error(m),
    section: (title) => {
      if (grouped) core.endGroup();
      grouped = title !== undefined;
      if (title !== undefined) core.startGroup(`rollgate: ${title}`);
    },
  };
  return {
    logger,
    async finish(result, details, files, cwd) {
      const code = exitCodeFor(result);
      for (const [name, value] of Object.entries(outputsOf(result, code))) core.setOutput(name, value);
      if (Object.values(files).some(Boolean)) {
        const { writeReportFiles } = await import('./files.ts');
        await writeReportFiles(files, result, details, cwd);
      }
      await core.summary.addRaw(summaryMarkdown(result, details)).write();
      const note = annotation(result);
      if (note) core[note.level](note.text, { title: note.title });
    },
  };
}

/** The one annotation a run leaves on the workflow run's page; invalid input has its own, one per problem. */
export function annotation(result: RunResult): { level: 'error' | 'notice'; title: string; text: string } | undefined {
  const what = runTitle(result);
  const r = result.revert;
  switch (result.outcome) {
    case 'reverted':
      return { level: 'error', title: `${what}: failed and reverted${r ? `, safe after ${r.timeToSafeSeconds} s` : ''}`, text: result.message };
    case 'revert-failed': {
      const left = (r?.left ?? []).flatMap((l) => [`- ${l.what}`, ...l.commands.map((c) => `    ${c}`)]);
      return { level: 'error', title: `${what}: the revert did NOT finish; act now`, text: [result.message, ...left].join('\n') };
    }
    case 'blocked':
    case 'failed':
      return { level: 'error', title: `${what}: ${result.outcome === 'blocked' ? 'refused to start' : 'failed'}; nothing was changed`, text: result.message };
    case 'invalid':
      return undefined;
    default:
      return { level: 'notice', title: `${what}: ${result.outcome}`, text: result.message };
  }
}
