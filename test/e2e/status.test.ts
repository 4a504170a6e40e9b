// rollgate status against the sandbox after real deploys: where the target tag points (the version tags on its
// digest, the commit from the image's labels), what the workloads run, and a workload that runs something else than
// the tag (moved by hand here with skopeo, as a person would) called out as drift.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { annotation } from '../../src/report/github.ts';
import { summaryMarkdown } from '../../src/report/summary.ts';
import { SHA, useDeploySandbox } from './deploy-sandbox.ts';

const t = useDeploySandbox();

describe('rollgate status', () => {
  it('names the version and commit the target tag points at, and the workloads running it', async () => {
    const { p } = await t.v1Deployed('status');
    p.write({ mode: 'good', greeting: 'hello v2' });
    const v2 = await t.deploy(p, 'v2.0.0');
    expect(v2.code, v2.log.lines.join('\n')).toBe(0);
    const digest = v2.result.images[0]!.digest;

    const run = await t.cli(p, ['status', '--env', 'dev']);

    expect(run.code, run.log).toBe(0);
    expect(run.result).toMatchObject({ command: 'status', outcome: 'unchanged', environment: 'dev', version: 'v2.0.0' });
    expect(run.result.images).toEqual([{ name: 'web', repository: p.repository, digest, tags: ['v2.0.0'], targetTag: 'dev' }]);
    expect(run.result.message).toBe('dev runs v2.0.0; all 1 workloads ready');
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe(`web: ${p.repository}:dev -> v2.0.0, ${digest}, commit ${SHA.slice(0, 12)}, running in Deployment web`);
    expect(lines).toContain(`  web: ${p.repository}:dev@${digest} (v2.0.0)`);
    expect(run.stdout).not.toContain('DRIFT');
    // On GitHub: the job summary shows the same text, and the notice names the environment.
    expect(summaryMarkdown(run.result, run.details)).toBe(`### rollgate status of dev: unchanged\n\ndev runs v2.0.0; all 1 workloads ready\n\n\`\`\`text\n${run.stdout.trimEnd()}\n\`\`\`\n`);
    expect(annotation(run.result)).toEqual({ level: 'notice', title: 'rollgate status of dev: unchanged', text: 'dev runs v2.0.0; all 1 workloads ready' });
  });

  it('calls out a workload that runs another digest than the target tag points at', async () => {
    const { p, v1 } = await t.v1Deployed('status-drift');
    p.write({ mode: 'good', greeting: 'hello v2' });
    const v2 = await t.deploy(p, 'v2.0.0');
    expect(v2.code, v2.log.lines.join('\n')).toBe(0);
    const running = v2.result.images[0]!.digest;
    // Someone points dev back at v1 by hand; the cluster still runs v2.
    await promisify(execFile)('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${p.repository}:v1.0.0`, `docker://${p.repository}:dev`]);

    const run = await t.cli(p, ['status', '--env', 'dev']);

    expect(run.code, run.log).toBe(0);
    expect(run.result.images).toEqual([{ name: 'web', repository: p.repository, digest: v1, tags: ['v1.0.0'], targetTag: 'dev' }]);
    expect(run.result.message).toBe('dev runs v1.0.0; all 1 workloads ready; web drifted from dev (Deployment web)');
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe(`web: ${p.repository}:dev -> v1.0.0, ${v1}, commit ${SHA.slice(0, 12)}, run by no workload`);
    expect(lines[2]).toBe(
      `  DRIFT: Deployment web (web) runs v2.0.0 (${running}), not what dev points at: ` +
        'a deploy that did not finish, or a change by hand; deploy again, or rollback to what should run',
    );
  });

  it('says when nothing was deployed to the environment yet', async () => {
    const p = t.project('status-none');
    p.write({ mode: 'good', greeting: 'hello v1' });

    const run = await t.cli(p, ['status', '--env', 'dev']);

    expect(run.code, run.log).toBe(0);
    expect(run.result.images).toEqual([]);
    expect(run.stdout.split('\n')[1]).toBe(`web: ${p.repository}:dev does not exist: nothing deployed to this environment yet`);
  });
});
