import { describe, expect, it } from 'vitest';
import { ACTION_INPUTS, parseActionInputs } from '../../src/config/inputs.ts';
import { InputError, type Problem } from '../../src/errors.ts';

/** What core.getInput hands over: every declared input, '' when the workflow does not set it. */
function withInputs(set: Record<string, string>): Record<string, string> {
  return { ...Object.fromEntries(Object.keys(ACTION_INPUTS).map((name) => [name, ''])), ...set };
}

function problemsOf(values: Record<string, string>): Problem[] {
  try {
    parseActionInputs(values);
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('ACTION_INPUTS', () => {
  it('describes every input and gives each a default action.yml can carry', () => {
    for (const [name, input] of Object.entries(ACTION_INPUTS)) {
      expect(name).toMatch(/^[a-z][a-z-]*$/);
      expect(input.description.length, name).toBeGreaterThan(10);
      expect(typeof input.default).toBe('string');
    }
  });
});

describe('parseActionInputs', () => {
  it('maps a deploy from a merge: env and version, building first, with the defaults for the rest', () => {
    expect(parseActionInputs(withInputs({ env: 'dev', version: 'v4.2.0' }))).toEqual({
      command: 'deploy',
      config: 'rollgate.yml',
      env: 'dev',
      version: 'v4.2.0',
      noBuild: false,
      forceConflicts: false,
      outputs: {},
      verbose: false,
      overrides: {},
    });
  });

  it('maps a deploy job after a build job, with overrides and result files', () => {
    const request = parseActionInputs(
      withInputs({
        command: 'deploy',
        config: 'deploy/rollgate.yml',
        env: 'prd',
        version: 'refs/tags/v4.2.0',
        build: 'false',
        'kube-context': 'gke_acme_us-central1_prd',
        builder: 'buildah',
        'tag-policy': 'after-verify',
        'rollout-timeout': '10m',
        json: 'result.json',
        junit: 'smoke.xml',
        verbose: 'TRUE',
      }),
    );
    expect(request).toMatchObject({
      config: 'deploy/rollgate.yml',
      version: 'refs/tags/v4.2.0',
      noBuild: true,
      verbose: true,
      outputs: { json: 'result.json', junit: 'smoke.xml' },
      overrides: { kubeContext: 'gke_acme_us-central1_prd', builder: 'buildah', tagPolicy: 'after-verify', rolloutTimeoutMs: 600_000 },
    });
  });

  it.each([
    [{ command: 'promote', from: 'stg', to: 'prd' }, { command: 'promote', from: 'stg', to: 'prd' }],
    [{ command: 'rollback', env: 'prd', to: 'v4.1.0' }, { command: 'rollback', env: 'prd', to: 'v4.1.0' }],
    [{ command: 'validate' }, { command: 'validate' }],
    [{ command: 'inventory', image: 'reg.example.com/team/web:v1' }, { command: 'inventory', image: 'reg.example.com/team/web:v1' }],
  ])('maps %j', (set, expected) => {
    expect(parseActionInputs(withInputs(set))).toMatchObject(expected);
  });

  it('reports every problem at once, naming each input as with: does', () => {
    expect(
      problemsOf(withInputs({ command: 'promote', from: 'stg', version: 'v1.0.0', build: 'nope', builder: 'kaniko', 'rollout-timeout': '10 minutes' })),
    ).toEqual([
      { field: 'with.version', message: 'does not apply to "promote"' },
      { field: 'with.build', message: 'does not apply to "promote"' },
      { field: 'with.builder', message: 'does not apply to "promote"' },
      { field: 'with.to', message: '"promote" needs this input' },
      { field: 'with.build', message: 'expected true or false, got "nope"' },
      { field: 'with.builder', message: '"kaniko" is not one of auto, docker, buildah' },
      { field: 'with.rollout-timeout', message: '"10 minutes" is not a duration; write it like 300ms, 5s, 5m, 1h or 1m30s' },
    ]);
  });

  it.each([
    [{ command: 'deploy', env: 'dev', version: 'v1.2' }, 'with.version', 'version "v1.2" is not valid: it needs all three numbers (add ".0"); '],
    [{ command: 'validate', version: 'banana' }, 'with.version', 'version "banana" is not valid: '],
    [{ command: 'rollback', env: 'dev', to: 'latest!' }, 'with.to', '"latest!" is neither a version (e.g. v4.1.0) nor a digest (sha256:...)'],
    [{ command: 'rollback', env: 'dev', to: 'sha256:1234' }, 'with.to', '"sha256:1234" is not a digest (sha256: and 64 lowercase hex characters)'],
    [{ command: 'inventory', image: 'reg.example.com/Team/web:v1' }, 'with.image', 'repository name must be lowercase: Team/web'],
  ])('reads versions, rollback targets and image references by their grammar: %j', (set, field, message) => {
    expect(problemsOf(withInputs(set))).toEqual([{ field, message: expect.stringContaining(message) }]);
  });

  it('takes a rollback to a version or a digest, and a tag ref as the version', () => {
    expect(parseActionInputs(withInputs({ command: 'rollback', env: 'dev', to: 'v4.1.0' })).to).toBe('v4.1.0');
    expect(parseActionInputs(withInputs({ command: 'rollback', env: 'dev', to: `sha256:${'a'.repeat(64)}` })).to).toBe(`sha256:${'a'.repeat(64)}`);
    expect(parseActionInputs(withInputs({ command: 'build', version: 'refs/tags/v4.2.0' })).version).toBe('refs/tags/v4.2.0');
  });

  it('refuses an unknown command or input with the likely intended one', () => {
    expect(problemsOf(withInputs({ command: 'deplyo' }))).toEqual([
      { field: 'with.command', message: '"deplyo" is not a command (did you mean "deploy"?); commands: build, deploy, promote, rollback, rebuild, validate, status, inventory' },
    ]);
    expect(problemsOf({ ...withInputs({ env: 'dev' }), kube_context: 'x' })).toEqual([
      { field: 'with.kube_context', message: 'unknown input (did you mean "kube-context"?)' },
    ]);
  });
});
