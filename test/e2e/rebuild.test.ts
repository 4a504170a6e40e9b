// rollgate rebuild against the sandbox: the nightly job rebuilds what dev runs from the commit its labels name, with
// the base image pulled again. The base image here carries a dpkg status file; a "patched" base is the same tag
// pushed again with a newer libssl3, as a distribution's security update would be.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseArgv } from '../../src/cli/args.ts';
import { runCommand } from '../../src/cli/commands.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import type { RunDetails } from '../../src/report/details.ts';
import { exitCodeFor, failureResult, type RunResult } from '../../src/report/result.ts';
import { summaryMarkdown } from '../../src/report/summary.ts';
import { recordingLogger } from '../kube/tracker-cluster.ts';
import { deploymentState, useDeploySandbox, type Project } from './deploy-sandbox.ts';

const t = useDeploySandbox();
const docker = (args: string[], cwd?: string) => execFileSync('/usr/bin/docker', args, { cwd, env: { ...process.env, DOCKER_HOST: inject('dockerHost') }, stdio: 'pipe' });
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();

/** Pushes `base` as the sandbox's busybox plus a dpkg status file naming libssl3 at `version`. */
function pushBase(base: string, version: string): void {
  const dir = mkdtempSync(join(inject('sandboxDir'), 'rebuild-base-'));
  writeFileSync(join(dir, 'status'), `Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\nPackage: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1\n`);
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${inject('baseImage')}\nCOPY status /var/lib/dpkg/status\n`);
  docker(['build', '--network', 'none', '-q', '-t', base, '.'], dir);
  docker(['push', '-q', base]);
}

/** The project, built on `base`, committed to a git repository; returns the commit. */
function commitProject(p: Project, base: string): string {
  const config = parse(readFileSync(p.configPath, 'utf8'));
  config.images.web.buildArgs.BASE_IMAGE = base;
  writeFileSync(p.configPath, stringify(config));
  git(p.dir, 'init', '-q');
  git(p.dir, 'add', '.');
  git(p.dir, 'commit', '-q', '-m', 'v1');
  return git(p.dir, 'rev-parse', 'HEAD');
}

async function rollgate(p: Project, sha: string, args: string[]): Promise<{ code: number; result: RunResult; details: RunDetails; log: string }> {
  const log = recordingLogger();
  let result: RunResult;
  let details: RunDetails = {};
  try {
    const parsed = parseArgv([...args, '-c', p.configPath, '--env', 'dev', '--kubeconfig', t.sandbox.kubeconfigPath]);
    if (parsed.kind !== 'run') throw new Error('not a run');
    result = await runCommand(parsed.invocation, { logger: log, env: { ...t.env(), GITHUB_SHA: sha }, cwd: p.dir, signal: new AbortController().signal }, { stdout: () => undefined, details: (d) => void (details = d) });
  } catch (err) {
    result = failureResult(args[0]!, err);
  }
  return { code: exitCodeFor(result), result, details, log: log.lines.join('\n') };
}

const tagsOf = (repository: string) => new OciRegistry({ registries: {} }).listTags(repository);

describe('rollgate rebuild', () => {
  it('pushes nothing when no package changed, then rebuilds, pushes a build tag and deploys it when the base image got a patched package', async () => {
    const p = t.project('rebuild');
    p.write({ mode: 'good', greeting: 'hello v1' });
    const base = `${inject('registryHost')}/e2e/${p.namespace}-base:12`;
    pushBase(base, '3.0.11-1');
    const sha = commitProject(p, base);
    const v1 = await rollgate(p, sha, ['deploy', '--version', 'v1.0.0']);
    expect(v1.code, v1.log).toBe(0);
    const v1Digest = v1.result.images[0]!.digest;

    const same = await rollgate(p, sha, ['rebuild']);

    expect(same.code, same.log).toBe(0);
    expect(same.result).toMatchObject({ command: 'rebuild', outcome: 'unchanged', environment: 'dev', version: 'v1.0.0' });
    expect(same.result.message).toContain('no package changed');
    expect((await tagsOf(p.repository)).sort()).toEqual(['dev', 'v1.0.0']);
    expect(await t.tagDigest(p, 'dev')).toBe(v1Digest);

    // The distribution ships a fix; the nightly job runs on a newer commit of the default branch.
    pushBase(base, '3.0.13-1');
    writeFileSync(join(p.dir, 'NEWS'), 'work after v1\n');
    git(p.dir, 'add', 'NEWS');
    git(p.dir, 'commit', '-q', '-m', 'after v1');

    const patched = await rollgate(p, git(p.dir, 'rev-parse', 'HEAD'), ['rebuild']);

    expect(patched.code, patched.log).toBe(0);
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const buildTag = `v1.0.0_${day}`;
    expect(patched.result).toMatchObject({ command: 'rebuild', outcome: 'deployed', environment: 'dev', version: buildTag, smoke: { passed: true } });
    expect(patched.result.packageChanges).toEqual([{ image: 'web', type: 'deb', name: 'libssl3', from: '3.0.11-1', to: '3.0.13-1' }]);
    const rebuilt = patched.result.images[0]!;
    expect(rebuilt).toMatchObject({ name: 'web', tags: [buildTag], targetTag: 'dev', previousDigest: v1Digest });
    expect(rebuilt.digest).not.toBe(v1Digest);
    expect(await t.tagDigest(p, buildTag)).toBe(rebuilt.digest);
    expect(await t.tagDigest(p, 'v1.0.0')).toBe(v1Digest);
    expect(await t.tagDigest(p, 'dev')).toBe(rebuilt.digest);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${rebuilt.digest}` });
    // Built from the commit v1 was built from, not from HEAD: the labels say so, and the worktree is gone.
    expect(patched.log).toContain(`runs v1.0.0 (commit ${sha})`);
    expect(git(p.dir, 'worktree', 'list').split('\n')).toHaveLength(1);
    expect(summaryMarkdown(patched.result, patched.details)).toContain('libssl3 | 3.0.11-1 | 3.0.13-1');

    // A second rebuild the same day with nothing new: unchanged against the rebuilt image.
    const again = await rollgate(p, sha, ['rebuild']);
    expect(again.result.outcome, again.log).toBe('unchanged');
  });

  it('refuses an environment with nothing deployed (exit 2) and builds nothing', async () => {
    const p = t.project('rebuild-none');
    p.write({ mode: 'good', greeting: 'hello' });
    mkdirSync(join(p.dir, 'unused'), { recursive: true });

    const run = await rollgate(p, 'f'.repeat(40), ['rebuild']);

    expect(run.code, run.log).toBe(2);
    expect(run.result.message).toContain(`${p.repository}:dev does not exist`);
    expect(await tagsOf(p.repository).catch(() => [])).toEqual([]);
  });
});
