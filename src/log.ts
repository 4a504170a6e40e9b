// The one logging seam. Library code takes a Logger; the entries decide where it goes (GitHub annotations,
// plain stderr, nothing in tests).

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function consoleLogger(verbose = false): Logger {
  return {
    debug: (m) => { if (verbose) process.stderr.write(`${m}\n`); },
    info: (m) => process.stderr.write(`${m}\n`),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    error: (m) => process.stderr.write(`error: ${m}\n`),
  };
}
