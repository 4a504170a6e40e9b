// The real Distribution registry (Debian's docker-registry) on a free loopback port, with its own storage.
import { spawn, type ChildProcess } from 'node:child_process';
import bcrypt from 'bcryptjs';
import { mkdirSync, writeFileSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface RunningRegistry {
  /** host:port, e.g. 127.0.0.1:41234 */
  host: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Folder for storage, config and log. */
  dir: string;
  /** With users, the registry asks for Basic auth (htpasswd, bcrypt). */
  users?: Record<string, string>;
  /** With token, the registry asks for Bearer tokens from `realm` and trusts those signed by `rootCertBundle` (PEM). */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
  port?: number;
}

const BINARY = '/usr/bin/docker-registry';

export async function startRegistry(opts: RegistryOptions): Promise<RunningRegistry> {
  const port = opts.port ?? (await freePort());
  mkdirSync(join(opts.dir, 'storage'), { recursive: true });
  const auth = opts.users ? htpasswdAuth(opts.dir, opts.users) : opts.token ? tokenAuth(opts.token) : '';
  const config = join(opts.dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage:
  filesystem: { rootdirectory: ${join(opts.dir, 'storage')} }
  delete: { enabled: true }
  maintenance: { uploadpurging: { enabled: false } }
http:
  addr: 127.0.0.1:${port}
  secret: rollgate-sandbox
${auth}`,
  );
  const log = openSync(join(opts.dir, 'registry.log'), 'a');
  const child: ChildProcess = spawn(BINARY, ['serve', config], { stdio: ['ignore', log, log], detached: true });
  child.unref();
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`registry on ${url}`, async () => {
    if (child.exitCode !== null) throw new Error(`registry exited with ${child.exitCode}; see ${opts.dir}/registry.log`);
    const res = await fetch(`${url}/v2/`);
    return res.status === 200 || res.status === 401;
  });
  return {
    host: `127.0.0.1:${port}`,
    url,
    pid: child.pid!,
    stop: () => stopProcess(child.pid!),
  };
}

function htpasswdAuth(dir: string, users: Record<string, string>): string {
  // Distribution accepts only bcrypt entries in htpasswd.
  const lines = Object.entries(users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}`);
  const file = join(dir, 'htpasswd');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return `auth:\n  htpasswd: { realm: rollgate-sandbox, path: ${file} }\n`;
}

function tokenAuth(token: NonNullable<RegistryOptions['token']>): string {
  const { realm, service, issuer, rootCertBundle } = token;
  return `auth:\n  token: { realm: "${realm}", service: "${service}", issuer: "${issuer}", rootcertbundle: ${rootCertBundle} }\n`;
}

export async function stopProcess(pid: number, timeoutMs = 5000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
