import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/cluster.ts';
import { describeChange, MAX_PATHS, overlay } from '../../../src/kube/apply/diff.ts';
import { formatChangesMarkdown, formatChangesText } from '../../../src/kube/apply/format.ts';

const live = (o: Partial<KubeObject> & { kind: string }): KubeObject =>
  ({
    apiVersion: 'v1',
    ...o,
    metadata: { name: 'x', namespace: 'demo', uid: 'u1', resourceVersion: '7', generation: 3, managedFields: [{ manager: 'kubectl' }], ...o.metadata },
  }) as KubeObject;

function deployment(image: string, extra: Record<string, unknown> = {}, replicas = 2): KubeObject {
  return live({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      template: { spec: { initContainers: [{ name: 'migrate', image }], containers: [{ name: 'web', image, ...extra }] } },
    },
    status: { readyReplicas: 2 },
  });
}

describe('describeChange', () => {
  it('a new object is created, with its images and replicas', () => {
    expect(describeChange(undefined, deployment('reg/web:1'))).toEqual({
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'demo' },
      action: 'create',
      images: [{ container: 'migrate (init)', to: 'reg/web:1' }, { container: 'web', to: 'reg/web:1' }],
      replicas: { to: 2 },
      keys: [],
      paths: [],
    });
  });

  it('the same object with other server bookkeeping is unchanged', () => {
    const next = deployment('reg/web:1');
    next.metadata = { ...next.metadata, resourceVersion: '8', generation: 4, managedFields: [] };
    next.status = { readyReplicas: 0 };
    expect(describeChange(deployment('reg/web:1'), next).action).toBe('unchanged');
  });

  it('names image and replica changes, and other fields by path (named list items by name)', () => {
    const before = deployment('reg/web:1', { env: [{ name: 'DEBUG', value: '0' }, { name: 'KEEP', value: 'x' }] });
    const after = deployment('reg/web:2', { env: [{ name: 'DEBUG', value: '1' }, { name: 'KEEP', value: 'x' }], ports: [{ containerPort: 80 }] }, 3);
    after.metadata.annotations = { 'example.com/owner': 'team-a' };
    const change = describeChange(before, after);
    expect(change).toMatchObject({
      action: 'change',
      images: [
        { container: 'migrate (init)', from: 'reg/web:1', to: 'reg/web:2' },
        { container: 'web', from: 'reg/web:1', to: 'reg/web:2' },
      ],
      replicas: { from: 2, to: 3 },
      paths: ['metadata.annotations', 'spec.template.spec.containers[web].env[DEBUG].value', 'spec.template.spec.containers[web].ports'],
    });
  });

  it('lists ConfigMap keys added, changed and removed, with values', () => {
    const before = live({ kind: 'ConfigMap', data: { A: '1', B: 'same', C: 'gone' } });
    const after = live({ kind: 'ConfigMap', data: { A: '2', B: 'same', D: 'new' } });
    expect(describeChange(before, after)).toMatchObject({
      action: 'change',
      keys: [
        { key: 'A', change: 'changed', from: '1', to: '2' },
        { key: 'D', change: 'added', to: 'new' },
        { key: 'C', change: 'removed', from: 'gone' },
      ],
      paths: [],
    });
  });

  it('lists Secret keys by name only, never a value', () => {
    const before = live({ kind: 'Secret', data: { PASSWORD: 'b2xk', TOKEN: 'dA==' } });
    const after = live({ kind: 'Secret', data: { PASSWORD: 'bmV3', API_KEY: 'aw==' } });
    const change = describeChange(before, after);
    expect(change).toMatchObject({ secret: true, keys: [{ key: 'PASSWORD', change: 'changed' }, { key: 'API_KEY', change: 'added' }, { key: 'TOKEN', change: 'removed' }] });
    for (const value of ['b2xk', 'bmV3', 'aw==', 'dA==', 'old', 'new']) expect(JSON.stringify(change)).not.toContain(value);
  });

  it('lists at most MAX_PATHS paths and counts the rest', () => {
    const labels = Object.fromEntries(Array.from({ length: MAX_PATHS + 5 }, (_, i) => [`l${i}`, 'v']));
    const change = describeChange(live({ kind: 'Service', metadata: { name: 'x', labels: {} } }), live({ kind: 'Service', metadata: { name: 'x', labels } }));
    expect(change.paths).toHaveLength(MAX_PATHS);
    expect(change.morePaths).toBe(5);
    expect(change.paths[0]).toBe('metadata.labels.l0');
  });

  it('quotes keys that are not plain names', () => {
    const change = describeChange(live({ kind: 'Service' }), live({ kind: 'Service', metadata: { name: 'x', annotations: { 'a/b.c': '1' } } }));
    expect(change.paths).toEqual(['metadata.annotations']);
    const more = describeChange(live({ kind: 'Service', metadata: { name: 'x', annotations: { k: '0' } } }), live({ kind: 'Service', metadata: { name: 'x', annotations: { k: '0', 'a/b.c': '1' } } }));
    expect(more.paths).toEqual(['metadata.annotations["a/b.c"]']);
  });
});

