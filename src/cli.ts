#!/usr/bin/env node
// CLI entry: `rollgate <command> [flags]` for GitLab CI and any shell. Kept free of heavy imports so that
// `rollgate --help` starts fast; commands load what they need when they run.
//
// SIGINT/SIGTERM (Ctrl-C, a cancelled GitLab job) cancel the run instead of killing it: a deploy that has changed
// something reverts it first. A second signal does not cut a command that changes a cluster short; for the others it
// ends the process at once.
import { main, processIO } from './cli/main.ts';

const CHANGES_A_CLUSTER = ['deploy', 'promote', 'rollback', 'rebuild'];
const cancel = new AbortController();
const guarded = CHANGES_A_CLUSTER.includes(process.argv[2] ?? '');

function onSignal(signal: NodeJS.Signals): void {
  if (!cancel.signal.aborted) {
    process.stderr.write(`rollgate: ${signal}: stopping${guarded ? '; whatever this run changed is put back first' : ''}\n`);
    cancel.abort(new Error(`cancelled by ${signal}`));
  } else if (guarded) {
    process.stderr.write(`rollgate: ${signal}: still putting things back; stopping now would leave them half done\n`);
  } else {
    process.exit(130);
  }
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), { ...processIO, signal: cancel.signal });
