// What every command receives besides its flags: where to log, the process environment (passed in, so tests
// control it), and the working directory config paths are relative to.
import type { Logger } from '../log.ts';

export interface CommandContext {
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborted when the run is cancelled (SIGINT/SIGTERM, or a cancelled GitHub job). */
  signal: AbortSignal;
  /**
   * The action's entry saves this for its post step: the file of a run's restore state once it has changed
   * something, undefined once it has ended (src/commands/deploy.ts).
   */
  onRestoreState?: (stateFile: string | undefined) => void | Promise<void>;
}
