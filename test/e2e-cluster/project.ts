// A project like a user's, in a temp folder: a two-stage Dockerfile serving index.html and healthz with busybox
// httpd (or crashing at start, or slow to start), and per environment a folder of manifests (Namespace, Service,
// Deployment with a readiness probe) and rollgate.yml with environments dev and stg in their own namespaces.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { kubectl, rollgate, type CliRun, type Target } from './target.ts';

/** What the image does at start: serve, or crash at once with a message in its log. */
export type Mode = 'good' | 'crash';

const DOCKERFILE = `ARG BASE_IMAGE
FROM \${BASE_IMAGE} AS build
ARG MODE=good
ARG GREETING=hello
RUN mkdir -p /www && echo "\${GREETING}" > /www/index.html && echo ok > /www/healthz && echo "\${MODE}" > /www/mode

FROM \${BASE_IMAGE} AS runtime
COPY --from=build /www /www
CMD ["sh", "-c", "if [ $(cat /www/mode) = crash ]; then echo 'missing setting DATABASE_URL'; exit 3; fi; exec httpd -f -p 8080 -h /www"]
`;

export const ENVIRONMENTS = ['dev', 'stg'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface Project {
  dir: string;
  /** `<registry>/rollgate-e2e/<name>-<suffix>`, no tag. */
  repository: string;
  namespace: Record<Environment, string>;
  /** Writes rollgate.yml for the next run. */
  write(mode: Mode, greeting: string): void;
  /** `rollgate <args> -c rollgate.yml` in the project, against the target. */
  run(args: string[]): Promise<CliRun>;
}

/** The environment every CLI run gets on top of this process's: a commit, and a runner temp outside the project. */
function runEnv(root: string): Record<string, string> {
  return { GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b', RUNNER_TEMP: join(root, 'runner-temp') };
}

export function makeProjects(target: Target): { project(name: string): Project; namespaces(): string[]; removeFolders(): void } {
  const root = mkdtempSync(join(tmpdir(), 'rollgate-e2e-cluster-'));
  mkdirSync(join(root, 'runner-temp'));
  const made: Project[] = [];
  let runs = 0;
  return {
    namespaces: () => made.flatMap((p) => Object.values(p.namespace)),
    removeFolders: () => rmSync(root, { recursive: true, force: true }),
    project(name) {
      const suffix = randomBytes(3).toString('hex');
      const dir = join(root, `${name}-${suffix}`);
      const repository = `${target.registry}/rollgate-e2e/${name}-${suffix}`;
      const namespace = { dev: `rg-e2e-${name}-${suffix}`, stg: `rg-e2e-${name}-${suffix}-stg` };
      mkdirSync(join(dir, 'app'), { recursive: true });
      writeFileSync(join(dir, 'app', 'Dockerfile'), DOCKERFILE);
      for (const env of ENVIRONMENTS) {
        mkdirSync(join(dir, 'k8s', env), { recursive: true });
        writeFileSync(join(dir, 'k8s', env, 'web.yaml'), manifests(namespace[env], `${repository}:${env}`));
      }
      const p: Project = {
        dir,
        repository,
        namespace,
        write(mode, greeting) {
          const config = {
            images: { web: { repository, context: 'app', network: 'none', buildArgs: { BASE_IMAGE: target.baseImage, MODE: mode, GREETING: greeting } } },
            tags: ['{version}'],
            builder: 'docker',
            environments: Object.fromEntries(ENVIRONMENTS.map((env) => [env, { targetTag: env, namespace: namespace[env], manifests: [`k8s/${env}`] }])),
            // A real cluster pulls the first image of a run from the registry: give the rollout room.
            rollout: { timeout: '180s', allowRestarts: 0 },
            smoke: { target: { service: 'web', port: 80 }, duration: '2s', interval: '1s', steps: [{ name: 'read the home page', method: 'GET', path: '/', expect: { status: [200], body: greeting } }] },
          };
          writeFileSync(join(dir, 'rollgate.yml'), stringify(config));
        },
        run: (args) => rollgate(target, [...args, '-c', 'rollgate.yml'], { cwd: dir, json: join(dir, `run-${++runs}.json`), env: runEnv(root) }),
      };
      made.push(p);
      return p;
    },
  };
}

function manifests(namespace: string, image: string): string {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 10 } }],
          },
        },
      },
    },
  ];
  return objects.map((o) => stringify(o)).join('---\n');
}

/** The Deployment `web`: whether it is Available with its one replica updated, and the image its template runs. */
export async function webDeployment(target: Target, namespace: string): Promise<{ available: boolean; image: string | undefined }> {
  const d = JSON.parse(await kubectl(target, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json']));
  return {
    available: d.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Available' && c.status === 'True') === true && d.status.availableReplicas === 1 && d.status.updatedReplicas === 1,
    image: d.spec?.template?.spec?.containers?.[0]?.image,
  };
}

/** What the Service `web` serves at `/`, through the API server's service proxy. */
export async function served(target: Target, namespace: string): Promise<string> {
  return (await kubectl(target, ['get', '--raw', `/api/v1/namespaces/${namespace}/services/web:80/proxy/`])).trim();
}
