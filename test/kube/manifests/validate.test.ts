import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../../src/errors.ts';
import { parseManifests } from '../../../src/kube/manifests/load.ts';
import { readManifests } from '../../../src/kube/manifests/read.ts';
import { validateManifests } from '../../../src/kube/manifests/validate.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/manifests');
const dev = { name: 'dev', namespace: 'invoice-dev' };

function check(yaml: string, scopes?: (apiVersion: string, kind: string) => boolean | undefined) {
  const { manifests } = parseManifests('m.yaml', yaml);
  return validateManifests(manifests, { environment: dev, ...(scopes ? { scopes } : {}) });
}

const located = (problems: Problem[]) => problems.map((p) => `${p.file!.replace(`${FIXTURES}/`, '')}:${p.line} ${p.field ?? '-'}: ${p.message}`);

describe('validateManifests', () => {
  it('gives namespaced objects the environment namespace and takes it from cluster-scoped ones', () => {
    const { manifests, problems } = check(`
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: reader, namespace: invoice-dev }
---
apiVersion: v1
kind: Namespace
metadata: { name: invoice-dev }
`);
    expect(problems).toEqual([]);
    expect(manifests.map((m) => `${m.object.kind}:${m.object.metadata.namespace ?? '(cluster)'}`)).toEqual([
      'ConfigMap:invoice-dev',
      'ClusterRole:(cluster)',
      'Namespace:(cluster)',
    ]);
  });

  it('knows the scope of custom resources from the CRDs among the manifests, and from discovery', () => {
    const { manifests, problems } = check(
      `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: backups.acme.io }
spec: { group: acme.io, scope: Cluster, names: { kind: Backup, plural: backups } }
---
apiVersion: acme.io/v1
kind: Backup
metadata: { name: nightly, namespace: somewhere-else }
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: web }
---
apiVersion: acme.io/v1
kind: GlobalThing
metadata: { name: g, namespace: other }
`,
      (_v, kind) => (kind === 'GlobalThing' ? false : undefined),
    );
    expect(problems).toEqual([]);
    expect(manifests.map((m) => `${m.object.kind}:${m.object.metadata.namespace ?? '(cluster)'}`)).toEqual([
      'CustomResourceDefinition:(cluster)',
      'Backup:(cluster)',
      'ServiceMonitor:invoice-dev',
      'GlobalThing:(cluster)',
    ]);
  });

  it('does not change the documents it was given', () => {
    const { manifests: raw } = parseManifests('m.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    validateManifests(raw, { environment: dev });
    expect(raw[0]!.value.metadata).toEqual({ name: 'a' });
  });

  it('accepts Secret data in base64, wrapped lines included, and null values', () => {
    const { problems } = check('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: aGVsbG8=\n  b: "aGVs\\nbG8="\n  c: ""\n  d: null\n');
    expect(problems).toEqual([]);
  });
});

describe('readManifests', () => {
  it('reports every problem of the bad folder at once, each at its file and line', async () => {
    const error = await readManifests({ ...dev, manifests: [join(FIXTURES, 'bad')] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const problems = located((error as InputError).problems);
    expect(problems).toEqual([
      'bad/kustomize-missing/kustomization.yaml:2 resources[0]: ' + problems[0]!.split(' resources[0]: ')[1],
      'bad/shapes.yaml:10 -: a manifest must be a mapping (apiVersion, kind, metadata, ...), not a list',
      expect.stringMatching(/^bad\/syntax\.yaml:6 data\.key: YAML: /),
      // No name at all: the line of `metadata:`, the nearest field there is.
      'bad/shapes.yaml:3 metadata.name: missing in this ConfigMap; server-side apply needs a fixed name (generateName is not enough)',
      'bad/shapes.yaml:6 apiVersion: missing in this Service; every object needs apiVersion, kind and metadata.name',
      'bad/duplicate-b.yaml:4 metadata.name: ConfigMap twice: defined twice, first at ' + join(FIXTURES, 'bad/duplicate-a.yaml') + ':1',
      'bad/namespaces.yaml:5 metadata.namespace: Deployment elsewhere: "invoice-prd" contradicts environment dev\'s namespace "invoice-dev" (leave it out to use the environment\'s)',
      'bad/secret.yaml:7 data.plain: Secret token: not valid base64 (write plain text under stringData instead)',
    ]);
    expect(problems[0]).toMatch(/kubectl kustomize failed/);
    // The ClusterRole's namespace is dropped, not reported; the Secret's value is never quoted.
    expect(JSON.stringify((error as InputError).problems)).not.toContain('hunter2');
  });

  it('returns the checked objects of the top-level and environment paths', async () => {
    const manifests = await readManifests({ ...dev, manifests: [join(FIXTURES, 'app'), join(FIXTURES, 'kustomize/overlays/dev')] }).catch((e: unknown) => e);
    // The overlay renders the objects app/ already has: each is reported, at the kustomization.
    expect(manifests).toBeInstanceOf(InputError);
    expect(located((manifests as InputError).problems)).toEqual([
      expect.stringMatching(/^kustomize\/overlays\/dev\/kustomization\.yaml:1 metadata\.name: ConfigMap settings: defined twice, first at .*app\/config\/settings\.yaml:4$/),
      expect.stringMatching(/^kustomize\/overlays\/dev\/kustomization\.yaml:1 metadata\.name: Service web: defined twice, first at .*app\/nested\/list\.yml:4$/),
      expect.stringMatching(/^kustomize\/overlays\/dev\/kustomization\.yaml:1 metadata\.name: Deployment web: defined twice, first at .*app\/deploy\.json:1$/),
    ]);
    const ok = await readManifests({ ...dev, manifests: [join(FIXTURES, 'kustomize/overlays/dev')] });
    expect(ok.map((m) => `${m.object.kind}/${m.object.metadata.namespace}/${m.object.metadata.name}`)).toEqual([
      'ConfigMap/invoice-dev/settings',
      'Service/invoice-dev/web',
      'Deployment/invoice-dev/web',
    ]);
  });

  it('refuses manifests that hold no object', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rollgate-manifests-'));
    try {
      await expect(readManifests({ ...dev, manifests: [empty] })).rejects.toThrow(/environment dev: the manifests hold no objects/);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it('refuses a file named explicitly that is not a manifest', async () => {
    await expect(readManifests({ ...dev, manifests: [join(FIXTURES, 'app/nested/notes.txt')] })).rejects.toThrow(/notes\.txt: not a manifest/);
  });
});

describe('what the API server or the kubelet would refuse, found before any write', () => {
  const deployment = (patch: { name?: string; selector?: string; labels?: string; containers: string }) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${patch.name ?? 'web'}
spec:
  selector:
    matchLabels: ${patch.selector ?? '{ app: web }'}
  template:
    metadata:
      labels: ${patch.labels ?? '{ app: web }'}
    spec:
      containers:
${patch.containers}`;
  const web = '        - name: web\n          image: reg.example.com/team/web:dev\n';

  it.each([
    ['a ConfigMap name with capitals', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Web_Settings\n', 4, 'metadata.name', '"Web_Settings" is not a valid ConfigMap name: lowercase letters, digits, \'-\' and \'.\''],
    ['a Service name starting with a digit', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec: { ports: [{ port: 80 }] }\n', 4, 'metadata.name', '"1web" is not a valid Service name: lowercase letters, digits and \'-\', starting with a letter'],
    ['a workload without a selector', deployment({ selector: '{}', containers: web }), 6, 'spec.selector', 'a Deployment needs spec.selector.matchLabels'],
    ['a selector that misses the template', deployment({ selector: '{ app: web }', labels: '{ app: api }', containers: web }), 10, 'spec.template.metadata.labels', "the selector app=web does not match the template's labels (app=api); the Deployment would never find its pods"],
    ['a container without a name', deployment({ containers: '        - image: reg.example.com/team/web:dev\n' }), 13, 'spec.template.spec.containers[0].name', 'the container needs a name'],
    ['a container without an image', deployment({ containers: '        - name: web\n' }), 13, 'spec.template.spec.containers[0].image', 'the container needs an image'],
    ['an image reference with capitals', deployment({ containers: '        - name: web\n          image: reg.example.com/Team/web:dev\n' }), 14, 'spec.template.spec.containers[0].image', '"reg.example.com/Team/web:dev" is not an image reference the kubelet can pull: repository name must be lowercase: Team/web'],
    ['a placeholder left for sed', deployment({ containers: '        - name: web\n          image: $(IMAGE)\n' }), 14, 'spec.template.spec.containers[0].image', 'is not an image reference the kubelet can pull'],
  ])('%s', (_, yaml, line, field, message) => {
    const { problems } = check(yaml);
    expect(problems).toEqual([expect.objectContaining({ file: 'm.yaml', line, field, message: expect.stringContaining(message) })]);
  });

  it('wants ports on a Service, except a headless or ExternalName one', () => {
    expect(check('apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector: { app: web }\n').problems).toEqual([
      expect.objectContaining({ line: 4, field: 'spec.ports', message: 'Service web: a Service needs at least one port (only a headless or ExternalName Service may have none)' }),
    ]);
    expect(check('apiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec: { clusterIP: None, selector: { app: db } }\n').problems).toEqual([]);
  });

  it('leaves names of kinds with other rules alone (RBAC names may hold colons)', () => {
    expect(check('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: "system:aggregate-to-edit" }\n').problems).toEqual([]);
  });
});
