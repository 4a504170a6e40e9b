// One Reporter per place rollgate runs: where the log's sections go (GitHub groups, GitLab collapsible sections,
// plain lines) and what the end of a run becomes there (GitHub: outputs, job summary, annotations; GitLab and a
// shell: the report files asked for). Commands never know which one they report to.
import type { Logger } from '../log.ts';
import type { RunDetails } from './details.ts';
import type { ReportFiles } from './files.ts';
import type { RunResult } from './result.ts';

export interface Reporter {
  /** The log of the run, with sections. */
  readonly logger: Logger;
  /** The end of the run: outputs, summary, annotations and the report files in `files` (paths under `cwd`). */
  finish(result: RunResult, details: RunDetails, files: ReportFiles, cwd: string): Promise<void>;
}
