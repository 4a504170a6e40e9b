// The Reporter of the CLI: the log on stderr (GitLab's collapsible sections when GITLAB_CI is set), and at the end
// the report files asked for: --json, --dotenv (artifacts:reports:dotenv), --junit (artifacts:reports:junit),
// --summary (Markdown, e.g. for a merge request note).
import { consoleLogger } from '../log.ts';
import type { Reporter } from './reporter.ts';

export function textReporter(options: { verbose: boolean; env: Readonly<Record<string, string | undefined>>; stderr: (text: string) => void }): Reporter {
  return {
    logger: consoleLogger(options.verbose, options.env.GITLAB_CI === 'true' ? 'gitlab' : 'plain', options.stderr),
    async finish(result, details, files, cwd) {
      if (!Object.values(files).some(Boolean)) return;
      const { writeReportFiles } = await import('./files.ts');
      await writeReportFiles(files, result, details, cwd);
    },
  };
}
