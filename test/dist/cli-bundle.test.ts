// The committed bundle, run the way users run it: `node dist/cli.js` with no node_modules in reach.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let bundle = '';
let scratch = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'rollgate-dist-'));
  cpSync(join(root, 'dist'), join(scratch, 'dist'), { recursive: true });
  cpSync(join(root, 'examples/invoice'), join(scratch, 'invoice'), { recursive: true });
  cpSync(join(root, 'test/config/fixtures/many-mistakes'), join(scratch, 'many-mistakes'), { recursive: true });
  bundle = join(scratch, 'dist/cli.js');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function rollgate(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bundle, ...args], { cwd: scratch, env: { PATH: process.env.PATH!, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('dist/cli.js', () => {
  it('prints help and its version', async () => {
    expect((await rollgate(['--help'])).stdout).toContain('Usage: rollgate <command> [flags]');
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect((await rollgate(['--version'])).stdout.trim()).toBe(version);
  });

  it('validates the example config: exit 0', async () => {
    const { code, stdout } = await rollgate(['validate', '-c', 'invoice/rollgate.yml'], { SMOKE_PASSWORD: 'x' });
    expect(code).toBe(0);
    expect(stdout).toContain('invoice/rollgate.yml is valid');
  });

  it('lists every mistake of a bad config with file:line, exit 2', async () => {
    const { code, stderr } = await rollgate(['validate', '-c', 'many-mistakes/rollgate.yml']);
    expect(code).toBe(2);
    const lines = stderr.split('\n').filter((l) => /many-mistakes\/rollgate\.yml:\d+:\d+: /.test(l));
    expect(lines.length).toBeGreaterThan(20);
  });
});
