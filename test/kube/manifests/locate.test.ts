import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../../src/kube/api-error.ts';
import { parseManifests } from '../../../src/kube/manifests/load.ts';
import { fieldPath, locateInManifests } from '../../../src/kube/manifests/locate.ts';
import { validateManifests } from '../../../src/kube/manifests/validate.ts';

const YAML = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { A: "1" }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: sidecar
          image: reg.example.com/proxy:1
        - name: web
          image: reg.example.com/web:dev
          ports:
            - containerPort: 70000
`;
const manifests = validateManifests(parseManifests('k8s/web.yaml', YAML).manifests, { environment: { name: 'dev', namespace: 'shop' } }).manifests;
const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('locateInManifests', () => {
  it("points at the line of the field the server's Status names", () => {
    expect(locateInManifests(manifests, web, ['spec.selector'])).toEqual({ file: 'k8s/web.yaml', line: 12, field: 'spec.selector' });
    expect(locateInManifests(manifests, web, ['spec.template.spec.containers[1].ports[0].containerPort'])).toEqual({
      file: 'k8s/web.yaml',
      line: 23,
      field: 'spec.template.spec.containers[1].ports[0].containerPort',
    });
  });

  it('reads an apply conflict path: a list item by its key, the leading dot dropped', () => {
    expect(locateInManifests(manifests, web, ['.spec.template.spec.containers[name="web"].image'])).toMatchObject({ line: 21, field: 'spec.template.spec.containers[name="web"].image' });
  });

  it('falls back to the nearest enclosing field, then to the object', () => {
    expect(locateInManifests(manifests, web, ['spec.template.spec.containers[name="db"].image'])?.line).toBe(17);
    expect(locateInManifests(manifests, web, ['spec.replicas'])?.line).toBe(11);
    expect(locateInManifests(manifests, web)).toEqual({ file: 'k8s/web.yaml', line: 6 });
  });

  it('finds nothing for an object the manifests do not have (another namespace)', () => {
    expect(locateInManifests(manifests, { ...web, namespace: 'other' }, ['spec.selector'])).toBeUndefined();
  });
});

describe('fieldPath', () => {
  it('turns indexes into numbers and map keys into names', () => {
    expect(fieldPath('metadata.labels[app.kubernetes.io/name]', {})).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
    expect(fieldPath('spec.containers[0].env[2].value', {})).toEqual(['spec', 'containers', 0, 'env', 2, 'value']);
  });
});

describe('apiErrorOf', () => {
  it("keeps the fields of the Status's causes", () => {
    const body = JSON.stringify({
      kind: 'Status',
      reason: 'Invalid',
      message: 'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{...}: field is immutable',
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'spec.selector' }, { reason: 'FieldValueInvalid', field: 'spec.selector' }] },
    });
    expect(apiErrorOf('apply Deployment shop/web', 422, body).fields).toEqual(['spec.selector']);
    expect(apiErrorOf('apply Deployment shop/web', 500, 'no status').fields).toEqual([]);
  });
});
