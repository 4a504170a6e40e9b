import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/kube/manifests/load.ts';
import { unservedKinds } from '../../../src/kube/manifests/served.ts';
import { validateManifests } from '../../../src/kube/manifests/validate.ts';

/** Discovery as an API server answers it: v1 and apps/v1 served, nothing else. */
function cluster() {
  const asked: string[] = [];
  const served: Record<string, string[]> = { '/api/v1': ['ConfigMap', 'Service'], '/apis/apps/v1': ['Deployment'] };
  return {
    asked,
    context: 'sandbox',
    request: async (path: string) => {
      asked.push(path);
      const kinds = served[path];
      if (!kinds) return new Response('{"kind":"Status","code":404}', { status: 404 });
      return Response.json({ resources: kinds.map((kind) => ({ name: `${kind.toLowerCase()}s`, kind, namespaced: true })) });
    },
  };
}

function manifests(yaml: string) {
  return validateManifests(parseManifests('m.yaml', yaml).manifests, { environment: { name: 'dev', namespace: 'app-dev' } }).manifests;
}

describe('unservedKinds', () => {
  it('names a kind the group does not have, at its line, with the likely intended one', async () => {
    const c = cluster();
    const problems = await unservedKinds(manifests('apiVersion: v1\nkind: ConfigMapp\nmetadata: { name: settings }\n'), c);
    expect(problems).toEqual([{ file: 'm.yaml', line: 2, field: 'kind', message: 'ConfigMapp settings: the API server (context sandbox) has no kind ConfigMapp in v1 (did you mean "ConfigMap"?)' }]);
  });

  it('names an apiVersion the server does not serve, at its line', async () => {
    const problems = await unservedKinds(manifests('kind: Deployment\napiVersion: apps/v1beta9\nmetadata: { name: web }\n'), cluster());
    expect(problems).toEqual([{ file: 'm.yaml', line: 2, field: 'apiVersion', message: 'Deployment web: the API server (context sandbox) does not serve apps/v1beta9' }]);
  });

  it('asks nothing about the kinds it knows, and takes custom resources whose CRD comes along', async () => {
    const c = cluster();
    const problems = await unservedKinds(
      manifests(`apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: backups.acme.io }
spec: { group: acme.io, scope: Namespaced, names: { kind: Backup, plural: backups } }
---
apiVersion: acme.io/v1
kind: Backup
metadata: { name: nightly }
`),
      c,
    );
    expect(problems).toEqual([]);
    expect(c.asked).toEqual([]);
  });

  it('asks once per group version, and says nothing when discovery cannot answer', async () => {
    const c = cluster();
    const yaml = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: a }\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: b }\n';
    expect(await unservedKinds(manifests(yaml), c)).toHaveLength(2);
    expect(c.asked).toEqual(['/apis/monitoring.coreos.com/v1']);
    const failing = { context: 'sandbox', request: async () => new Response('', { status: 503 }) };
    expect(await unservedKinds(manifests(yaml), failing)).toEqual([]);
  });
});
