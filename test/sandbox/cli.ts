// npm run sandbox -- up|down|status|env
// Starts the local stand-ins on free loopback ports (the Kubernetes API emulator with a kubelet running real
// containers, the real registry, a Docker engine, the GAR API emulator) and
// prints the environment to use them. Idempotent: `up` reuses what runs; `down` leaves nothing running.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startRegistry, stopProcess } from './registry.ts';
import { engineReachable, ensureDockerEngine, removeLabelledContainers } from './docker-engine.ts';
import { pushBusyboxBase } from './base-image.ts';
import { waitFor } from './ports.ts';
import type { DaemonInfo } from './daemon.ts';

const ROOT = resolve(import.meta.dirname, '../../.sandbox');
const DIR = join(ROOT, 'up');
const STATE = join(DIR, 'state.json');

export interface SandboxState {
  registry: { host: string; pid: number };
  docker: { host: string; pid?: number; started: boolean };
  daemon: DaemonInfo;
  baseImage: string;
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readState(): SandboxState | undefined {
  if (!existsSync(STATE)) return undefined;
  const state = JSON.parse(readFileSync(STATE, 'utf8')) as SandboxState;
  return alive(state.registry.pid) && alive(state.daemon.pid) ? state : undefined;
}

export async function up(): Promise<SandboxState> {
  const running = readState();
  if (running) return running;
  await down(true);
  mkdirSync(DIR, { recursive: true });
  const [registry, docker] = await Promise.all([startRegistry({ dir: join(DIR, 'registry') }), ensureDockerEngine(join(ROOT, 'docker'))]);
  const base = await pushBusyboxBase(registry.host, 'sandbox/busybox', '1');
  const log = openSync(join(DIR, 'daemon.log'), 'a');
  const daemon = spawn(process.execPath, [join(import.meta.dirname, 'daemon.ts'), DIR, registry.host, docker.host, base.reference], {
    stdio: ['ignore', log, log],
    detached: true,
  });
  daemon.unref();
  await waitFor('sandbox daemon', async () => {
    if (daemon.exitCode !== null) throw new Error(`the daemon exited with ${daemon.exitCode}; see ${DIR}/daemon.log`);
    return existsSync(join(DIR, 'daemon.json'));
  }, 60_000);
  const state: SandboxState = {
    registry: { host: registry.host, pid: registry.pid },
    docker: { host: docker.host, started: docker.started, ...(docker.pid ? { pid: docker.pid } : {}) },
    daemon: JSON.parse(readFileSync(join(DIR, 'daemon.json'), 'utf8')) as DaemonInfo,
    baseImage: base.reference,
  };
  writeFileSync(STATE, JSON.stringify(state, null, 2));
  return state;
}

/** Stops what `up` started (and the Docker engine the sandbox started, unless `keepDocker`). */
export async function down(keepDocker = false): Promise<void> {
  if (existsSync(STATE)) {
    const state = JSON.parse(readFileSync(STATE, 'utf8')) as SandboxState;
    await Promise.all([stopProcess(state.daemon.pid, 30_000), stopProcess(state.registry.pid)]);
    // The daemon stops its pods' containers on SIGTERM; a daemon that was killed leaves them, labelled.
    if (await engineReachable(state.docker.host)) await removeLabelledContainers(state.docker.host, state.daemon.clusterId);
  }
  if (!keepDocker) {
    const pidFile = join(ROOT, 'docker', 'docker.pid');
    if (existsSync(pidFile)) await stopProcess(Number(readFileSync(pidFile, 'utf8')), 20_000);
  }
  rmSync(DIR, { recursive: true, force: true });
}

export function environment(state: SandboxState): Record<string, string> {
  return {
    DOCKER_HOST: state.docker.host,
    ROLLGATE_SANDBOX_REGISTRY: state.registry.host,
    ROLLGATE_SANDBOX_BASE_IMAGE: state.baseImage,
    ROLLGATE_SANDBOX_GAR_ENDPOINT: state.daemon.garUrl,
    KUBECONFIG: state.daemon.kubeconfig,
    // The GAR emulator takes any token; the adapter reads it where google-github-actions/auth puts one.
    CLOUDSDK_AUTH_ACCESS_TOKEN: 'sandbox',
  };
}

function printEnvironment(state: SandboxState): void {
  for (const [k, v] of Object.entries(environment(state))) console.log(`export ${k}=${v}`);
  console.log(`# GAR repositories (emulated, stored in the registry above): ${state.daemon.garRepositories.join(', ')}`);
  console.log(`# in rollgate.yml:  registries: { us-docker.pkg.dev: { endpoint: ${state.daemon.garUrl}, apiEndpoint: ${state.daemon.garUrl} } }`);
}

if (import.meta.main) {
  const command = process.argv[2] ?? 'status';
  if (command === 'up') {
    const state = await up();
    console.error(`sandbox up: Kubernetes API ${state.daemon.apiServer}, registry ${state.registry.host}, GAR emulator ${state.daemon.garUrl}, docker ${state.docker.host}`);
    printEnvironment(state);
  } else if (command === 'down') {
    await down();
    console.error('sandbox down: nothing of it runs any more');
  } else if (command === 'status' || command === 'env') {
    const state = readState();
    if (!state) {
      console.error('sandbox: not running (npm run sandbox -- up)');
      process.exit(1);
    }
    if (command === 'status') console.error(`sandbox running: registry pid ${state.registry.pid}, daemon pid ${state.daemon.pid}`);
    printEnvironment(state);
  } else {
    console.error('usage: npm run sandbox -- up|down|status|env');
    process.exit(2);
  }
}
