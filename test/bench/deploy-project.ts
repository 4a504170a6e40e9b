// A project as a user has it, for the benches that run `rollgate deploy`: rollgate.yml, manifests naming
// `repository:dev` (Namespace, Service, a Deployment with a readiness probe), and two version tags pushed straight
// to the registry (no build: the deploys use --no-build), v1 good and v2 broken in a chosen way. A deploy runs either
// in this process through the CLI's own path (parseArgv + runCommand) or as the bundled CLI in a child process.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { parseArgv } from '../../src/cli/args.ts';
import { runCommand } from '../../src/cli/commands.ts';
import { exitCodeFor, failureResult, type RunResult } from '../../src/report/result.ts';
import { recordingLogger } from '../kube/tracker-cluster.ts';
import { pushOneLayerImage } from '../sandbox/base-image.ts';
import type { BenchSandbox } from './sandbox.ts';

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

export const serve = (greeting: string): string[] => [
  'sh',
  '-c',
  `mkdir -p /www && echo ok > /www/healthz && echo ${greeting} > /www/index.html && exec httpd -f -p 8080 -h /www`,
];
export const CRASH = ['sh', '-c', "echo 'missing setting DATABASE_URL'; exit 3"];

/** How long the smoke test of the project runs (its rollgate.yml): the part of a deploy that is waiting by design. */
export const SMOKE_SECONDS = 1;

export interface Project {
  dir: string;
  repository: string;
  namespace: string;
  digests: { v1: string; v2: string };
}

export type Layer = { blob: Buffer; diffId: string };

export async function project(sb: BenchSandbox, layer: Layer, name: string, v2Command: string[]): Promise<Project> {
  const dir = join(sb.dir, name);
  const path = `bench/${name}`;
  const repository = `${sb.registry.host}/${path}`;
  const push = async (tag: string, cmd: string[]) =>
    (await pushOneLayerImage(sb.registry.host, path, tag, { layer: layer.blob, diffId: layer.diffId, config: { config: { Env: ['PATH=/bin'], Cmd: cmd } } })).digest;
  const digests = { v1: await push('v1.0.0', serve('hello')), v2: await push('v2.0.0', v2Command) };
  mkdirSync(join(dir, 'app'), { recursive: true });
  mkdirSync(join(dir, 'k8s'));
  // Never built (--no-build); the config names a build context all the same.
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
  const read = { name: 'read the home page', method: 'GET', path: '/', expect: { status: [200], body: 'hello' } };
  const config = {
    images: { web: { repository, context: 'app', network: 'none' } },
    tags: ['{version}'],
    builder: 'docker',
    manifests: ['k8s'],
    environments: { dev: { targetTag: 'dev', namespace: name } },
    rollout: { timeout: '60s', allowRestarts: 0, lockTimeout: '20s' },
    smoke: { target: { service: 'web', port: 80 }, duration: `${SMOKE_SECONDS}s`, interval: '1s', steps: [read] },
  };
  writeFileSync(join(dir, 'rollgate.yml'), stringify(config));
  const container = { name: 'web', image: `${repository}:dev`, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 } };
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [container] } },
      },
    },
  ];
  writeFileSync(join(dir, 'k8s', 'web.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return { dir, repository, namespace: name, digests };
}

function argv(sb: BenchSandbox, p: Project, version: string): string[] {
  return ['deploy', '-c', join(p.dir, 'rollgate.yml'), '--env', 'dev', '--version', version, '--no-build', '--kubeconfig', sb.cluster.kubeconfigPath];
}

function environment(sb: BenchSandbox): Record<string, string> {
  const runnerTemp = join(sb.dir, 'runner-temp');
  mkdirSync(runnerTemp, { recursive: true });
  return { ...(process.env as Record<string, string>), GITHUB_SHA: SHA, RUNNER_TEMP: runnerTemp };
}

export interface DeployRun {
  code: number;
  result: RunResult;
  log: string[];
}

/** `rollgate deploy --no-build` in this process, as the CLI runs it. */
export async function deployHere(sb: BenchSandbox, p: Project, version: string): Promise<DeployRun> {
  const parsed = parseArgv(argv(sb, p, version));
  if (parsed.kind !== 'run') throw new Error('deploy argv did not parse as a run');
  const log = recordingLogger();
  let result: RunResult;
  try {
    result = await runCommand(parsed.invocation, { logger: log, env: environment(sb), cwd: p.dir, signal: new AbortController().signal }, { stdout: () => {} });
  } catch (err) {
    result = failureResult('deploy', err);
  }
  return { code: exitCodeFor(result), result, log: log.lines };
}

const execFileAsync = promisify(execFile);

/** Runs argv under /usr/bin/time: its exit code, output and peak RSS in bytes. Asynchronous: the sandbox answers it. */
export async function measured(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string; maxRssBytes: number; ms: number }> {
  const rssFile = join(process.env.TMPDIR ?? '/tmp', `rollgate-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const done = await execFileAsync('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...argv], { ...options, maxBuffer: 64 << 20 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
  const ms = performance.now() - started;
  // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
  const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
  rmSync(rssFile, { force: true });
  return { ...done, maxRssBytes: kb * 1024, ms };
}

/** The bundled CLI (dist/cli.js) in a child process: what users run. */
export async function deployProcess(sb: BenchSandbox, root: string, p: Project, version: string): Promise<DeployRun & { maxRssBytes: number; ms: number }> {
  const json = join(p.dir, `${version}.json`);
  const run = await measured([process.execPath, join(root, 'dist/cli.js'), ...argv(sb, p, version), '--json', json], { cwd: p.dir, env: environment(sb) });
  let result: RunResult;
  try {
    result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
  } catch {
    throw new Error(`dist/cli.js deploy ${version} wrote no result (exit ${run.code}):\n${run.stderr}${run.stdout}`);
  }
  return { code: run.code, result, log: `${run.stdout}${run.stderr}`.split('\n'), maxRssBytes: run.maxRssBytes, ms: run.ms };
}
