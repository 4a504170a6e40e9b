// The action's entry run by @github/local-action (GitHub's runner for JavaScript actions on a workstation: inputs
// from a .env file, @actions/core stubbed, outputs and the job summary shown) against the sandbox cluster and
// registry, with a project like a user's. What is asserted is what local-action shows and what the cluster and the
// registry hold afterwards.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploymentState, SHA, useDeploySandbox, type Project } from '../e2e/deploy-sandbox.ts';
import { runLocalAction, type LocalActionOptions } from './local-action.ts';

const t = useDeploySandbox();

/** The step as a workflow would write it: `uses: rollgate@v1` with `with:` inputs, in a checkout of the project. */
function step(p: Project, version: string, inputs: Record<string, string> = {}): LocalActionOptions {
  return {
    dir: mkdtempSync(join(p.dir, '..', 'step-')),
    inputs: { command: 'deploy', env: 'dev', version, kubeconfig: t.sandbox.kubeconfigPath, ...inputs },
    env: { GITHUB_WORKSPACE: p.dir, GITHUB_SHA: SHA, RUNNER_TEMP: t.runnerTemp, DOCKER_HOST: t.env().DOCKER_HOST!, SOURCE_DATE_EPOCH: '1700000000' },
  };
}

describe('the action entry under @github/local-action', () => {
  it('deploys a good first release: exit 0, outputs deployed with the digest, the summary says deployed, the cluster runs it', async () => {
    const p = t.project('action-good');
    p.write({ mode: 'good', greeting: 'hello v1' });

    const run = await runLocalAction(step(p, 'v1.0.0'));

    expect(run.code, run.output).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'deployed', 'exit-code': '0' });
    const digest = JSON.parse(run.outputs.digests!).web as string;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(run.outputs.result!)).toMatchObject({ command: 'deploy', outcome: 'deployed', version: 'v1.0.0', smoke: { passed: true } });
    // local-action's own table of outputs, after the run.
    expect(run.output).toMatch(/Action Outputs[\s\S]*'outcome'\s*│\s*'deployed'/);
    expect(run.summary).toMatch(/deployed/);
    expect(run.summary).toContain(digest);

    expect(await t.tagDigest(p, 'dev')).toBe(digest);
    expect(await t.tagDigest(p, 'v1.0.0')).toBe(digest);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${digest}` });
  });

  it('fails a release that crashes at start and reverts it: exit 1, reverted, the crash, the revert and the time to safe in the summary', async () => {
    const { p, v1 } = await t.v1Deployed('action-crash');
    p.write({ mode: 'crash', greeting: 'hello v2' });
    // The kubeconfig as a repository secret would pass it: its token must show nowhere.
    const kubeconfig = readFileSync(t.sandbox.kubeconfigPath, 'utf8');
    const token = /token: (\S+)/.exec(kubeconfig)![1]!;
    const options = step(p, 'v2.0.0', { kubeconfig: '', 'kubeconfig-contents': kubeconfig });

    const run = await runLocalAction(options);

    expect(run.code, run.output).toBe(1);
    expect(run.outputs).toMatchObject({ outcome: 'reverted', 'exit-code': '1' });
    const result = JSON.parse(run.outputs.result!);
    expect(result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'rollout',
      rollout: { failure: { rule: 'crash-loop', resource: `Deployment ${p.namespace}/web`, container: 'web' } },
      revert: { tagRestored: true, workloadsRestored: true, timeToSafeSeconds: expect.any(Number) },
    });
    const v2 = JSON.parse(run.outputs.digests!).web as string;
    expect(v2).not.toBe(v1);
    // The step fails with an error annotation naming the cause.
    expect(run.output).toMatch(/^::error::.*crash-loop/m);
    // Meaning, not layout: the summary names the cause, says what the revert did, and how long until safe.
    expect(run.summary).toMatch(/reverted/);
    expect(run.summary).toContain('crash-loop');
    expect(run.summary).toContain('missing setting DATABASE_URL');
    expect(run.summary).toContain(`${p.namespace}/web`);
    expect(run.summary).toMatch(/restored|put back|back on/i);
    expect(run.summary).toMatch(/safe[^\n]*\b\d+(\.\d+)? ?s(ec(ond)?s?)?\b/i);
    for (const printed of [run.output, run.summary]) expect(printed).not.toContain(token);

    await t.expectV1Serving(p, v1);
    expect(await t.tagDigest(p, 'v2.0.0')).toBe(v2);
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it('puts tag and workloads back when the job is cancelled (SIGTERM) during the rollout; the post step then finds nothing left', async () => {
    const { p, v1 } = await t.v1Deployed('action-cancel');
    p.write({ mode: 'slow', greeting: 'hello v2' });
    let signalled = false;

    const run = await runLocalAction({
      ...step(p, 'v2.0.0'),
      post: true,
      watch: (output, action) => {
        if (signalled || !/^::info::web: \d+\/1 updated/m.test(output)) return;
        const pid = action.pid();
        if (pid === undefined) return;
        signalled = true;
        // What a runner does to a cancelled step: signal its node process.
        process.kill(pid, 'SIGTERM');
      },
    });

    expect(signalled, run.output).toBe(true);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/^::warning::.*SIGTERM/m);
    expect(JSON.parse(run.outputs.result!)).toMatchObject({ outcome: 'reverted', failedStage: 'cancelled', revert: { tagRestored: true, workloadsRestored: true } });
    // The post step ran after the main step, and had nothing to restore: main had put everything back.
    expect(run.output).toMatch(/Running Post Step[\s\S]*Action Outputs/);
    // It was the post step, not a second main step: one set of outputs, one summary section.
    expect(run.output.match(/^::set-output name=outcome::/gm)).toHaveLength(1);
    expect(run.summary).not.toMatch(/cancelled deploy/);
    p.write({ mode: 'good', greeting: 'hello v1' });
    await t.expectV1Serving(p, v1);
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });
});
