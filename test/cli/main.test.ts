import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/invoice/rollgate.yml');
const MISTAKES = resolve(import.meta.dirname, '../config/fixtures/many-mistakes/rollgate.yml');
const scratch = mkdtempSync(join(tmpdir(), 'rollgate-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: scratch });
  return { code, stdout, stderr };
}

describe('rollgate CLI', () => {
  it('validates the example and reports what a deploy would use', async () => {
    const { code, stdout } = await cli(['validate', '-c', EXAMPLE, '--version', 'v4.2.0', '--json', 'r.json'], { SMOKE_PASSWORD: 's3cret' });
    expect(code).toBe(0);
    expect(stdout).toContain('web: us-docker.pkg.dev/acme/apps/invoice tags v4.2.0, v4.2');
    const result = JSON.parse(readFileSync(join(scratch, 'r.json'), 'utf8'));
    expect(result).toMatchObject({ command: 'validate', outcome: 'valid', version: 'v4.2.0' });
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('exits 2 listing every mistake with file:line and field, and writes the result', async () => {
    const { code, stderr } = await cli(['validate', '-c', MISTAKES, '--json', 'bad.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('invalid input (nothing was changed)');
    expect(stderr).toMatch(/many-mistakes\/rollgate\.yml:4:\d+: images\.web\.repository: /);
    expect(stderr).toMatch(/rollgate\.yml:23:\d+: rollout\.timeout: /);
    const result = JSON.parse(readFileSync(join(scratch, 'bad.json'), 'utf8'));
    expect(result.outcome).toBe('invalid');
    expect(result.problems.length).toBeGreaterThan(20);
  });

  it('refuses a Node.js older than its Kubernetes client needs, before doing anything; help still prints', async () => {
    const io = (nodeVersion: string) => {
      const out = { stdout: '', stderr: '' };
      return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, cwd: scratch, nodeVersion } };
    };
    const old = io('20.20.2');
    expect(await main(['validate', '-c', EXAMPLE, '--json', 'old.json'], old.io)).toBe(2);
    expect(old.out.stderr).toBe('rollgate: needs Node.js 22.19 or newer, this is 20.20.2; nothing was changed (in GitLab CI use an image with Node.js 22 or 24, e.g. node:24)\n');
    const help = io('20.20.2');
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out.stdout).toContain('Usage: rollgate <command>');
    const recent = io('22.19.0');
    expect(await main(['validate', '-c', EXAMPLE, '--version', 'v4.2.0'], { ...recent.io, env: { SMOKE_PASSWORD: 'x' } })).toBe(0);
  });

  it('exits 2 for a missing config file, naming it', async () => {
    const { code, stderr } = await cli(['validate', '-c', 'nowhere.yml']);
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(scratch, 'nowhere.yml')}: config file not found`);
  });

  it('exits 2 on bad flags before doing anything', async () => {
    const { code, stderr } = await cli(['deploy']);
    expect(code).toBe(2);
    expect(stderr).toContain('--env: "deploy" needs this flag');
  });

  it('prints its help and version', async () => {
    expect((await cli(['--help'])).stdout).toContain('Exit codes:');
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
