// rollgate promote and rollback against the sandbox: no build, the digests looked up in the registry (another
// environment's target tag, an earlier version tag), then the same tag moves, apply, rollout and smoke as a deploy.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { deploymentState, useDeploySandbox, type Project } from './deploy-sandbox.ts';

const t = useDeploySandbox();
const rollgate = (p: Project, args: string[]) => t.cli(p, args);

describe('rollgate promote', () => {
  it('promotes what dev runs to stg: stg tag on v1, the stg Deployment pinned to it and Available, the smoke test passed', async () => {
    const { p, v1 } = await t.v1Deployed('promote');
    const stg = withStaging(p);

    const run = await rollgate(p, ['promote', '--from', 'dev', '--to', 'stg']);

    expect(run.code, run.log).toBe(0);
    expect(run.result).toMatchObject({ command: 'promote', outcome: 'deployed', environment: 'stg', version: 'v1.0.0', smoke: { passed: true } });
    expect(run.result.images).toEqual([{ name: 'web', repository: p.repository, digest: v1, tags: ['v1.0.0'], targetTag: 'stg' }]);
    expect(await t.tagDigest(p, 'stg')).toBe(v1);
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    const deployment = await t.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: stg, name: 'web' });
    expect(deploymentState(deployment)).toEqual({ available: true, image: `${p.repository}:stg@${v1}` });
  });

  it("reverts stg when the promoted release fails there (stg's own manifests break it): stg tag and Deployment back on v1", async () => {
    const { p, v1 } = await t.v1Deployed('promote-fail');
    const stg = withStaging(p);
    expect((await rollgate(p, ['promote', '--from', 'dev', '--to', 'stg'])).code).toBe(0);
    p.write({ mode: 'good', greeting: 'hello v2' });
    const v2 = await t.deploy(p, 'v2.0.0');
    expect(v2.code, v2.log.lines.join('\n')).toBe(0);
    withStaging(p); // p.write rewrote rollgate.yml with dev alone
    // What an overlay can do to a release that passed in dev: stg's container runs a command that exits.
    editStaging(p, (o) => {
      for (const c of o.spec?.template?.spec?.containers ?? []) c.command = ['sh', '-c', 'echo PAYMENTS_URL is not set; exit 3'];
    });

    const run = await rollgate(p, ['promote', '--from', 'dev', '--to', 'stg']);

    expect(run.code, run.log).toBe(1);
    expect(run.result).toMatchObject({
      command: 'promote',
      outcome: 'reverted',
      environment: 'stg',
      version: 'v2.0.0',
      failedStage: 'rollout',
      rollout: { failure: { rule: 'crash-loop' } },
      revert: { tagRestored: true, workloadsRestored: true },
    });
    expect(run.result.images).toEqual([
      { name: 'web', repository: p.repository, digest: v2.result.images[0]!.digest, tags: ['v2.0.0'], targetTag: 'stg', previousDigest: v1 },
    ]);
    expect(run.log).toContain('PAYMENTS_URL is not set');
    expect(await t.tagDigest(p, 'stg')).toBe(v1);
    expect(await t.tagDigest(p, 'dev')).toBe(v2.result.images[0]!.digest);
    const deployment = await t.cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: stg, name: 'web' });
    expect(deploymentState(deployment)).toEqual({ available: true, image: `${p.repository}:stg@${v1}` });
    expect((deployment?.spec as { template: { spec: { containers: { command?: string[] }[] } } }).template.spec.containers[0]!.command).toBeUndefined();
  });

  it('refuses to promote from an environment with nothing deployed (exit 2, its tag named), and writes nothing', async () => {
    const p = t.project('promote-none');
    p.write({ mode: 'good', greeting: 'hello v1' });
    const stg = withStaging(p);

    const run = await rollgate(p, ['promote', '--from', 'dev', '--to', 'stg']);

    expect(run.code, run.log).toBe(2);
    expect(run.result.message).toContain(`${p.repository}:dev does not exist`);
    expect(await t.tagDigest(p, 'stg')).toBeUndefined();
    expect(await t.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: stg })).toBeUndefined();
  });
});

