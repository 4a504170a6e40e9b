// What the deploy e2e tests share: one whole sandbox cluster per test file, and a project in a temp folder like a
// user's (a two-stage Dockerfile serving index.html and healthz with busybox httpd, manifests with a Namespace, a
// Service and a Deployment with a readiness probe, rollgate.yml), each test with its own namespace and repository.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { stringify } from 'yaml';
import { parseArgv } from '../../src/cli/args.ts';
import { runCommand } from '../../src/cli/commands.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { SmokeSpec } from '../../src/config/types.ts';
import { connectCluster, type KubeCluster } from '../../src/kube/client.ts';
import type { KubeObject } from '../../src/kube/cluster.ts';
import type { RunDetails } from '../../src/report/details.ts';
import { writeReportFiles } from '../../src/report/files.ts';
import { exitCodeFor, failureResult, type RunResult } from '../../src/report/result.ts';
import { runSmoke } from '../../src/smoke/runner.ts';
import type { SmokeResult } from '../../src/smoke/result.ts';
import { transportFor } from '../../src/smoke/target.ts';
import { headManifest } from '../image/registry-probe.ts';
import { FAST_RETRY } from '../kube/sandbox-api.ts';
import { recordingLogger, type Lines } from '../kube/tracker-cluster.ts';
import { startSandboxCluster, type SandboxCluster } from '../sandbox/kube/cluster.ts';

export const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
/** In a Secret of the manifests: it must never show in a log line, a result or a report. */
export const SECRET_VALUE = 's3cret-token-value';

/** What the image does at start: serve, crash at once, or serve after a few seconds. */
export type Mode = 'good' | 'crash' | 'slow';

const DOCKERFILE = `ARG BASE_IMAGE
FROM \${BASE_IMAGE} AS build
ARG MODE=good
ARG GREETING=hello
RUN mkdir -p /www && echo "\${GREETING}" > /www/index.html && echo ok > /www/healthz && echo "\${MODE}" > /www/mode

FROM \${BASE_IMAGE} AS runtime
COPY --from=build /www /www
CMD ["sh", "-c", "case $(cat /www/mode) in crash) echo 'missing setting DATABASE_URL'; exit 3;; slow) sleep 4;; esac; exec httpd -f -p 8080 -h /www"]
`;

export interface Project {
  dir: string;
  /** `<registry>/e2e/<name>`, no tag. */
  repository: string;
  /** The second image's repository, for a project made with `worker`. */
  workerRepository?: string;
  namespace: string;
  /** The rollgate.yml the next run reads. */
  configPath: string;
  write(options: {
    mode: Mode;
    greeting: string;
    smoke?: Partial<SmokeYaml>;
    tagPolicy?: 'before-verify' | 'after-verify';
    /** Where rollgate reaches the registry (a fault proxy), instead of the registry itself. */
    registryEndpoint?: string;
    /** The second image's mode (a project made with `worker`); default: `mode`. */
    workerMode?: Mode;
    /** The environment's apiServer (the cluster guard). */
    apiServer?: string;
  }): void;
}

export interface SmokeYaml {
  duration: string;
  interval: string;
  steps: unknown[];
}

export const READ_STEP = { name: 'read the home page', method: 'GET', path: '/', expect: { status: [200], body: 'hello' } };

export interface DeploySandbox {
  sandbox: SandboxCluster;
  cluster: KubeCluster;
  /** RUNNER_TEMP of the runs: where their restore state goes. */
  runnerTemp: string;
  /** A new project; `worker` adds a second image and its Deployment. */
  project(name: string, options?: ProjectOptions): Project;
  /** `rollgate deploy` as the CLI runs it, with the test's hooks. */
  deploy(project: Project, version: string, hooks?: Hooks): Promise<Run>;
  /** Any command as the CLI runs it (`['promote', '--from', 'dev', '--to', 'stg']`), with the project's config and the sandbox's kubeconfig. */
  cli(project: Project, args: string[]): Promise<{ code: number; result: RunResult; log: string; stdout: string; details: RunDetails }>;
  /** The environment the deploys run with (DOCKER_HOST, the commit, RUNNER_TEMP). */
  env(): Record<string, string>;
  argv(project: Project, version: string): string[];
  /** The digest `repository:tag` points at, asked of the registry directly; undefined when it does not exist. */
  tagDigest(project: Project, tag: string, repository?: string): Promise<string | undefined>;
  deployment(project: Project, name?: string): Promise<KubeObject | undefined>;
  /** The smoke scenario of the project's current rollgate.yml, run once more against what the cluster serves. */
  smoke(project: Project): Promise<SmokeResult>;
  /** A project with v1 deployed and verified: the state every later release starts from. */
  v1Deployed(name: string, options?: ProjectOptions): Promise<{ p: Project; v1: string; run: Run }>;
  /** Tag and Deployment back on v1, and v1 passes the smoke scenario of the project's rollgate.yml. */
  expectV1Serving(p: Project, v1: string): Promise<void>;
}

