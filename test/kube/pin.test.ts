import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/kube/cluster.ts';
import { pinImages, type PinImage } from '../../src/kube/pin.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
const images: PinImage[] = [
  { name: 'web', repository: 'us-docker.pkg.dev/acme/apps/invoice', digest: DIGEST },
  { name: 'proxy', repository: 'reg.local:5000/team/proxy', digest: OTHER_DIGEST },
  { name: 'hub', repository: 'docker.io/library/nginx', digest: DIGEST },
];
const WEB = `us-docker.pkg.dev/acme/apps/invoice:dev@${DIGEST}`;
const PROXY = `reg.local:5000/team/proxy:dev@${OTHER_DIGEST}`;
const HUB = `docker.io/library/nginx:dev@${DIGEST}`;

function deployment(containers: Array<{ name: string; image: unknown }>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'invoice-dev' },
    spec: { template: { spec: { containers, ...extra } } },
  };
}

const imageOf = (o: KubeObject, list = 'containers', i = 0): unknown =>
  ((o.spec as { template: { spec: Record<string, Array<{ image: unknown }>> } }).template.spec[list]![i]!).image;

describe('pinImages', () => {
  it.each([
    ['a tag', 'us-docker.pkg.dev/acme/apps/invoice:dev', WEB],
    ['no tag', 'us-docker.pkg.dev/acme/apps/invoice', WEB],
    ['another tag', 'us-docker.pkg.dev/acme/apps/invoice:v1.2.3', WEB],
    ['a digest', `us-docker.pkg.dev/acme/apps/invoice@${OTHER_DIGEST}`, WEB],
    ['a tag and a digest', `us-docker.pkg.dev/acme/apps/invoice:old@${OTHER_DIGEST}`, WEB],
    ['a host with upper case', 'US-Docker.pkg.dev/acme/apps/invoice:dev', WEB],
    ['a registry with a port', 'reg.local:5000/team/proxy:1.0', PROXY],
    ['a Docker Hub short name', 'nginx:1.27', HUB],
    ['a Docker Hub name with docker.io', 'docker.io/nginx', HUB],
    ['a Docker Hub name with index.docker.io', 'index.docker.io/library/nginx:1', HUB],
    ['the same path on another host', 'eu-docker.pkg.dev/acme/apps/invoice:dev', 'eu-docker.pkg.dev/acme/apps/invoice:dev'],
    ['the same path without the port', 'reg.local/team/proxy:1.0', 'reg.local/team/proxy:1.0'],
    ['a longer path', 'us-docker.pkg.dev/acme/apps/invoice-worker:dev', 'us-docker.pkg.dev/acme/apps/invoice-worker:dev'],
    ['a Docker Hub user image of the same name', 'someone/nginx:1', 'someone/nginx:1'],
    ['a placeholder that is no reference', '$(IMAGE)', '$(IMAGE)'],
  ])('%s: %s', (_name, image, expected) => {
    const result = pinImages([deployment([{ name: 'c', image }])], { images, targetTag: 'dev' });
    expect(imageOf(result.objects[0]!)).toBe(expected);
    expect(result.pinned.map((p) => p.to)).toEqual(expected === image ? [] : [expected]);
  });

  it('pins init and ephemeral containers too, and reports each container', () => {
    const object = deployment([{ name: 'web', image: 'us-docker.pkg.dev/acme/apps/invoice:dev' }, { name: 'sidecar', image: 'busybox' }], {
      initContainers: [{ name: 'migrate', image: 'us-docker.pkg.dev/acme/apps/invoice:dev' }],
      ephemeralContainers: [{ name: 'debug', image: 'reg.local:5000/team/proxy' }],
    });
    const { objects, pinned } = pinImages([object], { images, targetTag: 'dev' });
    expect(pinned.map((p) => `${p.path} ${p.image}`)).toEqual([
      'spec.template.spec.initContainers[migrate] web',
      'spec.template.spec.containers[web] web',
      'spec.template.spec.ephemeralContainers[debug] proxy',
    ]);
    expect([imageOf(objects[0]!, 'initContainers'), imageOf(objects[0]!), imageOf(objects[0]!, 'containers', 1)]).toEqual([WEB, WEB, 'busybox']);
    expect(pinned[0]!.object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'invoice-dev' });
  });

  it.each([
    ['Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, 'spec.containers[c]'],
    [
      'CronJob',
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } } },
      'spec.jobTemplate.spec.template.spec.containers[c]',
    ],
    ['Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }, 'spec.template.spec.containers[c]'],
    ['StatefulSet', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }, 'spec.template.spec.containers[c]'],
    ['DaemonSet', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }, 'spec.template.spec.containers[c]'],
    ['ReplicaSet', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }, 'spec.template.spec.containers[c]'],
  ])('finds the pod spec of a %s', (_kind, object, path) => {
    const { objects, pinned } = pinImages([object as KubeObject], { images, targetTag: 'dev' });
    expect(pinned.map((p) => p.path)).toEqual([path]);
    expect(JSON.stringify(objects[0])).toContain(HUB);
  });

  it('leaves alone images outside pod specs: a ConfigMap value, a custom resource, an annotation', () => {
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { image: 'nginx' } },
      { apiVersion: 'acme.io/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'y', annotations: { image: 'nginx' } }, spec: {} },
    ];
    const result = pinImages(objects, { images, targetTag: 'dev' });
    expect(result.pinned).toEqual([]);
    result.objects.forEach((o, i) => expect(o).toBe(objects[i]));
  });

  it('returns new objects and never changes the input', () => {
    const object = deployment([{ name: 'web', image: 'us-docker.pkg.dev/acme/apps/invoice:dev' }]);
    const before = structuredClone(object);
    const { objects } = pinImages([object], { images, targetTag: 'prd' });
    expect(object).toEqual(before);
    expect(objects[0]).not.toBe(object);
    expect(imageOf(objects[0]!)).toBe(`us-docker.pkg.dev/acme/apps/invoice:prd@${DIGEST}`);
  });

  it('warns about configured images no manifest runs', () => {
    const result = pinImages([deployment([{ name: 'web', image: 'us-docker.pkg.dev/acme/apps/invoice:dev' }])], { images, targetTag: 'dev' });
    expect(result.unreferenced).toEqual(['proxy', 'hub']);
    expect(result.warnings).toEqual([
      'image proxy (reg.local:5000/team/proxy) is not used by any container in the manifests, so this deploy does not run it',
      'image hub (docker.io/library/nginx) is not used by any container in the manifests, so this deploy does not run it',
    ]);
  });

  it('refuses to pin to something that is not a digest', () => {
    expect(() => pinImages([], { images: [{ name: 'web', repository: 'reg.local/x', digest: 'latest' }], targetTag: 'dev' })).toThrow(/not a digest/);
  });
});
