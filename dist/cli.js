#!/usr/bin/env node
import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  consoleLogger
} from "./chunks/chunk-RPF3FRJ4.js";
import {
  ACTION_COMMANDS,
  parseActionInputs
} from "./chunks/chunk-L6MRNNKE.js";
import {
  exitCodeFor,
  failureResult
} from "./chunks/chunk-Q3FTBLQ3.js";
import "./chunks/chunk-KO6UF5B3.js";
import {
  suggestion
} from "./chunks/chunk-QAZIYCV3.js";
import "./chunks/chunk-LIPN2H4P.js";
import "./chunks/chunk-ZT2TC3RN.js";
import "./chunks/chunk-R7NFTJUE.js";
import "./chunks/chunk-MCV24WYC.js";
import "./chunks/chunk-RZET367P.js";
import "./chunks/chunk-B4ZKNYEW.js";
import {
  BlockedError,
  ExitCode,
  InputError,
  exitCodeOf,
  formatProblem
} from "./chunks/chunk-FNCNTWIO.js";
import "./chunks/chunk-K5Q2ZJ2S.js";

// src/cli/args.ts
import { parseArgs } from "node:util";
var OPTIONS = {
  config: { type: "string", short: "c" },
  env: { type: "string", short: "e" },
  version: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "no-build": { type: "boolean" },
  "force-conflicts": { type: "boolean" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  builder: { type: "string" },
  "tag-policy": { type: "string" },
  "rollout-timeout": { type: "string" },
  json: { type: "string" },
  summary: { type: "string" },
  dotenv: { type: "string" },
  junit: { type: "string" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" }
}, INPUT_OF_FLAG = { context: "kube-context", "no-build": "build" }, FLAG_OF_INPUT = { "kube-context": "context", build: "no-build", image: "IMAGE_REF" };
function parseArgv(argv) {
  if (argv.length === 1 && argv[0] === "--version") return { kind: "version" };
  if (argv.length === 0 || argv.length === 1 && ["--help", "-h", "help"].includes(argv[0])) return { kind: "help" };
  let [command, ...rest] = argv;
  if (!ACTION_COMMANDS.includes(command))
    throw new InputError({ field: "command", message: `unknown command "${command}"; commands: ${ACTION_COMMANDS.join(", ")}` });
  let args = command === "inventory" ? rest.map((a, i) => a === "--json" && (i === rest.length - 1 || rest[i + 1].startsWith("-")) ? "--json=-" : a) : rest, parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: !0, strict: !0 });
  } catch (err) {
    throw new InputError(flagProblem(err));
  }
  let { values, positionals } = parsed;
  if (values.help) return { kind: "help", topic: command };
  let inputs = { command };
  for (let [flag, value] of Object.entries(values)) {
    if (flag === "summary" || value === void 0) continue;
    let input = INPUT_OF_FLAG[flag] ?? flag;
    inputs[input] = String(flag === "no-build" ? !value : value);
  }
  let problems = [];
  command === "inventory" ? positionals.length !== 1 ? problems.push({ field: "IMAGE_REF", message: '"inventory" needs exactly one image reference' }) : inputs.image = positionals[0] : positionals.length > 0 && problems.push({ field: "flags", message: `unexpected argument "${positionals[0]}"` });
  let jsonToStdout = inputs.json === "-";
  jsonToStdout && delete inputs.json;
  let request;
  try {
    request = parseActionInputs(inputs);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems.map(asFlagProblem));
  }
  if (problems.some((p) => p.field === "IMAGE_REF" && p.message.includes("exactly one")) && (problems = problems.filter((p) => p.field !== "IMAGE_REF" || p.message.includes("exactly one"))), problems.length || !request) throw new InputError(problems);
  return {
    kind: "run",
    invocation: { ...request, jsonToStdout, ...values.summary !== void 0 ? { summary: values.summary } : {} }
  };
}
function asFlagProblem(p) {
  let input = p.field?.startsWith("with.") ? p.field.slice(5) : void 0;
  if (input === void 0) return p;
  let flag = FLAG_OF_INPUT[input] ?? input;
  return { ...p, field: flag === "IMAGE_REF" ? flag : `--${flag}`, message: p.message.replace("needs this input", "needs this flag") };
}
function flagProblem(err) {
  let unknown = /^Unknown option '([^']+)'/.exec(err.message)?.[1];
  if (unknown !== void 0) {
    let flags = Object.keys(OPTIONS).map((name) => `--${name}`);
    return { field: unknown, message: `unknown flag${suggestion(unknown, flags)}` };
  }
  let value = /^Option '(?:-\w, )?(--[\w-]+)[^']*' (argument missing|does not take an argument)/.exec(err.message);
  return value ? { field: value[1], message: value[2] === "argument missing" ? "needs a value" : "takes no value (it is a switch)" } : { field: "flags", message: err.message };
}

