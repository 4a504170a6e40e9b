import { describe, expect, it } from 'vitest';
import { parseArgv } from '../../src/cli/args.ts';
import { InputError } from '../../src/errors.ts';

function run(argv: string[]) {
  const parsed = parseArgv(argv);
  if (parsed.kind !== 'run') throw new Error(`expected a command, got ${parsed.kind}`);
  return parsed.invocation;
}

function problems(argv: string[]): string[] {
  try {
    parseArgv(argv);
  } catch (err) {
    if (err instanceof InputError) return err.problems.map((p) => `${p.field}: ${p.message}`);
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('rollgate argv', () => {
  it.each([
    [[], 'help'],
    [['--help'], 'help'],
    [['help'], 'help'],
    [['--version'], 'version'],
    [['deploy', '--help'], 'help'],
  ])('%j is %s', (argv, kind) => {
    expect(parseArgv(argv).kind).toBe(kind);
  });

  it('reads a deploy like the action reads its inputs', () => {
    expect(run(['deploy', '-c', 'ci/rollgate.yml', '--env', 'dev', '--version', 'v4.2.0', '--no-build', '--context', 'gke_dev', '--json', 'r.json', '--summary', 's.md'])).toMatchObject({
      command: 'deploy',
      config: 'ci/rollgate.yml',
      env: 'dev',
      version: 'v4.2.0',
      noBuild: true,
      overrides: { kubeContext: 'gke_dev' },
      outputs: { json: 'r.json' },
      summary: 's.md',
      jsonToStdout: false,
    });
  });

  it('builds by default and defaults the config to rollgate.yml', () => {
    expect(run(['deploy', '--env', 'dev'])).toMatchObject({ noBuild: false, config: 'rollgate.yml' });
  });

  it('takes the overrides of rollgate.yml as flags', () => {
    expect(run(['deploy', '--env', 'dev', '--builder', 'buildah', '--tag-policy', 'after-verify', '--rollout-timeout', '90s']).overrides).toEqual({
      builder: 'buildah',
      tagPolicy: 'after-verify',
      rolloutTimeoutMs: 90_000,
    });
  });

  it('gives inventory its image and prints JSON to stdout for a bare --json', () => {
    expect(run(['inventory', 'reg.local:5000/app:v1', '--json'])).toMatchObject({ image: 'reg.local:5000/app:v1', jsonToStdout: true, outputs: {} });
    expect(run(['inventory', 'reg.local:5000/app:v1', '--json', 'inv.json'])).toMatchObject({ jsonToStdout: false, outputs: { json: 'inv.json' } });
  });

  it.each([
    [['shipit'], 'command: unknown command "shipit"; commands: build, deploy, promote, rollback, rebuild, validate, status, inventory'],
    [['deploy'], '--env: "deploy" needs this flag'],
    [['build'], '--version: "build" needs this flag'],
    [['promote', '--from', 'dev'], '--to: "promote" needs this flag'],
    [['validate', '--no-build'], '--no-build: does not apply to "validate"'],
    [['status', '--env', 'dev', 'extra'], 'flags: unexpected argument "extra"'],
    [['inventory'], 'IMAGE_REF: "inventory" needs exactly one image reference'],
    [['deploy', '--env', 'dev', '--builder', 'podman'], '--builder: "podman" is not one of auto, docker, buildah'],
    [['deploy', '--env', 'dev', '--rollout-timeout', '5 minutes'], '--rollout-timeout: '],
  ])('refuses %j', (argv, problem) => {
    expect(problems(argv).some((p) => p.startsWith(problem))).toBe(true);
  });

  it.each([
    [['deploy', '--env', 'dev', '--dry-run'], ['--dry-run: unknown flag']],
    [['deploy', '--env', 'dev', '--verison', 'v1.0.0'], ['--verison: unknown flag (did you mean "--version"?)']],
    [['deploy', '--version', 'v1.0.0', '--env'], ['--env: needs a value']],
    [['deploy', '--env', 'dev', '--no-build=yes'], ['--no-build: takes no value (it is a switch)']],
    [['inventory'], ['IMAGE_REF: "inventory" needs exactly one image reference']],
  ])('names the flag of a flag mistake: %j', (argv, expected) => {
    expect(problems(argv)).toEqual(expected);
  });

  it('lists every problem at once', () => {
    expect(problems(['promote', '--no-build', '--env', 'dev'])).toHaveLength(4);
  });
});
