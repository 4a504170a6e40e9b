// A Docker engine for builds and the kubelet: the one already reachable, or Debian's dockerd started here with
// its own data root and socket, no bridge and no iptables (test traffic stays on loopback).
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, openSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './ports.ts';

const run = promisify(execFile);

export interface DockerEngine {
  /** DOCKER_HOST value, e.g. unix:///work/main/.sandbox/docker/docker.sock */
  host: string;
  /** Whether this process started it (and so may stop it). */
  started: boolean;
  pid?: number;
}

export async function engineReachable(host?: string): Promise<boolean> {
  try {
    await run('docker', ['version', '--format', '{{.Server.Version}}'], {
      env: { ...process.env, ...(host ? { DOCKER_HOST: host } : {}) },
      timeout: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

/** Reuses a reachable engine (DOCKER_HOST, then our own socket), else starts dockerd under `dir`. */
export async function ensureDockerEngine(dir: string): Promise<DockerEngine> {
  const ownHost = `unix://${join(dir, 'docker.sock')}`;
  if (process.env.DOCKER_HOST && (await engineReachable(process.env.DOCKER_HOST))) {
    return { host: process.env.DOCKER_HOST, started: false };
  }
  if (existsSync(join(dir, 'docker.sock')) && (await engineReachable(ownHost))) {
    const pid = Number(readFileSync(join(dir, 'docker.pid'), 'utf8'));
    return { host: ownHost, started: false, pid };
  }
  if (!existsSync('/usr/sbin/dockerd')) throw new Error('dockerd not installed: apt-get install docker.io');
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const child = spawn(
    '/usr/sbin/dockerd',
    [
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'docker.pid')}`,
      `--host=${ownHost}`,
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  child.unref();
  await waitFor('dockerd', async () => {
    if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}; see ${dir}/dockerd.log`);
    return engineReachable(ownHost);
  }, 60_000);
  return { host: ownHost, started: true, pid: child.pid };
}

/** Force-removes every container carrying `sandbox.rollgate/cluster=<id>` (what a killed kubelet leaves). */
export async function removeLabelledContainers(host: string, clusterId: string): Promise<void> {
  const env = { ...process.env, DOCKER_HOST: host };
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=sandbox.rollgate/cluster=${clusterId}`], { env });
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length) await run('docker', ['rm', '-f', ...ids], { env });
}
