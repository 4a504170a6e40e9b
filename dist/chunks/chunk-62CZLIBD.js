import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/log.ts
var silentLogger = { debug() {
}, info() {
}, warn() {
}, error() {
} };
function consoleLogger(verbose = !1) {
  return {
    debug: (m) => {
      verbose && process.stderr.write(`${m}
`);
    },
    info: (m) => process.stderr.write(`${m}
`),
    warn: (m) => process.stderr.write(`warning: ${m}
`),
    error: (m) => process.stderr.write(`error: ${m}
`)
  };
}

export {
  silentLogger,
  consoleLogger
};
