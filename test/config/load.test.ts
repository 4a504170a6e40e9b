import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadOptions } from '../../src/config/load.ts';
import { InputError, type Problem } from '../../src/errors.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/invoice');
const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const CI = { SMOKE_PASSWORD: 'hunter2' };

/** The problems loadConfig throws, or a failure when it does not throw one InputError. */
function problemsOf(opts: LoadOptions): Problem[] {
  try {
    loadConfig(opts);
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  throw new Error('expected an InputError');
}

const scratch = mkdtempSync(join(tmpdir(), 'rollgate-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;

/** A project folder with rollgate.yml and the files it names; returns the config path. */
function project(yaml: string, files: string[] = ['Dockerfile', 'k8s/app.yaml']): string {
  const dir = join(scratch, `p${scratchCount++}`);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), f.endsWith('Dockerfile') ? 'FROM scratch AS runtime\n' : '{}\n');
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rollgate.yml'), yaml);
  return join(dir, 'rollgate.yml');
}

const MINIMAL = `images:
  web: { repository: reg.example.com/team/web }
manifests: [k8s/app.yaml]
environments:
  dev: { namespace: web-dev }
`;

describe('the invoice example', () => {
  it('resolves prd: images, version tags, prd manifests, its own rollout timeout and the shared smoke test', () => {
    const config = loadConfig({ configPath: join(EXAMPLE, 'rollgate.yml'), env: 'prd', environment: CI, version: 'v4.2.0' });

    expect(config.file).toBe(join(EXAMPLE, 'rollgate.yml'));
    expect(config.images).toEqual([
      {
        name: 'web',
        repository: 'us-docker.pkg.dev/acme/apps/invoice',
        context: EXAMPLE,
        dockerfile: join(EXAMPLE, 'Dockerfile'),
        target: 'runtime',
        buildArgs: { BASE_IMAGE: 'us-docker.pkg.dev/acme/base/debian:bookworm-slim' },
        secrets: [],
        platforms: ['linux/amd64'],
        network: 'host',
      },
      expect.objectContaining({ name: 'migrate', repository: 'us-docker.pkg.dev/acme/apps/invoice-migrate', target: 'migrate' }),
    ]);
    expect(config.tags).toEqual(['{version}', '{major}.{minor}']);
    expect(config.builder).toBe('auto');
    expect(config.tagPolicy).toBe('before-verify');
    expect(Object.keys(config.environments)).toEqual(['prd']);

    const prd = config.environments.prd!;
    expect(prd).toMatchObject({ name: 'prd', targetTag: 'prd', namespace: 'invoice-prd', kubeContext: 'gke_acme_us-central1_prd' });
    expect(prd.manifests).toEqual([join(EXAMPLE, 'k8s/overlays/prd')]);
    expect(prd.rollout).toEqual({ timeoutMs: 600_000, allowRestarts: 0, unschedulableWindowMs: 15_000, pullErrorBudget: 3, lockTimeoutMs: 600_000 });
    expect(config.rollout).toEqual(prd.rollout);
  });

  it('reads the smoke test as typed steps, keeps {captures} for the runner and lists the secrets it was given', () => {
    const { smoke } = loadConfig({ configPath: join(EXAMPLE, 'rollgate.yml'), env: 'dev', environment: CI });

    expect(smoke).toMatchObject({ target: { service: 'web', port: 80 }, durationMs: 60_000, intervalMs: 5_000, maxFailures: 0 });
    expect(smoke!.steps.map((s) => s.name)).toEqual(['log in', 'list invoices', 'create an invoice', 'read it back']);
    expect(smoke!.steps[0]).toMatchObject({ kind: 'request', method: 'POST', form: { username: 'smoke', password: 'hunter2' }, expect: { status: [200, 302] } });
    expect(smoke!.steps[2]).toMatchObject({ method: 'POST', json: { customer: 'Smoke Test Ltd' }, capture: { invoiceId: 'json.id' } });
    expect(smoke!.steps[3]).toMatchObject({ method: 'GET', path: '/api/invoices/{invoiceId}/', expect: { status: [200], body: 'Smoke Test Ltd' } });
    expect(smoke!.secrets).toEqual(['hunter2']);
  });

  it('resolves every environment when none is named, each with its own overlay and the default timeout', () => {
    const config = loadConfig({ configPath: join(EXAMPLE, 'rollgate.yml'), environment: CI });

    expect(Object.keys(config.environments)).toEqual(['dev', 'stg', 'prd']);
    for (const env of ['dev', 'stg', 'prd']) {
      expect(config.environments[env]!.manifests).toEqual([join(EXAMPLE, `k8s/overlays/${env}`)]);
    }
    expect(config.environments.dev!.rollout.timeoutMs).toBe(300_000);
    expect(config.rollout.timeoutMs).toBe(300_000);
  });

  it('resolves no environment for a build (env: []), so smoke credentials are not needed', () => {
    const config = loadConfig({ configPath: join(EXAMPLE, 'rollgate.yml'), env: [], environment: {} });

    expect(config.environments).toEqual({});
    expect(config.images.map((i) => i.name)).toEqual(['web', 'migrate']);
  });

  it('stops a deploy whose smoke credentials are missing, at the line that needs them', () => {
    expect(problemsOf({ configPath: join(EXAMPLE, 'rollgate.yml'), env: 'dev', environment: {} })).toEqual([
      { file: join(EXAMPLE, 'rollgate.yml'), line: 65, column: 19, field: 'smoke.steps[0].form.password', message: 'environment variable SMOKE_PASSWORD is not set' },
    ]);
  });
});

describe('a config with many mistakes', () => {
  const file = join(FIXTURES, 'many-mistakes/rollgate.yml');
  const dir = dirname(file);

  it('reports every one at once, in file order, each with its line, column and field', () => {
    const problems = problemsOf({ configPath: file, environment: {}, version: 'v1.4.0' });

    expect(problems.every((p) => p.file === file)).toBe(true);
    expect(problems.map((p) => [p.line, p.column, p.field, p.message])).toEqual([
      [4, 17, 'images.web.repository', `"us-docker.pkg.dev/acme/apps/invoice:v1" carries a tag :v1; write the repository alone: tags come from tags: and each environment's targetTag`],
      [6, 17, 'images.web.dockerfile', `Dockerfile "Dockerfil" does not exist (looked for ${dir}/Dockerfil)`],
      [8, 7, 'images.web.buildArgs["BASE IMAGE"]', '"BASE IMAGE" cannot be a build argument name (letters, digits and _)'],
      [9, 3, 'images.worker.repository', 'missing; every image needs a repository, e.g. us-docker.pkg.dev/acme/apps/invoice'],
      [10, 14, 'images.worker.context', `build context "app" does not exist (looked for ${dir}/app)`],
      [11, 17, 'images.worker.platforms[0]', '"linux" is not a platform (os/arch[/variant], e.g. linux/amd64)'],
      [13, 17, 'images.api.repository', '"Acme/API" is not a valid repository: repository name must be lowercase: API'],
      [14, 5, 'images.api.contxt', 'unknown key "contxt" (did you mean "context"?)'],
      [15, 13, 'images.api.target', 'the Dockerfile has no stage "runtme" (its stages: build, runtime)'],
      [16, 32, 'tags[2]', '"v/{major}" can never be a valid tag: "/" can never be part of a tag (tags allow letters, digits, "_", "." and "-")'],
      [16, 45, 'tags[3]', '"{build}" can never be a valid tag: unknown placeholder {build}; use {version}, {major}, {minor}, {patch}, {sha}, {date}'],
      [17, 1, 'builders', 'unknown key "builders" (did you mean "builder"?)'],
      [18, 12, 'tagPolicy', '"after-verfy" is not one of before-verify, after-verify (did you mean "after-verify"?)'],
      [19, 23, 'manifests[1]', `manifest path "k8s/missing" does not exist (looked for ${dir}/k8s/missing)`],
      [21, 33, 'registries["reg.local:5000"].insecure', 'expected true or false, got "yes"'],
      [21, 48, 'registries["reg.local:5000"].endpoint', '"ftp://mirror" is not an http(s) URL; expected the URL of the registry API, e.g. https://mirror.internal:5000'],
      [23, 12, 'rollout.timeout', '"5 minutes" is not a duration; write it like 300ms, 5s, 5m, 1h or 1m30s'],
      [24, 18, 'rollout.allowRestarts', 'must be 0 or more, got -1'],
      [25, 24, 'rollout.unschedulableWindow', '"15" has no unit; write 15s, 15m or 15ms'],
      [26, 16, 'rollout.lockTimeout', '"-1s" is negative; a duration is 0 or more'],
      [27, 1, 'notify', 'unknown key "notify"'],
      [30, 16, 'environments.dev.targetTag', '"v1" is what tag template "{major}" renders for version v1.4.0; moving the target tag would overwrite that version tag'],
      [33, 3, 'environments.stg.namespace', 'missing; environment stg needs the namespace it deploys to'],
      [34, 16, 'environments.stg.targetTag', '"edge" is also a version tag in tags; moving it would overwrite that tag'],
      [35, 5, 'environments.stg.namepsace', 'unknown key "namepsace" (did you mean "namespace"?)'],
      [36, 18, 'environments.stg.kubeContext', 'environment variable STG_CONTEXT is not set'],
      [38, 16, 'environments.prd.targetTag', '"prd:latest" is not a valid tag: tag may only contain letters, digits, "_", "." and "-" (found ":"): prd:latest'],
      [39, 16, 'environments.prd.namespace', '"Invoice_PRD" is not a namespace name (lowercase letters, digits and -, at most 63)'],
      [40, 16, 'environments.prd.apiServer', '"not-a-url" is not an http(s) URL; expected the API server URL of the cluster, e.g. https://203.0.113.10'],
      [42, 9, 'environments.prd.manifests[0]', `manifest path "k8s/overlays/prd" does not exist (looked for ${dir}/k8s/overlays/prd) (for environment prd)`],
      [43, 25, 'environments.prd.rollout.timeout', 'must be longer than 0'],
      [45, 16, 'environments.qa.targetTag', '"v1" is what tag template "{major}" renders for version v1.4.0; moving the target tag would overwrite that version tag'],
      [45, 16, 'environments.qa.targetTag', '"v1" is also the target tag of environment dev; each environment needs its own'],
      [48, 3, 'smoke.target.port', 'missing; the Service port to send requests to'],
      [49, 13, 'smoke.duration', '"60" has no unit; write 60s, 60m or 60ms'],
      [52, 15, 'smoke.steps[0].method', '"FETCH" is not an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)'],
      [53, 13, 'smoke.steps[0].path', '"accounts/login" must start with /'],
      [55, 13, 'smoke.steps[1].path', '{invoiceID} is not captured by an earlier step'],
      [56, 25, 'smoke.steps[1].expect.status', 'must be 599 or less, got 2000'],
      [57, 22, 'smoke.steps[1].capture.id', '"json..id" is not a capture source: json, json.<key>[<n>]..., header.<Name> or body'],
      [58, 7, 'smoke.steps[2].name', 'missing; every step needs a name'],
      [59, 7, 'smoke.steps[2].path', 'a step runs either a command or a request, not both'],
    ]);
  });

  it('reports a target tag that only collides for some versions only when that version is deployed', () => {
    const fields = problemsOf({ configPath: file, environment: {}, version: 'v2.0.0' }).map((p) => `${p.line} ${p.message}`);

    expect(fields.filter((f) => f.includes('renders for version'))).toEqual([]);
    expect(fields).toContain('34 "edge" is also a version tag in tags; moving it would overwrite that tag');
  });
});

describe('YAML syntax errors', () => {
  it('become problems with line numbers and the field they sit in, and nothing else is checked', () => {
    const file = join(FIXTURES, 'syntax-error.yml');
    expect(problemsOf({ configPath: file, environment: {} })).toEqual([
      // The unclosed { is noticed at the next key; the line that lacks the } is the one before.
      { file, line: 5, field: 'environments.dev', message: 'YAML: Flow map in block collection must be sufficiently indented and end with a }' },
      { file, line: 8, column: 5, field: 'environments.stg.namespace', message: 'YAML: Map keys must be unique' },
    ]);
  });

  it('name the quoting rule when ${...} sits inside [ ]', () => {
    const file = project(MINIMAL.replace('manifests: [k8s/app.yaml]', 'manifests: [k8s/${env}.yaml]'));
    const [problem] = problemsOf({ configPath: file, environment: {} });
    expect(problem).toMatchObject({ line: 3, message: expect.stringContaining('quote strings that hold ${...}: ["k8s/overlays/${env}"]') });
  });

  it('report one mistake once, not the parser\'s token-by-token recovery after it', () => {
    const file = project(MINIMAL.replace('{ repository: reg.example.com/team/web }', '{ repository: reg.example.com/team/web, buildArgs: { A: ${A} } }'));
    expect(problemsOf({ configPath: file, environment: { A: 'x' } })).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringMatching(/^YAML: Unexpected flow-map-start .*quote strings/) }),
    ]);
  });

  it('reports an empty or missing file plainly', () => {
    expect(problemsOf({ configPath: project(''), environment: {} })).toEqual([
      expect.objectContaining({ line: 1, message: 'the file is empty; it needs images: and environments:' }),
    ]);
    expect(problemsOf({ configPath: join(scratch, 'nowhere.yml'), environment: {} })).toEqual([
      { file: join(scratch, 'nowhere.yml'), message: 'config file not found' },
    ]);
  });
});

