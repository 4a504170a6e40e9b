// What the fault files share beyond the deploy sandbox: the real CLI as a child process (so a fault can be a
// signal), a gate in front of the API emulator (the run's kubeconfig points at it), and the writes the cluster saw.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RunResult } from '../../src/report/result.ts';
import { selfSignedCert } from '../sandbox/kube/tls-cert.ts';
import type { DeploySandbox, Project } from '../e2e/deploy-sandbox.ts';
import { startGate, type Gate } from './gate.ts';

const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Replaces the sandbox kubeconfig (e.g. one that points at a gate). */
  kubeconfig?: string;
  /** Another rollgate.yml of the project. */
  config?: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves once stderr matches. */
  stderrMatches(pattern: RegExp): Promise<void>;
  /** Sends SIGTERM and resolves once the CLI says it is stopping (it has taken the signal in). */
  terminate(): Promise<void>;
  done: Promise<CliRun>;
}

/** `rollgate deploy` of the project as a shell runs it: its own process, its own pid (so its own lock holder). */
export function startCli(t: DeploySandbox, p: Project, version: string, options: CliOptions = {}): RunningCli {
  const argv = t.argv(p, version).map((arg, i, all) => {
    if (options.kubeconfig && all[i - 1] === '--kubeconfig') return options.kubeconfig;
    if (options.config && all[i - 1] === '-c') return options.config;
    return arg;
  });
  const child = spawn(process.execPath, [CLI, ...argv], { cwd: p.dir, env: t.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiting: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of [...waiting]) {
      if (!w.pattern.test(stderr)) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const w of waiting) w.resolve();
      resolve({ code, signal, stdout, stderr });
    });
  });
  const stderrMatches = (pattern: RegExp) => new Promise<void>((resolve) => (pattern.test(stderr) || child.exitCode !== null ? resolve() : waiting.push({ pattern, resolve })));
  return {
    child,
    stderrMatches,
    async terminate() {
      child.kill('SIGTERM');
      await stderrMatches(/rollgate: SIGTERM: stopping/);
    },
    done,
  };
}

/** The --json result a run wrote. */
export function resultOf(p: Project, version: string): RunResult {
  return JSON.parse(readFileSync(join(p.dir, `${version}.json`), 'utf8')) as RunResult;
}

/**
 * A gate in front of the sandbox's API server, under the server's own certificate, and a kubeconfig like the
 * sandbox's (same token, same CA) that points at it.
 */
export async function apiGate(t: DeploySandbox, dir: string): Promise<{ gate: Gate; kubeconfig: string }> {
  const gate = await startGate(t.sandbox.api.url, { tls: selfSignedCert(dirname(t.sandbox.kubeconfigPath)) });
  const config = parse(readFileSync(t.sandbox.kubeconfigPath, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> };
  for (const c of config.clusters) c.cluster.server = gate.url;
  const kubeconfig = join(dir, 'kubeconfig-gate');
  writeFileSync(kubeconfig, stringify(config), { mode: 0o600 });
  return { gate, kubeconfig };
}

/** Whether an API path is in the project's namespace (core or apps group). */
export function inNamespace(p: Project, path: string): boolean {
  return path.startsWith(`/api/v1/namespaces/${p.namespace}/`) || path.startsWith(`/apis/apps/v1/namespaces/${p.namespace}/`);
}

/** Resolves once `check()` holds, looking every 20 ms; or when `stop` aborts. */
export async function until(check: () => boolean, stop: AbortSignal): Promise<void> {
  while (!check() && !stop.aborted) await new Promise((r) => setTimeout(r, 20));
}

/** Writes (POST, PUT, PATCH, DELETE) the API server answered since its counters were reset, as `METHOD path`. */
export function clusterWrites(t: DeploySandbox, options: { dryRun?: boolean } = {}): string[] {
  return t.sandbox.api.faults.requests
    .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && (options.dryRun || !r.query.includes('dryRun')))
    .map((r) => `${r.method} ${r.path}`);
}

/** Changes rollgate.yml of a project as a person would edit it (after `p.write`). */
export function editConfig(p: Project, edit: (config: Record<string, any>) => void, path = p.configPath): string {
  const config = parse(readFileSync(p.configPath, 'utf8')) as Record<string, any>;
  edit(config);
  writeFileSync(path, stringify(config));
  return path;
}
