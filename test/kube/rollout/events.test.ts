// Events read the same from core/v1 (what `kubectl get events` lists) and events.k8s.io/v1 (what newer
// components write): subject, message, time, count, container.
import { describe, expect, it } from 'vitest';
import { eventContainer, eventCount, eventMessage, eventsAbout, eventTime } from '../../../src/kube/rollout/events.ts';
import type { KubeEvent } from '../../../src/kube/rollout/objects.ts';

const core: KubeEvent = {
  involvedObject: { kind: 'Pod', namespace: 'invoice-dev', name: 'web-1', uid: 'u1', fieldPath: 'spec.containers{web}' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container web in pod web-1_invoice-dev(u1)',
  type: 'Warning',
  count: 5,
  firstTimestamp: '2026-03-10T09:00:02Z',
  lastTimestamp: '2026-03-10T09:01:10Z',
};

const modern: KubeEvent = {
  regarding: { kind: 'Pod', namespace: 'invoice-dev', name: 'web-1', uid: 'u1', fieldPath: 'spec.initContainers{migrate}' },
  reason: 'FailedScheduling',
  note: '0/3 nodes are available: 3 Insufficient cpu.',
  type: 'Warning',
  eventTime: '2026-03-10T09:00:01.000000Z',
  series: { count: 4, lastObservedTime: '2026-03-10T09:00:40.000000Z' },
  reportingController: 'default-scheduler',
};

describe('events in either API', () => {
  it('core/v1', () => {
    expect([eventMessage(core), eventTime(core), eventCount(core), eventContainer(core)]).toEqual([
      core.message,
      Date.parse('2026-03-10T09:01:10Z'),
      5,
      'web',
    ]);
  });

  it('events.k8s.io/v1 with a series', () => {
    expect([eventMessage(modern), eventTime(modern), eventCount(modern), eventContainer(modern)]).toEqual([
      modern.note,
      Date.parse('2026-03-10T09:00:40Z'),
      4,
      'migrate',
    ]);
  });

  it('about one pod, newest first; an older pod of the same name (another uid) is someone else', () => {
    const earlierPod = { ...core, involvedObject: { ...core.involvedObject, uid: 'u0' }, lastTimestamp: '2026-03-10T09:05:00Z' };
    const otherPod = { ...core, involvedObject: { ...core.involvedObject, name: 'web-2' } };
    expect(eventsAbout([core, earlierPod, otherPod, modern], 'Pod', { name: 'web-1', namespace: 'invoice-dev', uid: 'u1' })).toEqual([core, modern]);
  });
});
