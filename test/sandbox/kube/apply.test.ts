import { describe, expect, it } from 'vitest';
import { fieldPaths, fromFieldsV1, mergeApplied, recordUpdate, serverSideApply, toFieldsV1 } from './apply.ts';
import { ApiError } from './status.ts';
import type { KubeObject } from './store.ts';

const NOW = '2026-01-01T00:00:00Z';

function deployment(replicas: number, image = 'web:1', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }], ...extra }] },
      },
    },
  };
}

function apply(live: KubeObject | undefined, applied: KubeObject, manager: string, force = false): KubeObject {
  return serverSideApply({ live, applied, manager, force, apiVersion: 'apps/v1', scope: 'main', now: NOW });
}

function conflictOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a conflict');
}

const spec = (o: KubeObject) => o.spec as { replicas: number; template: { spec: { containers: Array<Record<string, unknown>> } } };

describe('mergeApplied', () => {
  it.each([
    ['maps merge deeply', { a: { x: 1, y: 2 } }, { a: { y: 3, z: 4 } }, { a: { x: 1, y: 3, z: 4 } }],
    [
      'keyed lists merge by key and keep unknown items',
      { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] },
      { containers: [{ name: 'b', image: '2' }] },
      { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] },
    ],
    ['atomic lists are replaced', { args: ['a', 'b'] }, { args: ['c'] }, { args: ['c'] }],
    ['set lists are unioned', { finalizers: ['x'] }, { finalizers: ['y', 'x'] }, { finalizers: ['x', 'y'] }],
    [
      'container ports key on containerPort and protocol (TCP by default)',
      { ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] },
      { ports: [{ containerPort: 80, hostPort: 1 }] },
      { ports: [{ containerPort: 80, protocol: 'TCP', name: 'http', hostPort: 1 }] },
    ],
  ])('%s', (_name, live, applied, expected) => {
    expect(mergeApplied(live, applied)).toEqual(expected);
  });
});

describe('field sets', () => {
  it('name leaves and keyed items the way managedFields does, and read back the same', () => {
    const set = fieldPaths(deployment(2), 'main');
    const fields = toFieldsV1(set);
    expect(fields).toMatchObject({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
            },
          },
        },
      },
    });
    expect(fields['f:metadata']).not.toHaveProperty('f:name');
    expect(fromFieldsV1(fields)).toEqual(set);
  });
});

describe('serverSideApply', () => {
  it('creates from nothing and records the manager as Apply', () => {
    const out = apply(undefined, deployment(2), 'rollgate');
    expect(spec(out).replicas).toBe(2);
    expect(out.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'rollgate', operation: 'Apply', apiVersion: 'apps/v1', time: NOW, fieldsType: 'FieldsV1' }),
    ]);
  });

  it('removes what the manager applied before and no longer applies, unless someone else owns it', () => {
    const first = apply(undefined, deployment(2, 'web:1', { args: ['serve'] }), 'rollgate');
    const second = apply(first, deployment(2), 'rollgate');
    expect(spec(second).template.spec.containers[0]).not.toHaveProperty('args');

    const shared = apply(first, deployment(2, 'web:1', { args: ['serve'] }), 'other');
    const afterShared = apply(shared, deployment(2), 'rollgate');
    expect(spec(afterShared).template.spec.containers[0]?.args).toEqual(['serve']);
  });

  it('answers a conflict when another manager owns a field the apply changes, naming the field', () => {
    const mine = apply(undefined, deployment(2), 'rollgate');
    const scaled = { ...mine, spec: { ...(mine.spec as object), replicas: 5 } };
    scaled.metadata = { ...scaled.metadata, managedFields: recordUpdate({ old: mine, next: scaled, manager: 'kubectl', apiVersion: 'apps/v1', scope: 'main', now: NOW }) };

    const err = conflictOf(() => apply(scaled, deployment(3), 'rollgate'));
    expect([err.code, err.reason]).toEqual([409, 'Conflict']);
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas');
    expect(err.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl" using apps/v1', field: '.spec.replicas' }]);

    // The same value is no conflict: both own it.
    expect(spec(apply(scaled, deployment(5), 'rollgate')).replicas).toBe(5);

    const forced = apply(scaled, deployment(3), 'rollgate', true);
    expect(spec(forced).replicas).toBe(3);
    const kubectlEntry = forced.metadata.managedFields?.find((e) => e.manager === 'kubectl');
    expect(kubectlEntry).toBeUndefined();
  });

  it('names a field inside a keyed list in the conflict message', () => {
    const mine = apply(undefined, deployment(2, 'web:1'), 'rollgate');
    const err = conflictOf(() => apply(mine, deployment(2, 'web:2'), 'ci'));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "rollgate": .spec.template.spec.containers[name="web"].image');
  });
});

describe('recordUpdate', () => {
  it('gives changed fields to the writer and takes them from the applier', () => {
    const applied = apply(undefined, deployment(2), 'rollgate');
    const next = structuredClone(applied);
    spec(next).replicas = 4;
    const entries = recordUpdate({ old: applied, next, manager: 'hpa', apiVersion: 'apps/v1', scope: 'main', now: NOW });
    const owners = Object.fromEntries(entries.map((e) => [e.manager, fromFieldsV1(e.fieldsV1)]));
    expect(owners.hpa).toEqual(new Set([JSON.stringify(['f:spec', 'f:replicas'])]));
    expect(owners.rollgate?.has(JSON.stringify(['f:spec', 'f:replicas']))).toBe(false);
  });

  it('records nothing for a write that changes nothing', () => {
    const obj = deployment(1);
    expect(recordUpdate({ old: obj, next: structuredClone(obj), manager: 'x', apiVersion: 'apps/v1', scope: 'main', now: NOW })).toEqual([]);
  });
});
