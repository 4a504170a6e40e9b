// The tracker's pure parts: watch events folded into what it knows, selectors matched as the API server does,
// the progress key that decides when a line is printed, and what the deadline reports.
import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../src/kube/cluster.ts';
import type { Pod } from '../../src/kube/rollout/objects.ts';
import { applyEvent, matchesSelector, type LabelSelector } from '../../src/kube/rollout/observe.ts';
import { failureOf, pendingSummary, progressKey, stuckContainer, timeoutVerdict, type WorkloadResult } from '../../src/kube/rollout/tracker-result.ts';
import type { Verdict } from '../../src/kube/rollout/verdict.ts';

const pod = (name: string, rv: string, uid = `uid-${name}`): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid, resourceVersion: rv } });

describe('applyEvent', () => {
  it('adds, replaces and deletes by uid; a replayed version is no change', () => {
    const known = new Map<string, KubeObject>();
    const steps: [WatchEvent, boolean][] = [
      [{ type: 'ADDED', object: pod('a', '1') }, true],
      [{ type: 'ADDED', object: pod('a', '1') }, false],
      [{ type: 'MODIFIED', object: pod('a', '2') }, true],
      [{ type: 'DELETED', object: pod('a', '3') }, true],
      [{ type: 'DELETED', object: pod('a', '3') }, false],
    ];
    for (const [event, changed] of steps) expect(applyEvent(known, event)).toBe(changed);
    expect(known.size).toBe(0);
  });

  it('forgets an object that stops being kept (an old Event updated out of the window)', () => {
    const known = new Map<string, KubeObject>([['uid-a', pod('a', '1')]]);
    expect(applyEvent(known, { type: 'MODIFIED', object: pod('a', '2') }, () => false)).toBe(true);
    expect(known.size).toBe(0);
  });
});

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'front', 'pod-template-hash': '7d9c' };
  it.each<[LabelSelector | undefined, boolean]>([
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'canary', operator: 'NotIn', values: ['true'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [undefined, false],
  ])('%j: %s', (selector, matches) => expect(matchesSelector(selector, labels)).toBe(matches));
});

describe('progressKey', () => {
  it('leaves the elapsed time out, so a line is printed when the counts change, not every second', () => {
    const progress = (text: string, elapsedMs?: number) => ({ name: 'web', updated: 2, desired: 3, ready: 1, text, ...(elapsedMs !== undefined ? { elapsedMs } : {}) });
    expect(progressKey(progress('web: 2/3 updated, 1 ready, 14s', 14_000))).toBe('web: 2/3 updated, 1 ready');
    expect(progressKey(progress('web: 2/3 updated, 1 ready, 1m5s', 65_000))).toBe('web: 2/3 updated, 1 ready');
    expect(progressKey(progress('web: 2/3 updated, 1 ready'))).toBe('web: 2/3 updated, 1 ready');
  });
});

const web: Verdict['workload'] = { kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('the deadline', () => {
  it('is a rollout-timeout failure carrying the last word, the events and the stuck container', () => {
    const last: Verdict = { status: 'progressing', workload: web, message: 'Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...', events: [] };
    const stuck = { namespace: 'shop', pod: 'web-7d9c-x', container: 'app', previous: false };
    const verdict = timeoutVerdict(last, 300_000, Date.parse('2026-03-10T09:05:00Z'), [], stuck);
    expect(verdict).toMatchObject({
      status: 'failed',
      rule: 'rollout-timeout',
      pod: 'web-7d9c-x',
      container: 'app',
      needsLogs: stuck,
      signalAt: '2026-03-10T09:05:00.000Z',
      message: 'not ready within the rollout timeout (5m): Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...',
    });
    const result: WorkloadResult = { workload: web, status: 'timed-out', verdict, progress: 'web: 1/1 updated, 0 ready, 5m', elapsedMs: 300_000, detectedAt: '2026-03-10T09:05:00.010Z', diagnosis: 'text' };
    expect(failureOf(result)).toMatchObject({ rule: 'rollout-timeout', resource: 'Deployment shop/web', detectedAt: '2026-03-10T09:05:00.010Z', diagnosis: 'text' });
    expect(pendingSummary([result, { ...result, workload: { kind: 'Job', namespace: 'shop', name: 'migrate' }, progress: 'migrate: 0/1 succeeded, 1 active, 5m' }], 300_000)).toBe(
      'rollout timeout 5m reached; still waiting for Deployment shop/web (web: 1/1 updated, 0 ready, 5m), Job shop/migrate (migrate: 0/1 succeeded, 1 active, 5m)',
    );
  });

  it('shows the logs of the first pod not Ready: the previous container when the current one waits to restart', () => {
    const p = (name: string, ready: boolean, status: object): Pod => ({
      metadata: { name },
      status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'app', ready, ...status }] },
    });
    const pods = [
      p('web-b', false, { state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }),
      p('web-a', true, { state: { running: {} } }),
      p('web-c', false, { state: { running: {} } }),
    ];
    expect(stuckContainer(pods, 'shop')).toEqual({ namespace: 'shop', pod: 'web-b', container: 'app', previous: true });
    expect(stuckContainer([pods[2]!], 'shop')).toEqual({ namespace: 'shop', pod: 'web-c', container: 'app', previous: false });
    expect(stuckContainer([p('web-d', false, { state: { waiting: { reason: 'ContainerCreating' } } })], 'shop')).toBeUndefined();
  });
});
