// Faults 1, 2 and 7 of issue 8, at the registry: a registry that answers 503 twice and then works (the deploy
// succeeds), a registry that cannot be reached during the revert (exit 3, and the commands printed finish the job),
// and a target tag someone else moves during the deploy (never clobbered, and said so).
//
// The registry is the real one behind a fault proxy. For fault 1 the repositories are named on the proxy, so
// everyone goes through it: rollgate's own client, docker's push and the kubelet's pull.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { SavedDeploy } from '../../src/deploy/saved-state.ts';
import { pushImage } from '../registry/images.ts';
import { startFaultProxy, type FaultProxy, type Match } from '../sandbox/fault-proxy.ts';
import { deploymentState, useDeploySandbox, type Project, type Run } from '../e2e/deploy-sandbox.ts';

const t = useDeploySandbox();
const host = inject('registryHost');

let proxies: FaultProxy[] = [];
async function faultProxy(): Promise<FaultProxy> {
  const proxy = await startFaultProxy(`http://${host}`);
  proxies.push(proxy);
  return proxy;
}
afterEach(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  proxies = [];
});

const log = (run: Run) => run.log.lines.join('\n');
/** The repository's path in the registry (no host). */
const pathOf = (p: Project) => p.repository.slice(p.repository.indexOf('/') + 1);

describe('fault 1: the registry answers 503 twice, then works', () => {
  it.each<{ what: string; match: (p: Project) => Match; beforeRollout?: (p: Project) => Promise<void>; events?: RegExp[] }>([
    // A first deploy: the read answers 404 once through, and the tag moves after verification.
    { what: "rollgate's read of the target tag", match: (p) => ({ method: 'GET', path: new RegExp(`/v2/${pathOf(p)}/manifests/dev$`) }) },
    { what: "rollgate's move of the target tag", match: (p) => ({ method: 'PUT', path: new RegExp(`/v2/${pathOf(p)}/manifests/dev$`) }) },
    { what: "docker's push of the version tag", match: (p) => ({ method: 'PUT', path: new RegExp(`/v2/${pathOf(p)}/manifests/v1\\.0\\.0$`) }) },
    {
      what: "the kubelet's pull of the new image",
      match: (p) => ({ method: 'GET', path: new RegExp(`/v2/${pathOf(p)}/manifests/sha256:`) }),
      // The build left the image on the engine the kubelet runs pods on: without this it would not pull at all.
      beforeRollout: async (p) => void (await promisify(execFile)('docker', ['image', 'rm', '-f', `${p.repository}:v1.0.0`], { env: { ...process.env, DOCKER_HOST: inject('dockerHost') } })),
      // The kubelet's pull failed, and a later one (after its back-off) went through.
      events: [/^Failed to pull image ".*": .*503 Service Unavailable/, /^Successfully pulled image/],
    },
  ])('$what: retried, and the deploy succeeds', async ({ match, beforeRollout, events }) => {
    const proxy = await faultProxy();
    const p = t.project(`r503-${proxies.length}`, { registry: proxy.host });
    // An image of its own (other projects build the same bytes): the engine has it under this name only.
    p.write({ mode: 'good', greeting: `hello from ${p.namespace}` });
    const faulted = match(p);
    const arm = () => proxy.failNext(2, 503, faulted);
    if (!beforeRollout) arm();
    let armed = false;
    const onRestoreState = async (file: string | undefined) => {
      if (!beforeRollout || armed || !file || !(JSON.parse(readFileSync(file, 'utf8')) as { applying?: boolean }).applying) return;
      armed = true;
      await beforeRollout(p);
      proxy.reset();
      arm();
    };
    const run = await t.deploy(p, 'v1.0.0', { onRestoreState });

    expect(run.code, log(run)).toBe(0);
    expect(run.result).toMatchObject({ outcome: 'deployed', smoke: { passed: true } });
    const v1 = run.result.images[0]!.digest;
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
    // Both 503s were answered, and the same request then went through to the registry (a 404 for the tag a first
    // deploy reads is the registry's own answer).
    const outcomes = proxy.requests.filter((r) => r.method === faulted.method && faulted.path!.test(r.path)).map((r) => r.outcome);
    expect(outcomes.slice(0, 3)).toEqual([503, 503, expect.any(Number)]);
    expect([200, 201, 404]).toContain(outcomes[2]);
    const messages = t.sandbox.store.list('events', { namespace: p.namespace }).items.map((e) => String((e as { message?: string }).message));
    for (const event of events ?? []) expect(messages).toContainEqual(expect.stringMatching(event));
  });
});