describe('selecting environments', () => {
  it('refuses an --env the file does not have, listing the ones it has', () => {
    const file = join(EXAMPLE, 'rollgate.yml');
    expect(problemsOf({ configPath: file, env: 'prod', environment: CI })).toEqual([
      { file, field: 'env', message: 'no environment "prod" in rollgate.yml (did you mean "prd"?); it has dev, stg, prd' },
    ]);
  });

  it('reads only the selected environment, so another environment\'s variables are not needed', () => {
    const file = project(`${MINIMAL}  prd: { namespace: web-prd, kubeContext: "\${PRD_CONTEXT}" }\n`);
    expect(loadConfig({ configPath: file, env: 'dev', environment: {} }).environments.dev!.namespace).toBe('web-dev');
    expect(problemsOf({ configPath: file, env: 'prd', environment: {} })).toEqual([
      expect.objectContaining({ line: 6, field: 'environments.prd.kubeContext', message: 'environment variable PRD_CONTEXT is not set' }),
    ]);
  });

  it('needs the variables of build arguments only for a command that builds (promote and rollback do not)', () => {
    const file = project(MINIMAL.replace('{ repository: reg.example.com/team/web }', '{ repository: reg.example.com/team/web, buildArgs: { GREETING: "${GREETING}" } }'));

    expect(problemsOf({ configPath: file, env: 'dev', environment: {} })).toEqual([
      expect.objectContaining({ line: 2, field: 'images.web.buildArgs.GREETING', message: 'environment variable GREETING is not set' }),
    ]);
    expect(loadConfig({ configPath: file, env: 'dev', environment: {}, builds: false }).images[0]!.buildArgs).toEqual({ GREETING: '${GREETING}' });
    expect(loadConfig({ configPath: file, env: 'dev', environment: { GREETING: 'hi' }, builds: false }).images[0]!.buildArgs).toEqual({ GREETING: 'hi' });
  });

  it('needs the variables of smoke steps only for a command that runs the smoke test (status does not)', () => {
    const smoke = 'smoke:\n  target: { service: web, port: 80 }\n  steps:\n    - { name: log in, method: POST, path: "/login/${env}", form: { password: "${SMOKE_PASSWORD}" } }\n';
    const file = project(`${MINIMAL}${smoke}`);

    expect(problemsOf({ configPath: file, env: 'dev', environment: {} })).toEqual([
      expect.objectContaining({ field: 'smoke.steps[0].form.password', message: 'environment variable SMOKE_PASSWORD is not set' }),
    ]);
    const step = loadConfig({ configPath: file, env: 'dev', environment: {}, smokes: false }).environments.dev!.smoke!.steps[0]!;
    expect(step).toMatchObject({ path: '/login/dev', form: { password: '${SMOKE_PASSWORD}' } });
  });

  it('gives ${env} in shared image settings a value only when one environment is selected', () => {
    const twoEnvironments = `${MINIMAL}  stg: { namespace: web-stg }\n`;
    const file = project(twoEnvironments.replace('{ repository: reg.example.com/team/web }', '{ repository: reg.example.com/team/web, buildArgs: { STAGE: "${env}" } }'));

    expect(loadConfig({ configPath: file, env: 'dev', environment: {} }).images[0]!.buildArgs).toEqual({ STAGE: 'dev' });
    expect(problemsOf({ configPath: file, environment: {} })).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'images.web.buildArgs.STAGE',
        message: '${env} has no value here: this field is shared by every environment; select one with --env',
      }),
    ]);
  });

  it('lets an environment override top-level smoke keys and keeps the rest', () => {
    const file = project(`${MINIMAL}  stg:
    namespace: web-stg
    smoke: { target: { url: "https://\${env}.web.example.com" }, duration: 10s }
smoke:
  target: { service: web, port: 8080 }
  steps: [{ name: health, path: /healthz }]
`);
    const { smoke } = loadConfig({ configPath: file, env: 'stg', environment: {} });
    expect(loadConfig({ configPath: file, env: 'dev', environment: {} }).smoke).toMatchObject({ target: { service: 'web', port: 8080 }, durationMs: 60_000 });
    expect(smoke).toEqual({
      target: { url: 'https://stg.web.example.com' },
      durationMs: 10_000,
      intervalMs: 5_000,
      maxFailures: 0,
      steps: [{ kind: 'request', name: 'health', method: 'GET', path: '/healthz', headers: {}, query: {}, expect: {}, capture: {} }],
      secrets: [],
    });
  });
});