describe('overlay (no server dry run)', () => {
  it('lays the manifest over the live object: named items by name, Secret stringData as data', () => {
    const current = deployment('reg/web:1', { env: [{ name: 'A', value: '1' }] });
    const desired = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'demo' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'reg/web:2' }] } } } };
    const change = describeChange(current, overlay(current, desired));
    expect(change.images).toEqual([{ container: 'web', from: 'reg/web:1', to: 'reg/web:2' }]);
    expect(change.paths).toEqual([]);

    const secret = live({ kind: 'Secret', data: { USER: Buffer.from('admin').toString('base64') } });
    const next = overlay(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { USER: 'admin', PASSWORD: 'hunter2' } });
    expect(describeChange(secret, next).keys).toEqual([{ key: 'PASSWORD', change: 'added' }]);
  });
});

describe('formatChangesText and formatChangesMarkdown', () => {
  const changes = [
    describeChange(undefined, live({ kind: 'Namespace', metadata: { name: 'demo', namespace: undefined } })),
    describeChange(deployment('reg/web:1'), deployment('reg/web:2', {}, 3)),
    describeChange(live({ kind: 'ConfigMap', data: { LEVEL: 'info', LONG: 'x'.repeat(100) } }), live({ kind: 'ConfigMap', data: { LEVEL: 'debug', LONG: 'y'.repeat(100), NOTE: 'has `ticks`\nand lines' } })),
    describeChange(live({ kind: 'Secret', data: { PASSWORD: 'b2xk' } }), live({ kind: 'Secret', data: { PASSWORD: 'bmV3' } })),
    describeChange(live({ kind: 'ServiceAccount' }), live({ kind: 'ServiceAccount' })),
    { ...describeChange(undefined, live({ kind: 'Service', metadata: { name: 'bad' } })), action: 'refused' as const, note: 'Service "bad" is invalid: spec.ports: Required value' },
  ];

  it('text: one line per object that changes, details under it', () => {
    expect(formatChangesText(changes)).toBe(
      [
        'manifests: 1 to create, 3 to change, 1 unchanged, 1 refused by the server',
        '  + Namespace demo (new)',
        '  ~ Deployment demo/web',
        '      image migrate (init): reg/web:1 -> reg/web:2',
        '      image web: reg/web:1 -> reg/web:2',
        '      replicas: 2 -> 3',
        '  ~ ConfigMap demo/x',
        '      ~ key LEVEL: "info" -> "debug"',
        `      ~ key LONG: "${'x'.repeat(57)}…" -> "${'y'.repeat(57)}…"`,
        '      + key NOTE = "has `ticks`\\nand lines"',
        '  ~ Secret demo/x',
        '      ~ key PASSWORD (value hidden)',
        '  ! Service demo/bad',
        '      refused: Service "bad" is invalid: spec.ports: Required value',
      ].join('\n'),
    );
  });

  it('markdown: code spans that survive backticks, unchanged objects folded away', () => {
    const md = formatChangesMarkdown(changes);
    expect(md).toContain('- **change** `Deployment demo/web`\n  - image migrate (init): `reg/web:1` -> `reg/web:2`\n  - image web:');
    expect(md).toContain('  - + key NOTE = ``"has `ticks`\\nand lines"``');
    expect(md).toContain('<details><summary>1 unchanged</summary>\n\n- `ServiceAccount demo/x`\n\n</details>');
  });

  it('never shows a Secret value', () => {
    for (const text of [formatChangesText(changes), formatChangesMarkdown(changes)]) {
      expect(text).not.toContain('b2xk');
      expect(text).not.toContain('bmV3');
    }
  });
});
