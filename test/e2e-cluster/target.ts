// The cluster and registry the suite runs against, from the environment, and the three things it drives them with:
// the rollgate CLI as a child process, kubectl, and the registry's own HTTP API (what a tag points at).
// Nothing here knows about the sandbox: a kind cluster with its local registry, or any cluster, works the same.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const VARIABLES = {
  kubeconfig: 'ROLLGATE_E2E_KUBECONFIG',
  registry: 'ROLLGATE_E2E_REGISTRY',
  baseImage: 'ROLLGATE_E2E_BASE_IMAGE',
} as const;

export interface Target {
  /** Path of the kubeconfig. */
  kubeconfig: string;
  /** Its context to use; the kubeconfig's current context when absent. */
  context?: string;
  /** `host:port` of a registry that docker pushes to and the cluster's nodes pull from, without auth. */
  registry: string;
  /** An image with a busybox `sh` and `httpd` that docker can build FROM. */
  baseImage: string;
  /** The rollgate CLI script run with this Node: src/cli.ts, or the bundle (dist/cli.js). */
  cli: string;
}

/**
 * The target from ROLLGATE_E2E_* variables. None set: undefined (the suite is skipped). Some set: an error naming
 * what is missing or wrong, since a half-configured run should not pass as skipped.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv, root: string): Target | undefined {
  const names = Object.values(VARIABLES);
  const set = names.filter((name) => env[name]);
  if (!set.length) return undefined;
  const problems = names.filter((name) => !env[name]).map((name) => `${name} is not set`);
  const kubeconfig = env[VARIABLES.kubeconfig] ?? '';
  if (kubeconfig && !existsSync(kubeconfig)) problems.push(`${VARIABLES.kubeconfig}: ${kubeconfig} does not exist`);
  const registry = env[VARIABLES.registry] ?? '';
  if (registry && !/^[\w.-]+(:\d+)?$/.test(registry)) problems.push(`${VARIABLES.registry}: "${registry}" is not host[:port]`);
  const cli = resolve(root, env.ROLLGATE_E2E_CLI || 'src/cli.ts');
  if (!existsSync(cli)) problems.push(`ROLLGATE_E2E_CLI: ${cli} does not exist`);
  if (problems.length) throw new Error(`the e2e cluster suite is half configured (see test/e2e-cluster/README.md):\n  ${problems.join('\n  ')}`);
  return { kubeconfig, registry, baseImage: env[VARIABLES.baseImage]!, cli, ...(env.ROLLGATE_E2E_CONTEXT ? { context: env.ROLLGATE_E2E_CONTEXT } : {}) };
}

export interface CliRun {
  code: number | null;
  /** What --json wrote; undefined when the run wrote none. */
  result: RunResultJson | undefined;
  stdout: string;
  stderr: string;
}

/** The parts of the --json result the suite reads (DESIGN.md, "--json FILE"). */
export interface RunResultJson {
  command: string;
  outcome: string;
  version?: string;
  message: string;
  failedStage?: string;
  images: Array<{ name: string; repository: string; digest: string; tags: string[]; targetTag?: string; previousDigest?: string }>;
  rollout?: { failure?: { rule: string; resource: string; container?: string; message: string } };
  smoke?: { passed: boolean; requests: number; failures: number };
  revert?: { tagRestored: boolean; workloadsRestored: boolean; timeToSafeSeconds: number };
}

/** `rollgate <args> --kubeconfig K [--context C] --json F`, run in `cwd` with `env` added to this process's. */
export function rollgate(target: Target, args: string[], options: { cwd: string; json: string; env: Record<string, string> }): Promise<CliRun> {
  const argv = [target.cli, ...args, '--kubeconfig', target.kubeconfig, ...(target.context ? ['--context', target.context] : []), '--json', options.json];
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, argv, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = existsSync(options.json) ? (JSON.parse(readFileSync(options.json, 'utf8')) as RunResultJson) : undefined;
      done({ code, result, stdout, stderr });
    });
  });
}

/** kubectl against the target; its stdout. */
export async function kubectl(target: Target, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', target.kubeconfig, ...(target.context ? ['--context', target.context] : []), ...args], { maxBuffer: 16 << 20 });
  return stdout;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The digest `repository:tag` points at, asked of the registry; undefined when the tag does not exist. */
export async function tagDigest(repository: string, tag: string): Promise<string | undefined> {
  const slash = repository.indexOf('/');
  const host = repository.slice(0, slash);
  // A loopback registry (kind's local registry, the sandbox's) speaks plain HTTP, as docker and rollgate assume.
  const scheme = /^(localhost|127(\.\d+){3}|\[::1\])(:\d+)?$/.test(host) ? 'http' : 'https';
  const response = await fetch(`${scheme}://${host}/v2/${repository.slice(slash + 1)}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`HEAD ${repository}:${tag}: the registry answered ${response.status}`);
  return response.headers.get('docker-content-digest') ?? undefined;
}