describe('defaults and YAML conveniences', () => {
  it('fills in defaults: context ., Dockerfile in it, linux/amd64, {version}, the environment name as target tag', () => {
    const config = loadConfig({ configPath: project(MINIMAL), environment: {} });
    const dir = dirname(config.file);

    expect(config.images[0]).toEqual({
      name: 'web',
      repository: 'reg.example.com/team/web',
      context: dir,
      dockerfile: join(dir, 'Dockerfile'),
      buildArgs: {},
      secrets: [],
      platforms: ['linux/amd64'],
    });
    expect(config.tags).toEqual(['{version}']);
    expect(config.environments.dev).toEqual({
      name: 'dev',
      targetTag: 'dev',
      namespace: 'web-dev',
      manifests: [join(dir, 'k8s/app.yaml')],
      rollout: { timeoutMs: 300_000, allowRestarts: 0, unschedulableWindowMs: 15_000, pullErrorBudget: 3, lockTimeoutMs: 600_000 },
    });
    expect(config.smoke).toBeUndefined();
  });

  it('normalises a short repository the way Docker does', () => {
    const config = loadConfig({ configPath: project(MINIMAL.replace('reg.example.com/team/web', 'invoice')), environment: {} });
    expect(config.images[0]!.repository).toBe('docker.io/library/invoice');
  });

  it('takes the network RUN steps use (host reaches an apt mirror where no bridge exists), and refuses others', () => {
    const withNetwork = (n: string) => project(MINIMAL.replace('{ repository: reg.example.com/team/web }', `{ repository: reg.example.com/team/web, network: ${n} }`));
    expect(loadConfig({ configPath: withNetwork('host'), environment: {} }).images[0]!.network).toBe('host');
    expect(loadConfig({ configPath: withNetwork('default'), environment: {} }).images[0]!.network).toBeUndefined();
    expect(problemsOf({ configPath: withNetwork('bridge'), environment: {} })).toEqual([
      expect.objectContaining({ line: 2, field: 'images.web.network', message: expect.stringContaining('"bridge"') }),
    ]);
  });

  it('keeps build argument values exactly as written, so 3.10 stays 3.10', () => {
    const file = project(MINIMAL.replace('{ repository: reg.example.com/team/web }', '{ repository: reg.example.com/team/web, buildArgs: { PYTHON: 3.10, DEBUG: false } }'));
    expect(loadConfig({ configPath: file, environment: {} }).images[0]!.buildArgs).toEqual({ PYTHON: '3.10', DEBUG: 'false' });
  });

  it('follows anchors and merge keys, the environment\'s own keys winning', () => {
    const file = project(`images:
  web: { repository: reg.example.com/team/web }
manifests: [k8s/app.yaml]
x-cluster: &cluster { kubeContext: gke_acme_dev, namespace: shared }
environments:
  dev: { <<: *cluster, namespace: web-dev }
`);
    // x-cluster is not a key rollgate knows: it is reported like any other unknown key.
    expect(problemsOf({ configPath: file, environment: {} }).map((p) => p.message)).toEqual(['unknown key "x-cluster"']);
    const fine = project(`images:
  web: { repository: reg.example.com/team/web }
manifests: [k8s/app.yaml]
environments:
  dev: &base { kubeContext: gke_acme_dev, namespace: web-dev }
  stg: { <<: *base, namespace: web-stg }
`);
    expect(loadConfig({ configPath: fine, env: 'stg', environment: {} }).environments.stg).toMatchObject({ kubeContext: 'gke_acme_dev', namespace: 'web-stg' });
  });

  it('reads ${VAR} for numbers and durations too', () => {
    const file = project(`${MINIMAL}rollout: { timeout: "\${TIMEOUT}", allowRestarts: "\${RESTARTS}" }\n`);
    const config = loadConfig({ configPath: file, env: 'dev', environment: { TIMEOUT: '90s', RESTARTS: '2' } });
    expect(config.rollout).toMatchObject({ timeoutMs: 90_000, allowRestarts: 2 });
  });

  it('keeps $${...} as a literal ${...}', () => {
    const file = project(MINIMAL.replace('{ repository: reg.example.com/team/web }', () => '{ repository: reg.example.com/team/web, buildArgs: { TEMPLATE: "$${HOME}" } }'));
    expect(loadConfig({ configPath: file, environment: {} }).images[0]!.buildArgs).toEqual({ TEMPLATE: '${HOME}' });
  });
});

