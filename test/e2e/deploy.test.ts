// rollgate deploy against the sandbox: real docker builds pushed to the registry, the target tag moved and put back
// by the registry's own answers, the workloads rolled out and restored by the Kubernetes API emulator's kubelet
// running real containers, the smoke test through the API server's service proxy.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startFaultProxy } from '../sandbox/fault-proxy.ts';
import { denyingWebhookFor } from '../sandbox/kube/controllers-admission.ts';
import { deploymentState, READ_STEP, SECRET_VALUE, useDeploySandbox, type Project } from './deploy-sandbox.ts';

const t = useDeploySandbox();

describe('rollgate deploy', () => {
  it('deploys a good first release: tag dev on its digest, the Deployment pinned and Available, the smoke test passed', async () => {
    const p = t.project('good');
    p.write({ mode: 'good', greeting: 'hello v1' });
    const run = await t.deploy(p, 'v1.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(0);
    expect(run.result).toMatchObject({ command: 'deploy', outcome: 'deployed', environment: 'dev', version: 'v1.0.0', smoke: { passed: true } });
    const [image] = run.result.images;
    expect(image).toEqual({ name: 'web', repository: p.repository, digest: expect.stringMatching(/^sha256:/), tags: ['v1.0.0'], targetTag: 'dev' });
    expect(await t.tagDigest(p, 'dev')).toBe(image!.digest);
    expect(await t.tagDigest(p, 'v1.0.0')).toBe(image!.digest);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${image!.digest}` });
    expect(run.log.lines).toContainEqual(expect.stringMatching(/^manifests: 3 to create, 0 to change, 1 unchanged/));
    expect(run.stdout).toContain(`web: ${p.repository}@${image!.digest}, dev moved (new tag)`);
    // A finished run leaves no restore state behind.
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it('detects a release that crashes at start, puts tag and Deployment back on v1, and v1 passes the smoke test again', async () => {
    const { p, v1 } = await t.v1Deployed('crash');
    // rollgate reaches the registry through a proxy that counts: once the tag has moved, only the revert talks to it.
    const proxy = await startFaultProxy(`http://${inject('registryHost')}`);
    p.write({ mode: 'crash', greeting: 'hello v2', registryEndpoint: proxy.url });
    let moved = false;
    const onRestoreState = (file: string | undefined) => {
      if (file && !moved) proxy.reset();
      moved ||= file !== undefined;
    };
    const run = await t.deploy(p, 'v2.0.0', { onRestoreState }).finally(() => proxy.close());

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'rollout',
      images: [{ name: 'web', targetTag: 'dev', previousDigest: v1 }],
      rollout: { failure: { rule: 'crash-loop', resource: `Deployment ${p.namespace}/web`, container: 'web' } },
      revert: { tagRestored: true, workloadsRestored: true, timeToSafeSeconds: expect.any(Number), tags: [{ reference: `${p.repository}:dev`, status: 'restored', digest: v1 }] },
    });
    expect(run.result.images[0]!.digest).not.toBe(v1);
    // The compare-and-swap revert: three requests, whatever the image's size.
    const path = `/v2/${p.repository.slice(inject('registryHost').length + 1)}/manifests/dev`;
    expect(proxy.requests.map((r) => `${r.method} ${r.path} ${r.outcome}`)).toEqual([`HEAD ${path} 200`, `PUT ${path} 201`, `HEAD ${path} 200`]);
    expect(run.log.lines.join('\n')).toContain('missing setting DATABASE_URL');
    await t.expectV1Serving(p, v1);
    expect(run.files.map((f) => f.slice(p.dir.length + 1)).sort()).toEqual(['v2.0.0.dotenv', 'v2.0.0.json', 'v2.0.0.summary']);
    expect(readFileSync(join(p.dir, 'v2.0.0.summary'), 'utf8')).toContain('**Rollout failed**: `crash-loop`');
    const everything = [...run.log.lines, run.stdout, ...run.files.map((f) => readFileSync(f, 'utf8'))].join('\n');
    for (const secret of [SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64')]) expect(everything).not.toContain(secret);
    // Version tags are kept: v2 can be looked at, it just is not deployed.
    expect(await t.tagDigest(p, 'v2.0.0')).toBe(run.result.images[0]!.digest);
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it('ends the smoke test at the first failing write, not after its duration, and reverts', async () => {
    const { p, v1 } = await t.v1Deployed('write');
    const write = { name: 'create a record', method: 'POST', path: '/records', json: { amount: 12 }, expect: { status: [201] } };
    p.write({ mode: 'good', greeting: 'hello v2', smoke: { duration: '60s', interval: '1s', steps: [READ_STEP, write] } });
    const run = await t.deploy(p, 'v2.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    // One round: the read and the failing write. Sixty rounds would have been 120 requests.
    expect(run.result).toMatchObject({ outcome: 'reverted', failedStage: 'smoke', smoke: { passed: false, requests: 2, failures: 1 }, revert: { tagRestored: true, workloadsRestored: true } });
    expect(run.result.smoke!.message).toContain('create a record');
    expect(readFileSync(join(p.dir, 'v2.0.0.junit'), 'utf8')).toMatch(/<testcase classname="smoke" name="create a record" [^>]*><failure message="[^"]*status 501/);
    // The rollout itself passed: its workloads are reported, without a failure.
    expect(run.result.rollout?.failure).toBeUndefined();
    expect(run.result.rollout?.workloads?.map((w) => w.status)).toEqual(['done']);
    p.write({ mode: 'good', greeting: 'hello v1' });
    await t.expectV1Serving(p, v1);
  });

  it('leaves no target tag and no workload behind when a first deploy fails', async () => {
    const p = t.project('first');
    p.write({ mode: 'crash', greeting: 'hello v1' });
    const run = await t.deploy(p, 'v1.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    expect(run.result).toMatchObject({ outcome: 'reverted', failedStage: 'rollout', rollout: { failure: { rule: 'crash-loop' } }, revert: { tagRestored: true, workloadsRestored: true, tags: [] } });
    expect(run.result.images[0]).not.toHaveProperty('previousDigest');
    expect(await t.tagDigest(p, 'dev')).toBeUndefined();
    expect(await t.tagDigest(p, 'v1.0.0')).toBe(run.result.images[0]!.digest);
    expect(await t.deployment(p)).toBeUndefined();
    expect(await t.cluster.get({ apiVersion: 'v1', kind: 'Service', namespace: p.namespace, name: 'web' })).toBeUndefined();
  });

  it('puts both target tags and both Deployments back when the second of two images crashes', async () => {
    const { p, run: first } = await t.v1Deployed('pair', { worker: true });
    const v1 = Object.fromEntries(first.result.images.map((i) => [i.name, i.digest]));
    p.write({ mode: 'good', workerMode: 'crash', greeting: 'hello v2' });
    const run = await t.deploy(p, 'v2.0.0');

    expect(run.code, run.log.lines.join('\n')).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      rollout: { failure: { rule: 'crash-loop', resource: `Deployment ${p.namespace}/worker` } },
      revert: {
        tagRestored: true,
        workloadsRestored: true,
        tags: [
          { reference: `${p.repository}:dev`, status: 'restored', digest: v1.web },
          { reference: `${p.workerRepository}:dev`, status: 'restored', digest: v1.worker },
        ],
      },
    });
    for (const [name, repository] of [['web', p.repository], ['worker', p.workerRepository!]] as const) {
      expect(await t.tagDigest(p, 'dev', repository)).toBe(v1[name]);
      expect(deploymentState(await t.deployment(p, name))).toEqual({ available: true, image: `${repository}:dev@${v1[name]}` });
    }
  });

  it.each([
    {
      why: 'a manifest contradicts the environment',
      code: 2,
      outcome: 'invalid',
      setup: (p: Project) => writeFileSync(join(p.dir, 'k8s', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra, namespace: elsewhere }\n'),
      problem: /extra\.yaml:3: metadata\.namespace: ConfigMap extra: "elsewhere" contradicts environment dev's namespace/,
    },
    {
      why: 'the cluster guard refuses the API server the context points at',
      code: 4,
      outcome: 'blocked',
      setup: (p: Project) => p.write({ mode: 'good', greeting: 'hello', apiServer: 'https://prd.gke.example' }),
      problem: /cluster guard: environment "dev" expects API server https:\/\/prd\.gke\.example, but context "sandbox" points at https:\/\/127\.0\.0\.1:\d+/,
    },
  ])('stops before building or writing anything when $why (exit $code)', async ({ code, outcome, setup, problem }) => {
    const p = t.project('refused');
    p.write({ mode: 'good', greeting: 'hello' });
    setup(p);
    const run = await t.deploy(p, 'v1.0.0');

    expect(run.code).toBe(code);
    expect(run.result.outcome).toBe(outcome);
    expect([run.result.message, ...(run.result.problems ?? [])].join('\n')).toMatch(problem);
    expect(await t.tagDigest(p, 'v1.0.0')).toBeUndefined();
    expect(await t.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: p.namespace })).toBeUndefined();
  });

  it("refuses a change the API server would refuse (a Deployment's selector is immutable): exit 2 at the manifest's line, no tag moved, no object changed", async () => {
    const { p, v1 } = await t.v1Deployed('immutable');
    const before = await t.deployment(p);
    const file = join(p.dir, 'k8s', 'web.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/matchLabels:\n(\s+)app: web/, 'matchLabels:\n$1app: web\n$1tier: front').replace(/labels:\n(\s+)app: web/g, 'labels:\n$1app: web\n$1tier: front'));
    // The Deployment's selector, after the Service's.
    const line = readFileSync(file, 'utf8').split('\n').findLastIndex((l) => /^\s+selector:$/.test(l)) + 1;

    const run = await t.deploy(p, 'v1.0.0', { args: ['--no-build'] });

    expect(run.code, run.log.lines.join('\n')).toBe(2);
    expect(run.result.outcome).toBe('invalid');
    expect(run.result.problems).toEqual([
      expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')}:${line}: spec\\.selector: Deployment ${p.namespace}/web: the API server refuses it: .*field is immutable`)),
    ]);
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    expect((await t.deployment(p))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('stops a release whose new object a policy webhook refuses before any write, at its line, while v1 keeps running', async () => {
    const { p, v1 } = await t.v1Deployed('policy');
    const before = await t.deployment(p);
    const file = join(p.dir, 'k8s', 'flags.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  BETA: "on"\n');
    const removeHook = t.sandbox.admission.add(
      denyingWebhookFor(['configmaps'], 'owners.policy.example.com', 'every ConfigMap needs an owner label', (o) => o.metadata.namespace === p.namespace && !o.metadata.labels?.owner),
    );
    try {
      p.write({ mode: 'good', greeting: 'hello v2' });
      const run = await t.deploy(p, 'v2.0.0');

      expect(run.code, run.log.lines.join('\n')).toBe(2);
      expect(run.result.problems).toEqual([
        `${file}:1: ConfigMap ${p.namespace}/flags: the API server refuses it: apply ConfigMap ${p.namespace}/flags: Forbidden (403): admission webhook "owners.policy.example.com" denied the request: every ConfigMap needs an owner label`,
      ]);
    } finally {
      removeHook();
    }
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    expect(await t.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: p.namespace, name: 'flags' })).toBeUndefined();
    expect((await t.deployment(p))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('deploys version tags pushed earlier with --no-build; the same digest again moves no tag and changes nothing', async () => {
    const { p, v1 } = await t.v1Deployed('nobuild');
    const run = await t.deploy(p, 'v1.0.0', { args: ['--no-build'] });

    expect(run.code, run.log.lines.join('\n')).toBe(0);
    expect(run.result).toMatchObject({ outcome: 'deployed', images: [{ digest: v1, tags: ['v1.0.0'], previousDigest: v1 }] });
    expect(run.log.lines).toContainEqual(expect.stringMatching(/^manifests: 0 to create, 0 to change, 4 unchanged/));
    expect(run.log.lines.filter((l) => l.startsWith('[web]'))).toEqual([]);
    await t.expectV1Serving(p, v1);

    const never = await t.deploy(p, 'v9.9.9', { args: ['--no-build'] });
    expect(never.code).toBe(2);
    expect(never.result.problems).toEqual([expect.stringContaining(`${p.repository} has no tag v9.9.9: build and push version v9.9.9 first`)]);
  });
});
