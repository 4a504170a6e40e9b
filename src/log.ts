// The one logging seam. Library code takes a Logger; the entries decide where it goes (GitHub annotations,
// plain stderr, nothing in tests).

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /**
   * Starts a named part of the log (a deploy stage), ending the one before; undefined ends the last. GitHub shows
   * it as a group, GitLab as a collapsible section. Loggers without it log straight on.
   */
  section?(title: string | undefined): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Plain stderr; with `gitlab`, sections are GitLab's collapsible job log sections (closed once done). */
export function consoleLogger(verbose = false, style: 'plain' | 'gitlab' = 'plain', write: (text: string) => void = (t) => process.stderr.write(t)): Logger {
  let open: string | undefined;
  let count = 0;
  return {
    debug: (m) => { if (verbose) write(`${m}\n`); },
    info: (m) => write(`${m}\n`),
    warn: (m) => write(`warning: ${m}\n`),
    error: (m) => write(`error: ${m}\n`),
    section: (title) => {
      const now = Math.floor(Date.now() / 1000);
      if (style === 'gitlab') {
        if (open) write(`\x1b[0Ksection_end:${now}:${open}\r\x1b[0K`);
        open = title === undefined ? undefined : `rollgate_${++count}`;
        if (open) write(`\x1b[0Ksection_start:${now}:${open}[collapsed=false]\r\x1b[0K\x1b[1m${title}\x1b[0m\n`);
      } else if (title !== undefined) {
        write(`--- ${title}\n`);
      }
    },
  };
}
