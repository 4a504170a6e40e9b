import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.ts';

const pod = {
  metadata: { labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    containers: [
      { name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['x', 'y'] },
      { name: 'sidecar', image: 'side:1' },
    ],
  },
};

describe('strategicMergePatch', () => {
  it.each([
    ['merges containers by name', { spec: { containers: [{ name: 'web', image: 'web:2' }] } }, (o: typeof pod) => [o.spec.containers.length, o.spec.containers[0]?.image, o.spec.containers[1]?.image], [2, 'web:2', 'side:1']],
    ['merges env by name inside a container', { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '3' }] }] } }, (o: typeof pod) => o.spec.containers[0]?.env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }]],
    ['replaces atomic lists', { spec: { containers: [{ name: 'web', args: ['z'] }] } }, (o: typeof pod) => o.spec.containers[0]?.args, ['z']],
    ['deletes a keyed item with $patch: delete', { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } }, (o: typeof pod) => o.spec.containers.map((c) => c.name), ['web']],
    ['null removes a map key', { metadata: { labels: { tier: null } } }, (o: typeof pod) => o.metadata.labels, { app: 'web' }],
    ['unions a set list and honours $deleteFromPrimitiveList', { metadata: { finalizers: ['b'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, (o: typeof pod) => o.metadata.finalizers, ['b']],
    ['ignores $setElementOrder', { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }] } }, (o: typeof pod) => o.spec.containers.length, 2],
  ])('%s', (_name, patch, pick, expected) => {
    expect(pick(strategicMergePatch(pod, patch) as typeof pod)).toEqual(expected);
  });
});

describe('mergePatch', () => {
  it('replaces lists and deletes with null (RFC 7386)', () => {
    expect(mergePatch(pod, { spec: { containers: [{ name: 'only' }] }, metadata: { labels: { app: null } } })).toEqual({
      metadata: { labels: { tier: 'front' }, finalizers: ['a'] },
      spec: { containers: [{ name: 'only' }] },
    });
  });
});

describe('jsonPatch', () => {
  it('applies add, replace, remove, test, move and copy in order', () => {
    const out = jsonPatch({ a: { b: 1 }, list: [1, 2] }, [
      { op: 'test', path: '/a/b', value: 1 },
      { op: 'replace', path: '/a/b', value: 2 },
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'remove', path: '/list/0' },
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'move', from: '/c/b', path: '/d' },
      { op: 'add', path: '/e~1f', value: true },
    ]);
    expect(out).toEqual({ a: { b: 2 }, list: [2, 3], c: {}, d: 2, 'e/f': true });
  });

  it('fails a test operation whose value differs, with a 422', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/testing value \/a failed/);
  });
});