// src/cli/help.ts
var USAGE = `rollgate \u2014 build, push, deploy pinned by digest, verify, and revert on failure

Usage: rollgate <command> [flags]

Commands:
  build      --version V                 build and push the version tags only (no target tag, no cluster)
  deploy     --env E [--version V]       build, push, move the target tag, apply, wait, smoke; revert on failure
             [--no-build]                deploy version tags pushed earlier by \`rollgate build\`
  promote    --from A --to B             no build: B's target tags -> the digests A's target tags point at
  rollback   --env E [--to V|DIGEST]     move the target tag back and redeploy
  rebuild    --env E                     nightly: rebuild the deployed version with fresh packages
  validate   [--env E] [--version V]     load, render and validate everything; writes nothing
  status     --env E                     what is deployed (versions, digests, since when), and why a rollout is stuck
  inventory  IMAGE_REF [--json [FILE]]   packages inside an image (dpkg, apk, python)

Common flags:
  -c, --config F        rollgate.yml path (default: rollgate.yml)
      --kubeconfig P    kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
      --context C       kubeconfig context (must match the environment's kubeContext)
      --force-conflicts take ownership of fields another manager set (server-side apply)
      --json F          write the result as JSON
      --summary F       write a Markdown summary
      --dotenv F        write KEY=value outputs (GitLab artifacts:reports:dotenv)
      --junit F         write the smoke test as JUnit XML (GitLab artifacts:reports:junit)
  -v, --verbose         more detail in the log
  -h, --help            this help;  --version  rollgate's version

Exit codes: 0 done; 1 failed and fully reverted; 2 invalid input, nothing changed;
            3 revert failed or incomplete (act now: the message says what to run); 4 refused to start.
`;

// src/version.ts
var VERSION = "0.1.0";

// src/report/text.ts
function textReporter(options) {
  return {
    logger: consoleLogger(options.verbose, options.env.GITLAB_CI === "true" ? "gitlab" : "plain", options.stderr),
    async finish(result, details, files, cwd) {
      if (!Object.values(files).some(Boolean)) return;
      let { writeReportFiles } = await import("./chunks/files-46D4CFLR.js");
      await writeReportFiles(files, result, details, cwd);
    }
  };
}

// src/cli/main.ts
var processIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd()
};
async function main(argv, io = processIO) {
  let inv;
  try {
    let parsed = parseArgv(argv);
    if (parsed.kind === "help")
      return io.stdout(USAGE), ExitCode.ok;
    if (parsed.kind === "version")
      return io.stdout(`${VERSION}
`), ExitCode.ok;
    inv = parsed.invocation;
  } catch (err) {
    return io.stderr(`${describeFailure(err)}
Run \`rollgate --help\` for usage.
`), exitCodeOf(err);
  }
  let tooOld = nodeTooOld(io.nodeVersion ?? process.versions.node);
  if (tooOld)
    return io.stderr(`rollgate: ${tooOld}
`), ExitCode.invalid;
  let reporter = textReporter({ verbose: inv.verbose, env: io.env, stderr: io.stderr }), ctx = {
    logger: reporter.logger,
    env: io.env,
    cwd: io.cwd,
    signal: io.signal ?? new AbortController().signal
  }, result, details = {};
  try {
    let { runCommand } = await import("./chunks/commands-5X5SG7RX.js");
    result = await runCommand(inv, ctx, { stdout: io.stdout, details: (d) => {
      details = d;
    } });
  } catch (err) {
    io.stderr(`${describeFailure(err)}
`), result = failureResult(inv.command, err, { environment: inv.env, version: inv.version });
  }
  return await reporter.finish(result, details, { ...inv.outputs, ...inv.summary !== void 0 ? { summary: inv.summary } : {} }, ctx.cwd), exitCodeFor(result);
}
var MIN_NODE = [22, 19];
function nodeTooOld(version) {
  let [major = 0, minor = 0] = version.split(".").map(Number);
  if (!(major > MIN_NODE[0] || major === MIN_NODE[0] && minor >= MIN_NODE[1]))
    return `needs Node.js ${MIN_NODE.join(".")} or newer, this is ${version}; nothing was changed (in GitLab CI use an image with Node.js 22 or 24, e.g. node:24)`;
}
function describeFailure(err) {
  return err instanceof InputError ? `rollgate: invalid input (nothing was changed):
${err.problems.map((p) => `  ${formatProblem(p)}`).join(`
`)}` : err instanceof BlockedError ? `rollgate: refused to start (nothing was changed): ${err.message}` : `rollgate: ${err instanceof Error ? err.message : String(err)}`;
}

// src/cli.ts
var CHANGES_A_CLUSTER = ["deploy", "promote", "rollback", "rebuild"], cancel = new AbortController(), guarded = CHANGES_A_CLUSTER.includes(process.argv[2] ?? "");
function onSignal(signal) {
  cancel.signal.aborted ? guarded ? process.stderr.write(`rollgate: ${signal}: still putting things back; stopping now would leave them half done
`) : process.exit(130) : (process.stderr.write(`rollgate: ${signal}: stopping${guarded ? "; whatever this run changed is put back first" : ""}
`), cancel.abort(new Error(`cancelled by ${signal}`)));
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.exitCode = await main(process.argv.slice(2), { ...processIO, signal: cancel.signal });
