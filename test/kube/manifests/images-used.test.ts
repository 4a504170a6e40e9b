import { describe, expect, it } from 'vitest';
import { imagesUnusedProblem } from '../../../src/kube/manifests/images-used.ts';
import { parseManifests } from '../../../src/kube/manifests/load.ts';
import { validateManifests } from '../../../src/kube/manifests/validate.ts';

const images = [{ name: 'web', repository: 'reg.example.com/team/web' }];
const env = { name: 'dev', targetTag: 'dev' };
const manifests = (yaml: string) => validateManifests(parseManifests('m.yaml', yaml).manifests, { environment: { name: 'dev', namespace: 'app-dev' } }).manifests;
const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
`;

describe('imagesUnusedProblem', () => {
  it('is happy when a container runs one of the images, whatever tag it names', () => {
    expect(imagesUnusedProblem(images, env, manifests(deployment('reg.example.com/team/web:latest')))).toBeUndefined();
  });

  it('points at the first container image when none runs ours, and says what they run', () => {
    expect(imagesUnusedProblem(images, env, manifests(deployment('reg.example.com/team/api:dev')))).toEqual({
      file: 'm.yaml',
      line: 11,
      field: 'spec.template.spec.containers[0].image',
      message: 'no container in the manifests of dev runs web (reg.example.com/team/web); they run reg.example.com/team/api:dev',
    });
  });

  it('names the environment manifests when there is no container at all', () => {
    expect(imagesUnusedProblem(images, env, manifests('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n'))).toEqual({
      field: 'environments.dev.manifests',
      message: 'no container in the manifests of dev runs web (reg.example.com/team/web): they have no containers',
    });
  });
});
