import { describe, expect, it } from 'vitest';
import { githubReporter, type ActionsCore } from '../../src/report/github.ts';
import type { RunResult } from '../../src/report/result.ts';

/** @actions/core as a recorder: every call, in order. */
function fakeCore() {
  const calls: Array<[string, ...unknown[]]> = [];
  const rec = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  const core: ActionsCore = {
    debug: rec('debug'), info: rec('info'), warning: rec('warning'), error: rec('error'), notice: rec('notice'),
    startGroup: rec('startGroup'), endGroup: rec('endGroup'), setOutput: rec('setOutput'),
    summary: { addRaw: (text: string) => ({ write: async () => void calls.push(['summary', text]) }) },
  };
  return { core, calls };
}

const REVERTED: RunResult = {
  command: 'deploy',
  outcome: 'reverted',
  environment: 'dev',
  version: 'v2.0.0',
  images: [{ name: 'web', repository: 'r.example/web', digest: 'sha256:bbb', tags: ['v2.0.0'], targetTag: 'dev', previousDigest: 'sha256:aaa' }],
  rollout: {
    failure: { rule: 'crash-loop', resource: 'Deployment dev/web', container: 'web', message: 'exited with code 3: missing setting DATABASE_URL' },
    workloads: [{ resource: 'Deployment dev/web', status: 'failed', seconds: 2.4 }],
  },
  revert: { tagRestored: true, workloadsRestored: true, timeToSafeSeconds: 0.6, tags: [{ image: 'web', reference: 'r.example/web:dev', status: 'restored', digest: 'sha256:aaa' }] },
  failedStage: 'rollout',
  timings: {},
  message: 'rollout failed: crash-loop: exited with code 3: missing setting DATABASE_URL; reverted in 0.6 s',
};

describe('the GitHub reporter', () => {
  it('ends a reverted deploy with its outputs, one error annotation naming cause, revert and time to safe, and the job summary', async () => {
    const { core, calls } = fakeCore();
    await githubReporter(core).finish(REVERTED, { diagnosis: 'pod web-1: CrashLoopBackOff' }, {}, '/tmp');

    expect(calls.filter((c) => c[0] === 'setOutput').map((c) => c.slice(1, 2)).flat()).toEqual(['outcome', 'exit-code', 'digests', 'result', 'message']);
    expect(calls).toContainEqual(['setOutput', 'exit-code', '1']);
    expect(calls.filter((c) => c[0] === 'error')).toEqual([['error', REVERTED.message, { title: 'rollgate deploy to dev: failed and reverted, safe after 0.6 s' }]]);
    const summary = calls.find((c) => c[0] === 'summary')![1] as string;
    expect(summary).toContain('### rollgate deploy to dev: reverted');
    expect(summary).toContain('`crash-loop` on Deployment dev/web, container web: exited with code 3: missing setting DATABASE_URL');
    expect(summary).toContain('| Deployment dev/web | failed | 2.4 s |');
    expect(summary).toContain('**Revert**: target tags restored, workloads restored, safe after 0.6 s');
    expect(summary).toContain('pod web-1: CrashLoopBackOff');
  });

  it('says what is left, with the commands, when the revert did not finish', async () => {
    const { core, calls } = fakeCore();
    const left = { ...REVERTED, outcome: 'revert-failed' as const, revert: { ...REVERTED.revert!, tagRestored: false, left: [{ what: 'r.example/web:dev is still on sha256:bbb', commands: ['skopeo copy docker://r.example/web@sha256:aaa docker://r.example/web:dev'] }] } };
    await githubReporter(core).finish(left, {}, {}, '/tmp');
    const [, text, props] = calls.find((c) => c[0] === 'error')!;
    expect(props).toEqual({ title: 'rollgate deploy to dev: the revert did NOT finish; act now' });
    expect(text).toContain('skopeo copy docker://r.example/web@sha256:aaa docker://r.example/web:dev');
    expect(calls).toContainEqual(['setOutput', 'exit-code', '3']);
  });

  it('notes a deploy that passed, and groups the log by stage, one group open at a time', async () => {
    const { core, calls } = fakeCore();
    const reporter = githubReporter(core);
    reporter.logger.section?.('build and push');
    reporter.logger.info('building web');
    reporter.logger.section?.('rollout');
    reporter.logger.section?.(undefined);
    await reporter.finish({ ...REVERTED, outcome: 'deployed', revert: undefined, rollout: undefined, message: 'deployed v2.0.0 to dev' } as RunResult, {}, {}, '/tmp');
    expect(calls.slice(0, 5)).toEqual([['startGroup', 'rollgate: build and push'], ['info', 'building web'], ['endGroup'], ['startGroup', 'rollgate: rollout'], ['endGroup']]);
    expect(calls).toContainEqual(['notice', 'deployed v2.0.0 to dev', { title: 'rollgate deploy to dev: deployed' }]);
    expect(calls.some((c) => c[0] === 'error')).toBe(false);
  });
});
