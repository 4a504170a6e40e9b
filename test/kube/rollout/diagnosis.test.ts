// The text people read when a rollout fails: the workload, why, the hint, the events, the last log lines.
import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_LOG_LINES, formatDiagnosis } from '../../../src/kube/rollout/diagnosis.ts';
import { judgeWorkload } from '../../../src/kube/rollout/rules.ts';
import type { Verdict } from '../../../src/kube/rollout/verdict.ts';
import { at, deployment, event, NEW_HASH, pod, replicaSets, T0 } from './builders.ts';

describe('formatDiagnosis', () => {
  it('a crash loop, from the verdict the rules produce, with the previous container\'s last lines', () => {
    const p = pod({
      container: {
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=web' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at(3_000), finishedAt: at(4_000) } },
      },
    });
    const events = [event(p, 'BackOff', `Back-off restarting failed container web in pod ${p.metadata!.name}_invoice-dev(pod-uid)`, { container: 'web', count: 5, at: 9_000 })];
    const { verdict } = judgeWorkload({ workload: deployment(), replicaSets: replicaSets(), pods: [p], events, since: T0 }, { now: T0 + 10_000 });
    const logs = ['Booting worker with pid: 8', "django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable", ''];
    expect(formatDiagnosis(verdict, logs)).toBe(
      [
        `Deployment invoice-dev/web will not become ready [crash-loop]: container web in pod web-${NEW_HASH}-x7k2p crashes at start (exit code 1, 3 restarts, allowRestarts: 0).`,
        '  Signal at: 2026-03-10T09:00:04.000Z',
        '  Events (newest first):',
        `    2026-03-10T09:00:09.000Z Warning BackOff (x5) Pod/web-${NEW_HASH}-x7k2p: Back-off restarting failed container web in pod web-${NEW_HASH}-x7k2p_invoice-dev(pod-uid)`,
        '  Last log lines of web (previous container):',
        '    | Booting worker with pid: 8',
        '    | django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable',
      ].join('\n'),
    );
  });

  const base: Verdict = {
    status: 'failed',
    workload: { kind: 'Deployment', namespace: 'invoice-dev', name: 'web' },
    message: 'x',
    events: [],
  };

  it('a missing ConfigMap being checked says so, with the hint', () => {
    const text = formatDiagnosis({
      ...base,
      status: 'needs-confirmation',
      rule: 'config-missing',
      message: 'container web in pod web-1 refers to ConfigMap invoice-dev/invoice-settings, which does not exist (configmap "invoice-settings" not found)',
      confirm: { kind: 'ConfigMap', namespace: 'invoice-dev', name: 'invoice-settings' },
      hint: 'Create the ConfigMap "invoice-settings" in invoice-dev with the manifests.',
    });
    expect(text.split('\n')).toEqual([
      'Deployment invoice-dev/web may not become ready [config-missing]: container web in pod web-1 refers to ConfigMap invoice-dev/invoice-settings, which does not exist (configmap "invoice-settings" not found).',
      '  Checking whether ConfigMap invoice-dev/invoice-settings exists before calling it a failure.',
      '  Hint: Create the ConfigMap "invoice-settings" in invoice-dev with the manifests.',
    ]);
  });

  it('keeps the last lines only, and one line per event even when the message has several', () => {
    const logs = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
    const text = formatDiagnosis(
      {
        ...base,
        workload: { kind: 'Job', namespace: 'invoice-dev', name: 'migrate' },
        rule: 'job-failed',
        message: 'Job has reached the specified backoff limit',
        events: [{ object: 'Job/migrate', type: 'Warning', reason: 'BackoffLimitExceeded', message: 'first\nsecond', count: 1 }],
        needsLogs: { namespace: 'invoice-dev', pod: 'migrate-abc', container: 'migrate', previous: false },
      },
      logs,
    );
    expect(text).toContain('Job invoice-dev/migrate will not complete [job-failed]: Job has reached the specified backoff limit.');
    expect(text).toContain('    - Warning BackoffLimitExceeded Job/migrate: first second');
    expect(text).toContain('  Last log lines of migrate:');
    expect(text.split('\n').filter((l) => l.startsWith('    | '))).toEqual(logs.slice(-DIAGNOSIS_LOG_LINES).map((l) => `    | ${l}`));
  });

  it('without logs asked for, no log section', () => {
    expect(formatDiagnosis({ ...base, rule: 'unschedulable', windowMs: 15_000, signalAt: at(1_000) }, ['ignored'])).toBe(
      'Deployment invoice-dev/web will not become ready [unschedulable]: x.\n  Signal at: 2026-03-10T09:00:01.000Z (window 15s)',
    );
  });
});
