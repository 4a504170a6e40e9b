#!/usr/bin/env node
import { createRequire as __rollgateRequire } from 'node:module'; const require = __rollgateRequire(import.meta.url);

// src/cli/main.ts
async function main(argv) {
  return process.stdout.write(`rollgate ${argv.join(" ")}
`), 0;
}

// src/cli.ts
process.exitCode = await main(process.argv.slice(2));
