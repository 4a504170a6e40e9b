// The deploy's safety against others and against being stopped: a tag someone else moves during the run is not
// clobbered, a CLI run stopped with SIGTERM after its tag moved puts tags and workloads back, and a run killed
// outright is finished from its saved state (what the action's post step does).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { resumeRevert } from '../../src/deploy/resume.ts';
import type { SavedDeploy } from '../../src/deploy/saved-state.ts';
import { pushImage } from '../registry/images.ts';
import { recordingLogger } from '../kube/tracker-cluster.ts';
import { deploymentState, useDeploySandbox, type Project } from './deploy-sandbox.ts';

const t = useDeploySandbox();
const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

/** Runs the real CLI; `until` sees stderr as it grows and may send the process a signal. */
function cli(p: Project, version: string, until: (stderr: string, child: { kill: (signal: NodeJS.Signals) => void }) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, ...t.argv(p, version)], { cwd: p.dir, env: t.env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      until(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => done({ code, stderr }));
  });
}

const movedLine = (p: Project) => new RegExp(`${p.repository.replaceAll('.', '\\.')}:dev -> sha256:`);

describe('rollgate deploy, cancelled or raced', () => {
  it('leaves a target tag someone else moved during the run alone and reports it, and still restores the workloads', async () => {
    const { p, v1 } = await t.v1Deployed('raced');
    p.write({ mode: 'crash', greeting: 'hello v2' });
    let theirs: string | undefined;
    let stateFile: string | undefined;
    const run = await t.deploy(p, 'v2.0.0', {
      onRestoreState: async (file) => {
        if (!file || theirs) return;
        stateFile = file;
        const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedDeploy;
        expect(saved.tags).toMatchObject([{ tag: 'dev', previousDigest: v1, moved: true }]);
        // Another pipeline points dev at its own image while this run is rolling out.
        theirs = (await pushImage(inject('registryHost'), p.repository.slice(inject('registryHost').length + 1), 'dev')).digest;
      },
    });

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'rollout',
      revert: { tagRestored: false, workloadsRestored: true, tags: [{ reference: `${p.repository}:dev`, status: 'moved-by-someone-else', digest: theirs }] },
    });
    expect(run.result.message).toContain(`${p.repository}:dev moved by someone else meanwhile, left alone`);
    expect(await t.tagDigest(p, 'dev')).toBe(theirs);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
    // The restore state was private to the runner and is gone once the run has ended.
    expect(stateFile!.startsWith(t.runnerTemp)).toBe(true);
    expect(existsSync(stateFile!)).toBe(false);
  });

  it('puts tag and workloads back when the CLI gets SIGTERM during the rollout, and exits 1', async () => {
    const { p, v1 } = await t.v1Deployed('sigterm');
    p.write({ mode: 'slow', greeting: 'hello v2' });
    let stateMode = 0;
    const { code, stderr } = await cli(p, 'v2.0.0', (text, child) => {
      if (stateMode || !movedLine(p).test(text) || !/^web: \d+\/1 updated/m.test(text)) return;
      const dir = readdirSync(t.runnerTemp).find((d) => d.startsWith('rollgate-restore-dev-'));
      stateMode = statSync(join(t.runnerTemp, dir!, 'state.json')).mode & 0o777;
      child.kill('SIGTERM');
    });

    expect(code, stderr).toBe(1);
    expect(stateMode).toBe(0o600);
    expect(stderr).toContain('SIGTERM: stopping; whatever this run changed is put back first');
    const result = JSON.parse(readFileSync(join(p.dir, 'v2.0.0.json'), 'utf8'));
    expect(result).toMatchObject({ outcome: 'reverted', failedStage: 'cancelled', revert: { tagRestored: true, workloadsRestored: true } });
    await t.expectV1Serving(p, v1);
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it('finishes the revert of a run killed outright from the state it saved, as the post step does', async () => {
    const { p, v1 } = await t.v1Deployed('killed');
    p.write({ mode: 'slow', greeting: 'hello v2' });
    const { code } = await cli(p, 'v2.0.0', (text, child) => {
      if (/^web: \d+\/1 updated/m.test(text)) child.kill('SIGKILL');
    });
    expect(code).toBeNull();
    const dir = readdirSync(t.runnerTemp).find((d) => d.startsWith('rollgate-restore-dev-'))!;
    expect(await t.tagDigest(p, 'dev')).not.toBe(v1);

    const log = recordingLogger();
    const resumed = await resumeRevert({ stateFile: join(t.runnerTemp, dir, 'state.json'), registries: {}, kubeconfig: t.sandbox.kubeconfigPath, logger: log, env: t.env() });

    expect(resumed, log.lines.join('\n')).toMatchObject({ outcome: 'reverted', revert: { tagRestored: true, workloadsRestored: true } });
    p.write({ mode: 'good', greeting: 'hello v1' });
    await t.expectV1Serving(p, v1);
    expect(existsSync(join(t.runnerTemp, dir))).toBe(false);
  });
});