export interface ProjectOptions {
  /** A second image (`<repository>-worker`) and its Deployment. */
  worker?: boolean;
  /**
   * The `host:port` the repositories name, instead of the sandbox registry's: a fault proxy in front of it, so that
   * everyone pushing or pulling the images (docker, the kubelet, rollgate) goes through the proxy.
   */
  registry?: string;
}

export interface Hooks {
  /** More flags after the usual ones. */
  args?: string[];
  onRestoreState?: (file: string | undefined) => void | Promise<void>;
  signal?: AbortSignal;
  /** More process environment for the run (CI variables, for example). */
  env?: Record<string, string>;
}

export interface Run {
  code: number;
  result: RunResult;
  stdout: string;
  log: Lines;
  /** The report files written. */
  files: string[];
}

export function useDeploySandbox(): DeploySandbox {
  const t = {} as DeploySandbox;
  const host = inject('registryHost');
  let root = '';
  beforeAll(async () => {
    root = mkdtempSync(join(inject('sandboxDir'), 'deploy-'));
    t.sandbox = await startSandboxCluster({ dir: join(root, 'cluster'), dockerHost: inject('dockerHost'), pauseImage: inject('baseImage'), backOffScale: 0.1, maxGracePeriodSeconds: 1 });
    t.cluster = await connectCluster({ kubeconfig: t.sandbox.kubeconfigPath, retry: FAST_RETRY });
    t.runnerTemp = join(root, 'runner-temp');
    mkdirSync(t.runnerTemp);
  });
  afterAll(async () => {
    await t.cluster?.close();
    await t.sandbox?.stop();
  });

  t.env = () => ({ ...(process.env as Record<string, string>), DOCKER_HOST: inject('dockerHost'), GITHUB_SHA: SHA, SOURCE_DATE_EPOCH: '1700000000', RUNNER_TEMP: t.runnerTemp });

  t.project = (name, options = {}) => {
    const suffix = randomBytes(3).toString('hex');
    const dir = join(root, `${name}-${suffix}`);
    const repository = `${options.registry ?? host}/e2e/${name}-${suffix}`;
    const workerRepository = options.worker ? `${repository}-worker` : undefined;
    const namespace = `${name}-${suffix}`;
    mkdirSync(join(dir, 'app'), { recursive: true });
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'app', 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'k8s', 'web.yaml'), manifests(namespace, repository, workerRepository));
    const configPath = join(dir, 'rollgate.yml');
    const image = (repo: string, mode: Mode, greeting: string) => ({ repository: repo, context: 'app', network: 'none', buildArgs: { BASE_IMAGE: inject('baseImage'), MODE: mode, GREETING: greeting } });
    return {
      dir,
      repository,
      ...(workerRepository ? { workerRepository } : {}),
      namespace,
      configPath,
      write({ mode, greeting, smoke, tagPolicy, registryEndpoint, workerMode, apiServer }) {
        const config = {
          images: { web: image(repository, mode, greeting), ...(workerRepository ? { worker: image(workerRepository, workerMode ?? mode, greeting) } : {}) },
          tags: ['{version}'],
          builder: 'docker',
          ...(tagPolicy ? { tagPolicy } : {}),
          ...(registryEndpoint ? { registries: { [host]: { endpoint: registryEndpoint } } } : {}),
          manifests: ['k8s'],
          environments: { dev: { targetTag: 'dev', namespace, ...(apiServer ? { apiServer } : {}) } },
          rollout: { timeout: '60s', allowRestarts: 0, lockTimeout: '20s' },
          smoke: { target: { service: 'web', port: 80 }, duration: '2s', interval: '1s', steps: [READ_STEP], ...smoke },
        };
        writeFileSync(configPath, stringify(config));
      },
    };
  };

  t.argv = (project, version) => ['deploy', '-c', project.configPath, '--env', 'dev', '--version', version, '--kubeconfig', t.sandbox.kubeconfigPath, '--json', join(project.dir, `${version}.json`)];

  t.deploy = async (project, version, hooks = {}) => {
    const parsed = parseArgv([...t.argv(project, version), ...(hooks.args ?? [])]);
    if (parsed.kind !== 'run') throw new Error('not a run');
    const log = recordingLogger();
    let stdout = '';
    let result: RunResult;
    let details: RunDetails = {};
    try {
      result = await runCommand(
        parsed.invocation,
        { logger: log, env: { ...t.env(), ...hooks.env }, cwd: project.dir, signal: hooks.signal ?? new AbortController().signal, ...(hooks.onRestoreState ? { onRestoreState: hooks.onRestoreState } : {}) },
        { stdout: (text) => void (stdout += text), details: (d) => void (details = d) },
      );
    } catch (err) {
      result = failureResult('deploy', err);
    }
    // What the CLI writes for --json, --summary, --dotenv and --junit.
    const files = Object.fromEntries(['json', 'summary', 'dotenv', 'junit'].map((kind) => [kind, join(project.dir, `${version}.${kind}`)]));
    await writeReportFiles(files, result, details, project.dir);
    return { code: exitCodeFor(result), result, stdout, log, files: Object.values(files).filter((f) => existsSync(f)) };
  };

  t.cli = async (project, args) => {
    const log = recordingLogger();
    let stdout = '';
    let details: RunDetails = {};
    let result: RunResult;
    try {
      const parsed = parseArgv([...args, '-c', project.configPath, '--kubeconfig', t.sandbox.kubeconfigPath]);
      if (parsed.kind !== 'run') throw new Error('not a run');
      result = await runCommand(
        parsed.invocation,
        { logger: log, env: t.env(), cwd: project.dir, signal: new AbortController().signal },
        { stdout: (text) => void (stdout += text), details: (d) => void (details = d) },
      );
    } catch (err) {
      result = failureResult(args[0]!, err);
    }
    return { code: exitCodeFor(result), result, log: log.lines.join('\n'), stdout, details };
  };

  t.tagDigest = async (project, tag, repository = project.repository) => {
    // Asked of the registry itself even when the repository names a proxy in front of it.
    const head = await headManifest(host, repository.slice(repository.indexOf('/') + 1), tag);
    return head.status === 200 ? head.digest : undefined;
  };

  t.deployment = (project, name = 'web') => t.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: project.namespace, name });

  t.smoke = async (project) => {
    const config = loadConfig({ configPath: project.configPath, env: 'dev', environment: t.env() });
    const spec: SmokeSpec = { ...config.environments.dev!.smoke!, durationMs: 1, intervalMs: 1 };
    const transport = transportFor(spec.target, { apiServer: t.cluster.server, namespace: project.namespace, fetch: (url, init) => t.cluster.request(url, init) });
    return runSmoke(spec, { transport });
  };

  t.v1Deployed = async (name, options) => {
    const p = t.project(name, options);
    p.write({ mode: 'good', greeting: 'hello v1' });
    const run = await t.deploy(p, 'v1.0.0');
    expect(run.code, run.log.lines.join('\n')).toBe(0);
    return { p, v1: run.result.images[0]!.digest, run };
  };

  t.expectV1Serving = async (p, v1) => {
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
    const smoke = await t.smoke(p);
    expect(smoke.passed, smoke.message).toBe(true);
  };
  return t;
}

function manifests(namespace: string, repository: string, workerRepository: string | undefined): string {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-token' }, stringData: { token: SECRET_VALUE } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    deployment('web', repository),
    ...(workerRepository ? [deployment('worker', workerRepository)] : []),
  ];
  return objects.map((o) => stringify(o)).join('---\n');
}

function deployment(name: string, repository: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name,
              image: `${repository}:dev`,
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web-token', key: 'token' } } }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 10 },
            },
          ],
        },
      },
    },
  };
}

/** The Deployment's Available condition and the image its template runs. */
export function deploymentState(d: KubeObject | undefined): { available: boolean; image: string | undefined } {
  const status = d?.status as { conditions?: Array<{ type: string; status: string }>; availableReplicas?: number; updatedReplicas?: number } | undefined;
  const spec = d?.spec as { template: { spec: { containers: Array<{ image: string }> } } } | undefined;
  return {
    available: status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') === true && status.availableReplicas === 1 && status.updatedReplicas === 1,
    image: spec?.template.spec.containers[0]?.image,
  };
}
