import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, parseManifests } from '../../../src/kube/manifests/load.ts';
import { kustomizeMessage } from '../../../src/kube/manifests/kustomize.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/manifests');
const at = (...parts: string[]) => join(FIXTURES, ...parts);

const summary = (m: { value: Record<string, unknown>; source: { file: string; line: number } }) =>
  `${m.value.kind} ${(m.value.metadata as { name: string }).name} @ ${m.source.file.slice(FIXTURES.length + 1)}:${m.source.line}`;

describe('loadManifests', () => {
  it('reads a folder recursively in lexical order: multi-document YAML, JSON and Lists, skipping hidden and non-manifest files', async () => {
    const { manifests, problems } = await loadManifests([at('app')]);
    expect(problems).toEqual([]);
    expect(manifests.map(summary)).toEqual([
      'Namespace invoice-dev @ app/00-namespace.yaml:1',
      'ConfigMap settings @ app/config/settings.yaml:4',
      'Secret creds @ app/config/settings.yaml:12',
      'Deployment web @ app/deploy.json:1',
      'Service web @ app/nested/list.yml:4',
      'ServiceAccount web @ app/nested/list.yml:11',
    ]);
  });

  it('reads YAML as Kubernetes does: timestamps stay strings, 0644 is octal', async () => {
    const { manifests } = parseManifests('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {day: 2024-01-01}\nmode: 0644\n');
    expect(manifests[0]!.value).toMatchObject({ data: { day: '2024-01-01' }, mode: 420 });
  });

  it('renders a kustomize overlay with the real kubectl; its objects point at the kustomization', async () => {
    const { manifests, problems } = await loadManifests([at('kustomize', 'overlays', 'dev')]);
    expect(problems).toEqual([]);
    expect(manifests.map(summary)).toEqual([
      'ConfigMap settings @ kustomize/overlays/dev/kustomization.yaml:1',
      'Service web @ kustomize/overlays/dev/kustomization.yaml:1',
      'Deployment web @ kustomize/overlays/dev/kustomization.yaml:1',
    ]);
    const deployment = manifests[2]!.value as { spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } };
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('us-docker.pkg.dev/acme/apps/invoice:dev');
    expect(manifests[0]!.source.kustomized).toBe(true);
  });

  it('takes a kustomization file named directly as its folder', async () => {
    const { manifests, problems } = await loadManifests([at('kustomize', 'base', 'kustomization.yaml')]);
    expect(problems).toEqual([]);
    expect(manifests.map(summary)).toEqual(['Service web @ kustomize/base/kustomization.yaml:1', 'Deployment web @ kustomize/base/kustomization.yaml:1']);
  });

  it('takes the top-level paths, then the environment ones, in the order given', async () => {
    const { manifests } = await loadManifests([at('app', 'deploy.json'), at('app', '00-namespace.yaml')]);
    expect(manifests.map((m) => m.value.kind)).toEqual(['Deployment', 'Namespace']);
  });

  it('reports every problem of a folder at once, with file and line', async () => {
    const { problems } = await loadManifests([at('bad'), at('nowhere')]);
    const lines = problems.map((p) => `${p.file!.replace(`${FIXTURES}/`, '')}:${p.line ?? ''} ${p.message}`);
    expect(lines).toEqual([
      // The line of the kustomization that names the missing resource.
      expect.stringMatching(/^bad\/kustomize-missing\/kustomization\.yaml:2 kubectl kustomize failed: accumulating resources: .*missing\.yaml/),
      'bad/shapes.yaml:10 a manifest must be a mapping (apiVersion, kind, metadata, ...), not a list',
      expect.stringMatching(/^bad\/syntax\.yaml:6 YAML: Flow sequence/),
      'nowhere: no such file or folder',
    ]);
    expect(problems.at(-1)!.file).toBe(at('nowhere'));
  });

  it.each([
    ['resources:\n  - a.yaml\n  - ../nowhere\n', 3, 'resources[1]'],
    ['resourcez:\n  - a.yaml\n', 1, 'resourcez'],
    ['resources:\n  - a.yaml\npatches:\n  - path: p.yaml\n', 4, 'patches[0].path'],
    ['resources:\n  - a.yaml\nimages:\n  - name: x\n    newTag: 1\n', 5, 'images[0].newTag'],
  ])('points a kustomize failure at the entry it names: %j', async (kustomization, line, field) => {
    const dir = mkdtempSync(join(tmpdir(), 'rollgate-kustomize-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    writeFileSync(join(dir, 'kustomization.yaml'), kustomization);
    const { problems } = await loadManifests([dir]);
    rmSync(dir, { recursive: true, force: true });
    expect(problems).toEqual([expect.objectContaining({ file: join(dir, 'kustomization.yaml'), line, field, message: expect.stringMatching(/^kubectl kustomize failed: /) })]);
  });

  it('reports a YAML syntax error at its line and keeps the other documents of the file', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  labels: a: b\n';
    const { manifests, problems } = parseManifests('f.yaml', text);
    expect(manifests.map((m) => (m.value.metadata as { name: string }).name)).toEqual(['ok']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'f.yaml', line: 9 });
    expect(problems[0]!.message).toMatch(/^YAML: /);
  });

  it('reports a key written twice in one object', () => {
    const { problems } = parseManifests('f.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nkind: Secret\n');
    expect(problems).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/unique/) })]);
  });

  it('locates fields by the line of their key', () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: x\ndata:\n  a: b\n';
    const { manifests } = parseManifests('f.yaml', text);
    const { lineOf } = manifests[0]!.source;
    expect([lineOf(['metadata', 'namespace']), lineOf(['data', 'a']), lineOf(['data', 'missing']), lineOf(['nothing'])]).toEqual([5, 7, 6, 1]);
  });
});

describe('kustomizeMessage', () => {
  it.each([
    ['klog line', 'E1122 04:17:30.580365   31284 run.go:72] "command failed" err="accumulating resources: \\"x\\" missing"', 'accumulating resources: "x" missing'],
    ['plain error line', 'error: must build at directory: not a valid directory', 'must build at directory: not a valid directory'],
    ['klog block', 'E1122 06:39:22.381353    6410 run.go:72] "command failed" err=<\n\ttrouble configuring builtin PatchTransformer with config: `\n\tpath: p.yaml\n\t`: failed to get the patch file from path(p.yaml)\n >\n', 'trouble configuring builtin PatchTransformer with config: ` path: p.yaml `: failed to get the patch file from path(p.yaml)'],
    ['nothing', '', undefined],
  ])('%s', (_name, stderr, expected) => {
    expect(kustomizeMessage(stderr)).toBe(expected);
  });
});
