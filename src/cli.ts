#!/usr/bin/env node
// CLI entry: `rollgate <command> [flags]` for GitLab CI and any shell. Kept free of heavy imports so that
// `rollgate --help` starts fast; commands load what they need when they run.
import { main } from './cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
