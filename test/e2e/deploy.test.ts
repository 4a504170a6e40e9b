// rollgate deploy against the sandbox: real docker builds pushed to the registry, the target tag moved and put back
// by the registry's own answers, the workloads rolled out and restored by the Kubernetes API emulator's kubelet
// running real containers, the smoke test through the API server's service proxy.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deploymentState, READ_STEP, useDeploySandbox, type Project } from './deploy-sandbox.ts';

const t = useDeploySandbox();

/** A project with v1 deployed and verified: the state every later release starts from. */
async function v1Deployed(name: string): Promise<{ p: Project; v1: string }> {
  const p = t.project(name);
  p.write({ mode: 'good', greeting: 'hello v1' });
  const run = await t.deploy(p, 'v1.0.0');
  expect(run.code, run.log.lines.join('\n')).toBe(0);
  return { p, v1: run.result.images[0]!.digest };
}

/** Tag and Deployment back on v1, and v1 passes the smoke scenario of the project's rollgate.yml. */
async function expectV1Serving(p: Project, v1: string): Promise<void> {
  expect(await t.tagDigest(p, 'dev')).toBe(v1);
  expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
  const smoke = await t.smoke(p);
  expect(smoke.passed, smoke.message).toBe(true);
}

describe('rollgate deploy', () => {
  it('deploys a good first release: tag dev on its digest, the Deployment pinned and Available, the smoke test passed', async () => {
    const p = t.project('good');
    p.write({ mode: 'good', greeting: 'hello v1' });
    const run = await t.deploy(p, 'v1.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(0);
    expect(run.result).toMatchObject({ command: 'deploy', outcome: 'deployed', environment: 'dev', version: 'v1.0.0', smoke: { passed: true } });
    const [image] = run.result.images;
    expect(image).toEqual({ name: 'web', repository: p.repository, digest: expect.stringMatching(/^sha256:/), tags: ['v1.0.0'], targetTag: 'dev' });
    expect(await t.tagDigest(p, 'dev')).toBe(image!.digest);
    expect(await t.tagDigest(p, 'v1.0.0')).toBe(image!.digest);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${image!.digest}` });
    expect(run.log.lines).toContainEqual(expect.stringMatching(/^manifests: 2 to create, 0 to change, 1 unchanged/));
    expect(run.stdout).toContain(`web: ${p.repository}@${image!.digest}, dev moved (new tag)`);
    // A finished run leaves no restore state behind.
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it('detects a release that crashes at start, puts tag and Deployment back on v1, and v1 passes the smoke test again', async () => {
    const { p, v1 } = await v1Deployed('crash');
    p.write({ mode: 'crash', greeting: 'hello v2' });
    const run = await t.deploy(p, 'v2.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'rollout',
      images: [{ name: 'web', targetTag: 'dev', previousDigest: v1 }],
      rollout: { failure: { rule: 'crash-loop', resource: `Deployment ${p.namespace}/web`, container: 'web' } },
      revert: { tagRestored: true, workloadsRestored: true, timeToSafeSeconds: expect.any(Number), tags: [{ reference: `${p.repository}:dev`, status: 'restored', digest: v1 }] },
    });
    expect(run.result.images[0]!.digest).not.toBe(v1);
    expect(run.log.lines.join('\n')).toContain('missing setting DATABASE_URL');
    await expectV1Serving(p, v1);
    // Version tags are kept: v2 can be looked at, it just is not deployed.
    expect(await t.tagDigest(p, 'v2.0.0')).toBe(run.result.images[0]!.digest);
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it('ends the smoke test at the first failing write, not after its duration, and reverts', async () => {
    const { p, v1 } = await v1Deployed('write');
    const write = { name: 'create a record', method: 'POST', path: '/records', json: { amount: 12 }, expect: { status: [201] } };
    p.write({ mode: 'good', greeting: 'hello v2', smoke: { duration: '60s', interval: '1s', steps: [READ_STEP, write] } });
    const run = await t.deploy(p, 'v2.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    // One round: the read and the failing write. Sixty rounds would have been 120 requests.
    expect(run.result).toMatchObject({ outcome: 'reverted', failedStage: 'smoke', smoke: { passed: false, requests: 2, failures: 1 }, revert: { tagRestored: true, workloadsRestored: true } });
    expect(run.result.smoke!.message).toContain('create a record');
    expect(run.result.rollout).toBeUndefined();
    p.write({ mode: 'good', greeting: 'hello v1' });
    await expectV1Serving(p, v1);
  });

  it('leaves no target tag and no workload behind when a first deploy fails', async () => {
    const p = t.project('first');
    p.write({ mode: 'crash', greeting: 'hello v1' });
    const run = await t.deploy(p, 'v1.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    expect(run.result).toMatchObject({ outcome: 'reverted', failedStage: 'rollout', rollout: { failure: { rule: 'crash-loop' } }, revert: { tagRestored: true, workloadsRestored: true, tags: [] } });
    expect(run.result.images[0]).not.toHaveProperty('previousDigest');
    expect(await t.tagDigest(p, 'dev')).toBeUndefined();
    expect(await t.tagDigest(p, 'v1.0.0')).toBe(run.result.images[0]!.digest);
    expect(await t.deployment(p)).toBeUndefined();
    expect(await t.cluster.get({ apiVersion: 'v1', kind: 'Service', namespace: p.namespace, name: 'web' })).toBeUndefined();
  });
});
