// rollgate against a real cluster and registry named by ROLLGATE_E2E_* (a kind cluster in CI, the sandbox here, any
// cluster you point it at): the CLI as a user runs it, checked with kubectl and the registry's own API.
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProjects, served, webDeployment, type Project } from './project.ts';
import { kubectl, tagDigest, targetFromEnv, VARIABLES, type CliRun } from './target.ts';

const target = targetFromEnv(process.env, resolve(import.meta.dirname, '../..'));
const skipped = target ? '' : ` (skipped: set ${Object.values(VARIABLES).join(', ')}; see test/e2e-cluster/README.md)`;
if (!target) console.warn(`rollgate e2e cluster suite${skipped}`);

/** The CLI's own account of a run, for assertion messages. */
const told = (run: CliRun) => `exit ${run.code}\n${run.stderr}\n${run.stdout}`;

describe.skipIf(!target)(`rollgate on a real cluster${skipped}`, () => {
  const t = target!;
  const projects = target ? makeProjects(t) : undefined;
  afterAll(async () => {
    projects?.removeFolders();
    const namespaces = projects?.namespaces() ?? [];
    if (namespaces.length) await kubectl(t, ['delete', 'namespace', '--ignore-not-found', '--wait=false', ...namespaces]);
  });

  /** dev's tag on `digest`, the Deployment pinned to it and Available, and the Service serving `greeting`. */
  async function expectServing(p: Project, env: 'dev' | 'stg', digest: string, greeting: string) {
    expect(await tagDigest(p.repository, env)).toBe(digest);
    expect(await webDeployment(t, p.namespace[env])).toEqual({ available: true, image: `${p.repository}:${env}@${digest}` });
    expect(await served(t, p.namespace[env])).toBe(greeting);
  }

  async function v1Deployed(name: string): Promise<{ p: Project; v1: string }> {
    const p = projects!.project(name);
    p.write('good', 'hello v1');
    const run = await p.run(['deploy', '--env', 'dev', '--version', 'v1.0.0']);
    expect(run.code, told(run)).toBe(0);
    return { p, v1: run.result!.images[0]!.digest };
  }

  it('deploys a good first release: dev and v1.0.0 on the built digest, the Deployment pinned and Available, the smoke test passed', async () => {
    const p = projects!.project('good');
    p.write('good', 'hello v1');

    const run = await p.run(['deploy', '--env', 'dev', '--version', 'v1.0.0']);

    expect(run.code, told(run)).toBe(0);
    expect(run.result).toMatchObject({ command: 'deploy', outcome: 'deployed', version: 'v1.0.0', smoke: { passed: true } });
    const digest = run.result!.images[0]!.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await tagDigest(p.repository, 'v1.0.0')).toBe(digest);
    await expectServing(p, 'dev', digest, 'hello v1');
  });

  it('detects a release that crashes at start and reverts: exit 1, the crash named, dev and the Deployment back on v1', async () => {
    const { p, v1 } = await v1Deployed('crash');
    p.write('crash', 'hello v2');

    const run = await p.run(['deploy', '--env', 'dev', '--version', 'v2.0.0']);

    expect(run.code, told(run)).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'rollout',
      images: [{ previousDigest: v1 }],
      rollout: { failure: { rule: 'crash-loop', resource: `Deployment ${p.namespace.dev}/web`, container: 'web' } },
      revert: { tagRestored: true, workloadsRestored: true, timeToSafeSeconds: expect.any(Number) },
    });
    expect(run.stderr + run.stdout).toContain('missing setting DATABASE_URL');
    const v2 = run.result!.images[0]!.digest;
    expect(v2).not.toBe(v1);
    // The version tag stays: v2 can be looked at, it is just not deployed.
    expect(await tagDigest(p.repository, 'v2.0.0')).toBe(v2);
    await expectServing(p, 'dev', v1, 'hello v1');
  });

  it('promotes what dev runs to stg: stg on the same digest, the stg Deployment pinned to it and Available', async () => {
    const { p, v1 } = await v1Deployed('promote');

    const run = await p.run(['promote', '--from', 'dev', '--to', 'stg']);

    expect(run.code, told(run)).toBe(0);
    expect(run.result).toMatchObject({ command: 'promote', outcome: 'deployed', version: 'v1.0.0', images: [{ digest: v1, targetTag: 'stg' }], smoke: { passed: true } });
    await expectServing(p, 'stg', v1, 'hello v1');
    await expectServing(p, 'dev', v1, 'hello v1');
  });

  it('rolls dev back from a good v2 to v1, the previous version tag', async () => {
    const { p, v1 } = await v1Deployed('rollback');
    p.write('good', 'hello v2');
    const v2 = await p.run(['deploy', '--env', 'dev', '--version', 'v2.0.0']);
    expect(v2.code, told(v2)).toBe(0);
    await expectServing(p, 'dev', v2.result!.images[0]!.digest, 'hello v2');

    p.write('good', 'hello v1');
    const run = await p.run(['rollback', '--env', 'dev']);

    expect(run.code, told(run)).toBe(0);
    expect(run.result).toMatchObject({ command: 'rollback', outcome: 'deployed', version: 'v1.0.0', images: [{ digest: v1, previousDigest: v2.result!.images[0]!.digest }] });
    await expectServing(p, 'dev', v1, 'hello v1');
  });

  it('shows what is deployed, and names the crash when someone else starts a crashing rollout', async () => {
    const { p, v1 } = await v1Deployed('status');

    const ready = await p.run(['status', '--env', 'dev']);
    expect(ready.code, told(ready)).toBe(0);
    expect(ready.stdout).toMatch(/^Deployment web: rolled out, 1\/1 ready/m);
    expect(ready.stdout).toContain(`${p.repository}:dev@${v1}`);

    // Someone builds a crashing v2 and sets it by hand, without rollgate.
    p.write('crash', 'hello v2');
    const build = await p.run(['build', '--version', 'v2.0.0']);
    expect(build.code, told(build)).toBe(0);
    await kubectl(t, ['set', 'image', 'deployment/web', `web=${p.repository}@${build.result!.images[0]!.digest}`, '-n', p.namespace.dev]);

    const stuck = await eventually(async () => {
      const run = await p.run(['status', '--env', 'dev']);
      return /^Deployment web: STUCK/m.test(run.stdout) ? run : undefined;
    });
    expect(stuck.code, told(stuck)).toBe(0);
    expect(stuck.result?.message).toMatch(/not ready: web failed/);
    expect(stuck.stdout).toContain('[crash-loop]');
    expect(stuck.stdout).toContain('missing setting DATABASE_URL');
  });
});

/** `check` again every second until it returns something (a rollout's pods crash in their own time). */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