describe('fault 2: the registry cannot be reached during the revert', () => {
  it.each<{ what: string; cut: (proxy: FaultProxy) => void | Promise<void> }>([
    { what: 'it answers 503 to every write', cut: (proxy) => proxy.failNext(1000, 503, { method: 'PUT' }) },
    { what: 'it drops every connection', cut: (proxy) => proxy.dropNext(1000) },
    { what: 'nothing listens any more', cut: (proxy) => proxy.close() },
  ])('$what: exit 3, and the commands printed finish the job', async ({ cut }) => {
    const proxy = await faultProxy();
    const { p, v1 } = await t.v1Deployed(`unreach-${proxies.length}`);
    // rollgate alone reaches the registry through the proxy; the commands it prints name the registry itself.
    p.write({ mode: 'crash', greeting: 'hello v2', registryEndpoint: proxy.url });
    let cutDone = false;
    const run = await t.deploy(p, 'v2.0.0', {
      onRestoreState: async (file) => {
        if (!file || cutDone) return;
        cutDone = true;
        await cut(proxy);
      },
    });

    expect(run.code, log(run)).toBe(3);
    const skopeo = `skopeo copy --all --src-tls-verify=false --dest-tls-verify=false docker://${p.repository}@${v1} docker://${p.repository}:dev`;
    const crane = `# or: crane tag --insecure ${p.repository}@${v1} dev`;
    expect(run.result).toMatchObject({
      outcome: 'revert-failed',
      revert: { tagRestored: false, workloadsRestored: true, tags: [{ reference: `${p.repository}:dev`, status: 'failed' }], left: [{ what: expect.stringContaining(`${p.repository}:dev could not be reverted to ${v1}`), commands: [skopeo, crane] }] },
    });
    expect(run.result.message).toContain('the revert did not finish (1 left to do by hand)');
    expect(run.stdout).toContain(`The revert did not finish. Left to do, by hand:`);
    expect(run.stdout.split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining([skopeo, crane]));
    expect(await t.tagDigest(p, 'dev')).toBe(run.result.images[0]!.digest);
    // An unfinished revert keeps its state for the person finishing it.
    expect(readdirSync(t.runnerTemp)).toEqual([expect.stringMatching(/^rollgate-restore-dev-/)]);

    await promisify(execFile)('skopeo', skopeo.split(' ').slice(1), { env: { ...process.env, HOME: p.dir } });
    await t.expectV1Serving(p, v1);
    for (const dir of readdirSync(t.runnerTemp)) rmSync(join(t.runnerTemp, dir), { recursive: true });
  });
});

describe('fault 7: the target tag moved by someone else during the deploy', () => {
  /** Another pipeline points dev at its own image once the run has started to write to the cluster. */
  function theirsDuringRollout(p: Project): { hooks: { onRestoreState: (file: string | undefined) => Promise<void> }; theirs: () => string | undefined } {
    let theirs: string | undefined;
    return {
      theirs: () => theirs,
      hooks: {
        onRestoreState: async (file) => {
          if (!file || theirs) return;
          const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedDeploy & { applying?: boolean };
          if (!saved.applying) return;
          theirs = (await pushImage(host, pathOf(p), 'dev')).digest;
        },
      },
    };
  }

  it('a failing release: the revert leaves their tag alone, says so, and still restores the workloads', async () => {
    const { p, v1 } = await t.v1Deployed('raced-fail');
    p.write({ mode: 'crash', greeting: 'hello v2' });
    const other = theirsDuringRollout(p);
    const run = await t.deploy(p, 'v2.0.0', other.hooks);

    expect(run.code, log(run)).toBe(1);
    expect(run.result).toMatchObject({
      outcome: 'reverted',
      failedStage: 'rollout',
      revert: { tagRestored: false, workloadsRestored: true, tags: [{ reference: `${p.repository}:dev`, status: 'moved-by-someone-else', digest: other.theirs() }] },
    });
    expect(run.result.message).toContain(`${p.repository}:dev moved by someone else meanwhile, left alone`);
    expect(await t.tagDigest(p, 'dev')).toBe(other.theirs());
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it.each<{ policy: 'before-verify' | 'after-verify'; when: string }>([
    { policy: 'before-verify', when: 'after the run moved it' },
    { policy: 'after-verify', when: 'before the run moves it' },
  ])('a passing release, $policy (moved $when): their tag stays, the run says so, exit 1 with the workloads back', async ({ policy }) => {
    const { p, v1 } = await t.v1Deployed(`raced-${policy}`);
    p.write({ mode: 'good', greeting: 'hello v2', tagPolicy: policy });
    const other = theirsDuringRollout(p);
    const run = await t.deploy(p, 'v2.0.0', other.hooks);

    expect(run.code, log(run)).toBe(1);
    expect(run.result).toMatchObject({ outcome: 'reverted', failedStage: 'tag', smoke: { passed: true }, revert: { workloadsRestored: true } });
    expect(run.result.message).toContain(`${p.repository}:dev was moved by someone else to ${other.theirs()}`);
    expect(await t.tagDigest(p, 'dev')).toBe(other.theirs());
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
  });

  it('a first deploy: a dev tag someone else created meanwhile stays theirs', async () => {
    const p = t.project('raced-first');
    p.write({ mode: 'good', greeting: 'hello v1' });
    const other = theirsDuringRollout(p);
    const run = await t.deploy(p, 'v1.0.0', other.hooks);

    expect(run.code, log(run)).toBe(1);
    expect(run.result).toMatchObject({ outcome: 'reverted', failedStage: 'tag', revert: { workloadsRestored: true } });
    expect(run.result.message).toContain(`${p.repository}:dev was moved by someone else to ${other.theirs()}`);
    expect(await t.tagDigest(p, 'dev')).toBe(other.theirs());
    expect(await t.deployment(p)).toBeUndefined();
  });
});
