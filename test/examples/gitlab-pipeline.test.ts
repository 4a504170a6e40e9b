// examples/invoice/.gitlab-ci.yml, byte for byte, run by gitlab-ci-local (GitLab's job semantics: rules, needs,
// dotenv reports, artifacts, exit codes) with its shell executor against the sandbox: the real registry, a sandbox
// cluster, and the rollgate CLI of this checkout (the pipeline's ROLLGATE variable).
//
// The project is a small one with the invoice app's layout (an image `web`, dev and stg environments, a smoke
// test): the invoice app's own build takes minutes on a cold cache and is proven by invoice-build.test.ts; what is
// under test here is the pipeline. The tests run in order, as one release story: v1 built and deployed, a broken
// v2 reverted, v1 promoted to stg, then the nightly rebuild of dev: unchanged, then a patched base image deployed.
// The base image is the sandbox's busybox with a dpkg status file, so a distribution's update is a push of it.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { connectCluster, type KubeCluster } from '../../src/kube/client.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import type { RunResult } from '../../src/report/result.ts';
import { deploymentState } from '../e2e/deploy-sandbox.ts';
import { headManifest } from '../image/registry-probe.ts';
import { FAST_RETRY } from '../kube/sandbox-api.ts';
import { startSandboxCluster, type SandboxCluster } from '../sandbox/kube/cluster.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PIPELINE = join(ROOT, 'examples/invoice/.gitlab-ci.yml');
const GITLAB_CI_LOCAL = join(ROOT, 'node_modules/.bin/gitlab-ci-local');
const run = promisify(execFile);

const DOCKERFILE = `ARG BASE_IMAGE
FROM \${BASE_IMAGE} AS build
ARG MODE=good
RUN mkdir -p /www && echo "hello from \${MODE}" > /www/index.html && echo ok > /www/healthz && echo "\${MODE}" > /www/mode

FROM \${BASE_IMAGE} AS runtime
COPY --from=build /www /www
CMD ["sh", "-c", "if [ $(cat /www/mode) = crash ]; then echo 'missing setting DATABASE_URL'; exit 3; fi; exec httpd -f -p 8080 -h /www"]
`;

interface Job {
  passed: boolean;
  /** The script's exit code when the job failed. */
  exitCode?: number;
}

interface Pipeline {
  code: number;
  stdout: string;
  /** stdout and stderr. */
  output: string;
  jobs: Record<string, Job>;
}

