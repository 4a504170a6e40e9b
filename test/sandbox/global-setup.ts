// Starts the real services the tests use, once per test run: a registry on a free loopback port with the busybox
// base image in it, and a Docker engine (reused when one is reachable). Tests read them with inject().
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRegistry, type RunningRegistry } from './registry.ts';
import { pushBusyboxBase } from './base-image.ts';
import { ensureDockerEngine } from './docker-engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of an open registry (no auth) holding `sandbox/busybox:1`. */
    registryHost: string;
    /** `<registryHost>/sandbox/busybox:1` */
    baseImage: string;
    /** DOCKER_HOST of a running engine. */
    dockerHost: string;
    /** Folder for per-run state; removed at the end. */
    sandboxDir: string;
  }
}

export const SANDBOX_ROOT = resolve(import.meta.dirname, '../../.sandbox');

let registry: RunningRegistry | undefined;
let runDir = '';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  runDir = join(SANDBOX_ROOT, `test-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const [reg, engine] = await Promise.all([
    startRegistry({ dir: join(runDir, 'registry') }),
    ensureDockerEngine(join(SANDBOX_ROOT, 'docker')),
  ]);
  registry = reg;
  const base = await pushBusyboxBase(reg.host, 'sandbox/busybox', '1');
  project.provide('registryHost', reg.host);
  project.provide('baseImage', base.reference);
  project.provide('dockerHost', engine.host);
  project.provide('sandboxDir', runDir);
  return async () => {
    await registry?.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}