describe('manifest paths', () => {
  it('refuse a named file that is not YAML, JSON or a kustomization, at its line', () => {
    const file = project(MINIMAL.replace('manifests: [k8s/app.yaml]', 'manifests: [k8s/app.yaml, k8s/kustomization.yaml, Dockerfile]'), ['Dockerfile', 'k8s/app.yaml', 'k8s/kustomization.yaml']);
    expect(problemsOf({ configPath: file, environment: {} }).map((p) => [p.line, p.field, p.message])).toEqual([
      [3, 'manifests[2]', 'manifest path "Dockerfile" is not a manifest: name a .yaml, .yml or .json file, or a folder'],
    ]);
  });
});

describe('version tags against target tags', () => {
  it.each([
    ['latest', ['{version}', '{major}.{minor}'], 'v1.4.0', []],
    ['v1', ['{version}', '{major}'], 'v1.4.0', ['"v1" is what tag template "{major}" renders for version v1.4.0; moving the target tag would overwrite that version tag']],
    ['v1', ['{version}', '{major}'], 'v2.0.0', []],
    ['v1', ['{version}', '{major}'], undefined, []],
    // A prerelease renders only {version} templates, so it cannot collide with {major}.
    ['v1', ['{version}', '{major}'], 'v1.5.0-rc.1', []],
    ['stable', ['{version}', 'stable'], undefined, ['"stable" is also a version tag in tags; moving it would overwrite that tag']],
  ])('targetTag %s with tags %j at version %s', (targetTag, tags, version, messages) => {
    const file = project(MINIMAL.replace('{ namespace: web-dev }', `{ namespace: web-dev, targetTag: ${targetTag} }`) + `tags: ${JSON.stringify(tags)}\n`);
    const opts = { configPath: file, environment: {}, ...(version ? { version } : {}) };
    if (messages.length === 0) expect(loadConfig(opts).environments.dev!.targetTag).toBe(targetTag);
    else expect(problemsOf(opts).map((p) => [p.line, p.field, p.message])).toEqual(messages.map((m) => [5, 'environments.dev.targetTag', m]));
  });

  it('refuses a deploy to one environment whose target tag another environment uses too, without reading the other', () => {
    // Deploying dev would move stg's tag as well; stg's variables need not be set for dev's deploy.
    const file = project(`${MINIMAL}  stg: { namespace: "\${STG_NAMESPACE}", targetTag: dev }\n  qa: { namespace: web-qa, targetTag: rc }\n  prd: { namespace: web-prd, targetTag: rc }\n`);
    expect(problemsOf({ configPath: file, env: 'dev', environment: {} }).map((p) => [p.line, p.field, p.message])).toEqual([
      [6, 'environments.stg.targetTag', '"dev" is also the target tag of environment dev; each environment needs its own'],
    ]);
  });

  it('checks {sha} templates with the commit CI names when the caller has not looked one up', () => {
    const file = project(`${MINIMAL}tags: ["{version}-{sha}"]\n`);
    const version = `v1.0.0-${'a'.repeat(115)}`; // 122 characters: {version} fits in a tag, {version}-{sha} does not
    expect(problemsOf({ configPath: file, env: 'dev', environment: { GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b' }, version })).toEqual([
      expect.objectContaining({ line: 6, field: 'tags[0]', message: expect.stringContaining('tag must not be more than 128 characters') }),
    ]);
  });

  it('reports a version that is not one as an input problem', () => {
    expect(problemsOf({ configPath: project(MINIMAL), environment: {}, version: '4.2' })).toEqual([
      { field: 'version', message: expect.stringContaining('version "4.2" is not valid: it needs all three numbers') },
    ]);
  });
});

describe('overrides from inputs and flags', () => {
  const withContext = `${MINIMAL.replace('{ namespace: web-dev }', '{ namespace: web-dev, kubeContext: gke_acme_dev }')}  stg: { namespace: web-stg }\n`;

  it('fill in a context the file leaves open, and replace builder, tag policy and timeout', () => {
    const config = loadConfig({
      configPath: project(withContext),
      env: 'stg',
      environment: {},
      overrides: { kubeContext: 'gke_acme_stg', builder: 'buildah', tagPolicy: 'after-verify', rolloutTimeoutMs: 60_000 },
    });
    expect(config.environments.stg).toMatchObject({ kubeContext: 'gke_acme_stg', rollout: { timeoutMs: 60_000 } });
    expect(config).toMatchObject({ builder: 'buildah', tagPolicy: 'after-verify', rollout: { timeoutMs: 60_000 } });
  });

  it('refuse a context that contradicts the environment\'s own: the file guards the cluster', () => {
    expect(problemsOf({ configPath: project(withContext), env: 'dev', environment: {}, overrides: { kubeContext: 'gke_acme_prd' } })).toEqual([
      expect.objectContaining({
        line: 5,
        field: 'environments.dev.kubeContext',
        message: expect.stringContaining('environment dev deploys through context "gke_acme_dev", but context "gke_acme_prd" was given'),
      }),
    ]);
  });
});

describe('registry settings alone', () => {
  it('are read without the variables the rest of the file needs (inventory needs only them)', async () => {
    const { loadRegistrySettings } = await import('../../src/config/load.ts');
    const file = project(`${MINIMAL}registries:\n  reg.internal:5000: { insecure: true }\nsmoke:\n  target: { url: "\${SMOKE_URL}" }\n  steps: [{ name: ping, path: / }]\n`);
    expect(loadRegistrySettings(file, {})).toEqual({ 'reg.internal:5000': { insecure: true } });
    expect(problemsOf({ configPath: file, environment: {} })).toEqual([expect.objectContaining({ message: expect.stringContaining('SMOKE_URL') })]);
  });
});