describe('rollgate rollback', () => {
  it('goes back from a good v2 to v1 (the previous version tag): tag and Deployment on v1, the smoke test passed', async () => {
    const { p, v1 } = await t.v1Deployed('rollback');
    p.write({ mode: 'good', greeting: 'hello v2' });
    const v2 = await t.deploy(p, 'v2.0.0');
    expect(v2.code, v2.log.lines.join('\n')).toBe(0);

    const run = await rollgate(p, ['rollback', '--env', 'dev']);

    expect(run.code, run.log).toBe(0);
    expect(run.result).toMatchObject({ command: 'rollback', outcome: 'deployed', environment: 'dev', version: 'v1.0.0', smoke: { passed: true } });
    expect(run.result.images).toEqual([{ name: 'web', repository: p.repository, digest: v1, tags: ['v1.0.0'], targetTag: 'dev', previousDigest: v2.result.images[0]!.digest }]);
    await t.expectV1Serving(p, v1);
  });

  it('goes to a digest named with --to, verified like a deploy', async () => {
    const { p, v1 } = await t.v1Deployed('rollback-digest');
    p.write({ mode: 'good', greeting: 'hello v2' });
    const v2 = await t.deploy(p, 'v2.0.0');
    expect(v2.code, v2.log.lines.join('\n')).toBe(0);

    const run = await rollgate(p, ['rollback', '--env', 'dev', '--to', v1]);

    expect(run.code, run.log).toBe(0);
    expect(run.result).toMatchObject({ command: 'rollback', outcome: 'deployed', version: 'v1.0.0', smoke: { passed: true } });
    expect(run.result.images[0]).toMatchObject({ digest: v1, targetTag: 'dev', previousDigest: v2.result.images[0]!.digest });
    await t.expectV1Serving(p, v1);
  });

  it('refuses a version that does not exist (exit 2, the tag named), and writes nothing', async () => {
    const p = t.project('rollback-none');
    p.write({ mode: 'good', greeting: 'hello v1' });

    const run = await rollgate(p, ['rollback', '--env', 'dev', '--to', 'v9.9.9']);

    expect(run.code, run.log).toBe(2);
    expect(run.result.message).toContain(`${p.repository} has no tag v9.9.9`);
    expect(await t.tagDigest(p, 'dev')).toBeUndefined();
    expect(await t.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: p.namespace })).toBeUndefined();
  });
});

/** Adds (or writes again) a stg environment: its own namespace, manifests naming the stg tag. Returns its namespace. */
function withStaging(p: Project): string {
  const namespace = `${p.namespace}-stg`;
  const objects = parseAllDocuments(readFileSync(join(p.dir, 'k8s', 'web.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, any>);
  for (const o of objects) {
    if (o.kind === 'Namespace') o.metadata.name = namespace;
    for (const c of o.spec?.template?.spec?.containers ?? []) c.image = c.image.replace(/:dev$/, ':stg');
  }
  mkdirSync(join(p.dir, 'k8s-stg'), { recursive: true });
  writeFileSync(join(p.dir, 'k8s-stg', 'web.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  const config = parse(readFileSync(p.configPath, 'utf8'));
  delete config.manifests;
  config.environments.dev.manifests = ['k8s'];
  config.environments.stg = { targetTag: 'stg', namespace, manifests: ['k8s-stg'] };
  writeFileSync(p.configPath, stringify(config));
  return namespace;
}

/** Rewrites every object of the stg manifests with `edit`. */
function editStaging(p: Project, edit: (o: Record<string, any>) => void): void {
  const file = join(p.dir, 'k8s-stg', 'web.yaml');
  const objects = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, any>);
  objects.forEach(edit);
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
}