describe('examples/invoice/.gitlab-ci.yml under gitlab-ci-local', () => {
  let root = '';
  let dir = '';
  let sandbox: SandboxCluster;
  let cluster: KubeCluster;
  const host = inject('registryHost');
  const suffix = randomBytes(3).toString('hex');
  const repository = `${host}/gitlab/web-${suffix}`;
  const namespace = (env: string) => `gitlab-${env}-${suffix}`;
  const base = `${host}/gitlab/base-${suffix}:12`;
  const digestOf = async (tag: string) => (await headManifest(host, repository.slice(host.length + 1), tag)).digest;
  const tags = async () => (await new OciRegistry({ registries: {} }).listTags(repository)).sort();

  beforeAll(async () => {
    root = mkdtempSync(join(inject('sandboxDir'), 'gitlab-'));
    sandbox = await startSandboxCluster({ dir: join(root, 'cluster'), dockerHost: inject('dockerHost'), pauseImage: inject('baseImage'), backOffScale: 0.1, maxGracePeriodSeconds: 1 });
    cluster = await connectCluster({ kubeconfig: sandbox.kubeconfigPath, retry: FAST_RETRY });
    dir = join(root, 'project');
    pushBase('3.0.11-1');
    await writeProject();
  });
  afterAll(async () => {
    await cluster?.close();
    await sandbox?.stop();
  });

  /** Pushes `base` as the sandbox's busybox plus a dpkg status file naming libssl3 at `version`. */
  function pushBase(version: string): void {
    const context = mkdtempSync(join(root, 'base-'));
    writeFileSync(join(context, 'status'), `Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\n`);
    writeFileSync(join(context, 'Dockerfile'), `FROM ${inject('baseImage')}\nCOPY status /var/lib/dpkg/status\n`);
    const docker = (args: string[]) => execFileSync('/usr/bin/docker', args, { cwd: context, env: { ...process.env, DOCKER_HOST: inject('dockerHost') }, stdio: 'pipe' });
    docker(['build', '--network', 'none', '-q', '-t', base, '.']);
    docker(['push', '-q', base]);
  }

  /** A git repository like a user's: the example's pipeline, rollgate.yml, a Dockerfile and manifests. */
  async function writeProject(): Promise<void> {
    mkdirSync(join(dir, 'app'), { recursive: true });
    copyFileSync(PIPELINE, join(dir, '.gitlab-ci.yml'));
    writeFileSync(join(dir, 'app/Dockerfile'), DOCKERFILE);
    mkdirSync(join(dir, 'k8s/app'), { recursive: true });
    writeFileSync(join(dir, 'k8s/app/web.yaml'), [service(), deployment()].map((o) => stringify(o)).join('---\n'));
    for (const env of ['dev', 'stg']) {
      mkdirSync(join(dir, 'k8s', env));
      writeFileSync(join(dir, 'k8s', env, 'namespace.yaml'), stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace(env) } }));
    }
    const environment = (env: string) => ({ targetTag: env, namespace: namespace(env), kubeContext: 'sandbox', manifests: ['k8s/${env}'] });
    writeFileSync(
      join(dir, 'rollgate.yml'),
      stringify({
        images: { web: { repository, context: 'app', target: 'runtime', network: 'none', buildArgs: { BASE_IMAGE: base, MODE: '${MODE}' } } },
        tags: ['{version}', '{major}.{minor}'],
        builder: 'docker',
        manifests: ['k8s/app'],
        environments: { dev: environment('dev'), stg: environment('stg') },
        rollout: { timeout: '60s', allowRestarts: 0, lockTimeout: '20s' },
        smoke: { target: { service: 'web', port: 80 }, duration: '2s', interval: '1s', steps: [{ name: 'read the home page', path: '/', expect: { status: 200, body: 'hello' } }] },
      }),
    );
    const git = (...args: string[]) => run('git', args, { cwd: dir });
    await git('init', '-q', '-b', 'main');
    await git('-c', 'user.email=ci@rollgate.invalid', '-c', 'user.name=ci', 'commit', '-q', '--allow-empty', '-m', 'empty');
    await git('add', '.');
    await git('-c', 'user.email=ci@rollgate.invalid', '-c', 'user.name=ci', 'commit', '-q', '-m', 'the project');
  }

  /** gitlab-ci-local with the shell executor; `variables` are the project's CI/CD variables. */
  async function pipeline(args: string[], variables: Record<string, string>, stateDir = '.gitlab-ci-local'): Promise<Pipeline> {
    const ci = {
      // The CLI of this checkout, on Node 24 (it runs the TypeScript sources as they are).
      ROLLGATE: `node ${join(ROOT, 'src/cli.ts')}`,
      DOCKER_HOST: inject('dockerHost'),
      KUBECONFIG: sandbox.kubeconfigPath,
      ...variables,
    };
    const argv = [
      '--force-shell-executor',
      '--shell-isolation',
      '--no-color',
      '--home', join(root, 'gitlab-ci-local-home'),
      '--state-dir', stateDir,
      // They are what a tag push and a schedule set; here the test plays GitLab.
      '--ignore-predefined-vars', 'CI_COMMIT_TAG,CI_PIPELINE_SOURCE',
      ...Object.entries(ci).flatMap(([k, v]) => ['--variable', `${k}=${v}`]),
      ...args,
    ];
    const env = { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` };
    let code = 0;
    let stdout: string;
    let stderr: string;
    try {
      ({ stdout, stderr } = await run(GITLAB_CI_LOCAL, argv, { cwd: dir, env, maxBuffer: 32 << 20, timeout: 240_000 }));
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      code = e.code;
      stdout = e.stdout ?? '';
      stderr = e.stderr ?? '';
    }
    return { code, stdout, output: stdout + stderr, jobs: jobsOf(stdout + stderr) };
  }

  /** A file a job kept as an artifact (`paths:`), or its dotenv report. */
  const artifact = (job: string, file: string, stateDir = '.gitlab-ci-local') => {
    const paths = [join(dir, stateDir, 'artifacts', job, file), join(dir, stateDir, 'artifacts', job, '.gitlab-ci-reports/dotenv', file)];
    const found = paths.find((p) => existsSync(p));
    return found === undefined ? undefined : readFileSync(found, 'utf8');
  };
  const result = (job: string, file: string): RunResult => JSON.parse(artifact(job, file) ?? '{}') as RunResult;

  it('deploy-dev refuses to start without the build job\'s dotenv report: nothing is deployed', async () => {
    const p = await pipeline(['deploy-dev'], { CI_COMMIT_TAG: 'v0.9.0' }, '.gitlab-ci-local-alone');
    expect(p.jobs['deploy-dev'], p.output).toEqual({ passed: false, exitCode: 1 });
    expect(p.output).toContain('ROLLGATE_VERSION: is set by the build job dotenv report');
    expect(await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: namespace('dev'), name: 'web' })).toBeUndefined();
  });

  it('a tag pipeline: build pushes v1.0.0, its dotenv report hands the digest to deploy-dev, which deploys and verifies it', { timeout: 240_000 }, async () => {
    const p = await pipeline(['deploy-dev', '--needs'], { CI_COMMIT_TAG: 'v1.0.0', MODE: 'good' });
    expect(p.code, p.output).toBe(0);
    expect(p.jobs).toEqual({ build: { passed: true }, 'deploy-dev': { passed: true } });

    const buildEnv = dotenv(artifact('build', 'build.env'));
    const pushed = await headManifest(host, repository.slice(host.length + 1), 'v1.0.0');
    expect(buildEnv).toMatchObject({ ROLLGATE_COMMAND: 'build', ROLLGATE_OUTCOME: 'built', ROLLGATE_VERSION: 'v1.0.0', ROLLGATE_IMAGE_WEB: `${repository}@${pushed.digest}` });

    const deployed = result('deploy-dev', 'deploy.json');
    expect(deployed).toMatchObject({ command: 'deploy', outcome: 'deployed', environment: 'dev', version: 'v1.0.0' });
    expect(deployed.images.map((i) => `${i.repository}@${i.digest}`)).toEqual([buildEnv.ROLLGATE_IMAGE_WEB]);
    expect(dotenv(artifact('deploy-dev', 'deploy.env'))).toMatchObject({ ROLLGATE_OUTCOME: 'deployed', ROLLGATE_EXIT_CODE: '0', ROLLGATE_IMAGE_WEB: buildEnv.ROLLGATE_IMAGE_WEB });
    expect(artifact('deploy-dev', 'smoke.xml')).toMatch(/<testsuite [^>]*failures="0"/);

    const d = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: namespace('dev'), name: 'web' });
    expect(deploymentState(d)).toEqual({ available: true, image: `${repository}:dev@${pushed.digest}` });
  });

  it('a broken release: build passes, deploy-dev fails with rollgate\'s exit code 1 after the revert, and keeps its reports', { timeout: 240_000 }, async () => {
    const v1 = (await headManifest(host, repository.slice(host.length + 1), 'v1.0.0')).digest;
    const p = await pipeline(['deploy-dev', '--needs'], { CI_COMMIT_TAG: 'v2.0.0', MODE: 'crash' });
    expect(p.code).toBe(1);
    expect(p.jobs, p.output).toEqual({ build: { passed: true }, 'deploy-dev': { passed: false, exitCode: 1 } });

    const reverted = result('deploy-dev', 'deploy.json');
    expect(reverted).toMatchObject({ outcome: 'reverted', version: 'v2.0.0', revert: { tagRestored: true } });
    expect(reverted.rollout?.failure).toMatchObject({ rule: 'crash-loop', container: 'web' });
    const report = dotenv(artifact('deploy-dev', 'deploy.env'));
    expect(report).toMatchObject({ ROLLGATE_OUTCOME: 'reverted', ROLLGATE_EXIT_CODE: '1' });
    expect(report.ROLLGATE_MESSAGE).toMatch(/crash-loop.*reverted/);
    // The job's log says why, from the container's own last words.
    expect(p.output).toContain('| missing setting DATABASE_URL');
    expect(artifact('deploy-dev', 'smoke.xml'), 'no smoke test ran').toBeUndefined();

    expect((await headManifest(host, repository.slice(host.length + 1), 'dev')).digest).toBe(v1);
    const d = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: namespace('dev'), name: 'web' });
    expect(deploymentState(d)).toEqual({ available: true, image: `${repository}:dev@${v1}` });
  });

  it('promote-stg, run by hand, puts in stg the digest dev verified, no build', { timeout: 240_000 }, async () => {
    const v1 = (await headManifest(host, repository.slice(host.length + 1), 'v1.0.0')).digest;
    const p = await pipeline(['promote-stg'], { CI_COMMIT_TAG: 'v1.0.0' });
    expect(p.code, p.output).toBe(0);
    expect(p.jobs).toEqual({ 'promote-stg': { passed: true } });

    expect(result('promote-stg', 'promote.json')).toMatchObject({ command: 'promote', outcome: 'deployed', environment: 'stg' });
    expect((await headManifest(host, repository.slice(host.length + 1), 'stg')).digest).toBe(v1);
    const d = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: namespace('stg'), name: 'web' });
    expect(deploymentState(d)).toEqual({ available: true, image: `${repository}:stg@${v1}` });
  });

  it('a scheduled pipeline: rebuild-dev rebuilds v1, what dev runs, and with no package changed pushes and deploys nothing', { timeout: 240_000 }, async () => {
    const v1 = await digestOf('v1.0.0');
    const before = await tags();
    const p = await pipeline(['rebuild-dev'], { CI_PIPELINE_SOURCE: 'schedule', MODE: 'good' });
    expect(p.code, p.output).toBe(0);
    expect(p.jobs).toEqual({ 'rebuild-dev': { passed: true } });

    expect(result('rebuild-dev', 'rebuild.json')).toMatchObject({ command: 'rebuild', outcome: 'unchanged', environment: 'dev', version: 'v1.0.0' });
    expect(dotenv(artifact('rebuild-dev', 'rebuild.env'))).toMatchObject({ ROLLGATE_OUTCOME: 'unchanged', ROLLGATE_EXIT_CODE: '0' });
    expect(await tags()).toEqual(before);
    expect(await digestOf('dev')).toBe(v1);
  });

  it('a scheduled pipeline after the base image got a patched libssl3: rebuild-dev pushes v1.0.0_<day> and deploys it to dev', { timeout: 240_000 }, async () => {
    const v1 = await digestOf('v1.0.0');
    pushBase('3.0.13-1');
    const p = await pipeline(['rebuild-dev'], { CI_PIPELINE_SOURCE: 'schedule', MODE: 'good' });
    expect(p.code, p.output).toBe(0);
    expect(p.jobs).toEqual({ 'rebuild-dev': { passed: true } });

    const buildTag = `v1.0.0_${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    const rebuilt = await digestOf(buildTag);
    expect(rebuilt).not.toBe(v1);
    const report = result('rebuild-dev', 'rebuild.json');
    expect(report).toMatchObject({ command: 'rebuild', outcome: 'deployed', environment: 'dev', version: buildTag, smoke: { passed: true } });
    expect(report.packageChanges).toEqual([{ image: 'web', type: 'deb', name: 'libssl3', from: '3.0.11-1', to: '3.0.13-1' }]);
    expect(dotenv(artifact('rebuild-dev', 'rebuild.env'))).toMatchObject({ ROLLGATE_OUTCOME: 'deployed', ROLLGATE_EXIT_CODE: '0', ROLLGATE_IMAGE_WEB: `${repository}@${rebuilt}` });
    expect(artifact('rebuild-dev', 'rebuild.md')).toContain('libssl3 | 3.0.11-1 | 3.0.13-1');
    expect(artifact('rebuild-dev', 'smoke.xml')).toMatch(/<testsuite [^>]*failures="0"/);

    expect(await digestOf('v1.0.0')).toBe(v1);
    expect(await digestOf('dev')).toBe(rebuilt);
    const d = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: namespace('dev'), name: 'web' });
    expect(deploymentState(d)).toEqual({ available: true, image: `${repository}:dev@${rebuilt}` });
  });

  it.each([
    ['a tag pipeline', { CI_COMMIT_TAG: 'v1.0.0' }, ['build', 'deploy-dev', 'promote-stg (manual)', 'promote-prd (manual)']],
    ['a scheduled pipeline', { CI_PIPELINE_SOURCE: 'schedule' }, ['rebuild-dev', 'rebuild-stg', 'rebuild-prd']],
    ['a push to a branch', {}, []],
  ])('%s has the jobs GitLab would run', async (_name, variables, expected) => {
    const p = await pipeline(['--list-json'], variables);
    expect(p.code, p.output).toBe(0);
    const jobs = JSON.parse(p.stdout) as Array<{ name: string; when: string }>;
    expect(jobs.filter((j) => j.when !== 'never').map((j) => (j.when === 'manual' ? `${j.name} (manual)` : j.name))).toEqual(expected);
  });

  function service(): object {
    return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  }

  function deployment(): object {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'web',
                image: `${repository}:dev`,
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 10 },
              },
            ],
          },
        },
      },
    };
  }
});

/** Each job's verdict from gitlab-ci-local's log: `deploy-dev finished in 3.2 s  FAIL 1`. */
function jobsOf(output: string): Record<string, Job> {
  const jobs: Record<string, Job> = {};
  for (const m of output.matchAll(/^(\S+)\s+finished in .*$/gm)) {
    if (m[1] === 'pipeline') continue;
    const failed = /FAIL (\d+)/.exec(m[0]);
    jobs[m[1]!] = failed ? { passed: false, exitCode: Number(failed[1]) } : { passed: true };
  }
  return jobs;
}

function dotenv(text: string | undefined): Record<string, string> {
  return Object.fromEntries((text ?? '').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
