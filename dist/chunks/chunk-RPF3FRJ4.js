import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/log.ts
var silentLogger = { debug() {
}, info() {
}, warn() {
}, error() {
} };
function consoleLogger(verbose = !1, style = "plain", write = (t) => process.stderr.write(t)) {
  let open, count = 0;
  return {
    debug: (m) => {
      verbose && write(`${m}
`);
    },
    info: (m) => write(`${m}
`),
    warn: (m) => write(`warning: ${m}
`),
    error: (m) => write(`error: ${m}
`),
    section: (title) => {
      let now = Math.floor(Date.now() / 1e3);
      style === "gitlab" ? (open && write(`\x1B[0Ksection_end:${now}:${open}\r\x1B[0K`), open = title === void 0 ? void 0 : `rollgate_${++count}`, open && write(`\x1B[0Ksection_start:${now}:${open}[collapsed=false]\r\x1B[0K\x1B[1m${title}\x1B[0m
`)) : title !== void 0 && write(`--- ${title}
`);
    }
  };
}

export {
  silentLogger,
  consoleLogger
};
