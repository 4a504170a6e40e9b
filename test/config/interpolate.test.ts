import { describe, expect, it } from 'vitest';
import { interpolate, type InterpolationScope } from '../../src/config/interpolate.ts';

const scope: InterpolationScope = { env: 'stg', variables: { REGION: 'us-central1', TOKEN: 's3cret', EMPTY: '' } };

describe('interpolate', () => {
  it.each([
    ['k8s/overlays/${env}', 'k8s/overlays/stg'],
    ['gke_acme_${REGION}_${env}', 'gke_acme_us-central1_stg'],
    ['cost: $5 and $${HOME} stay', 'cost: $5 and ${HOME} stay'],
    ['$${env}', '${env}'],
    ['no references', 'no references'],
    ['{capture} is left for the smoke runner', '{capture} is left for the smoke runner'],
  ])('renders %j as %j', (text, expected) => {
    const out = interpolate(text, scope);
    expect(out.errors).toEqual([]);
    expect(out.value).toBe(expected);
  });

  it('names the variables it substituted, so their values can be redacted', () => {
    expect(interpolate('Bearer ${TOKEN}', scope).used).toEqual([{ name: 'TOKEN', value: 's3cret' }]);
  });

  it.each([
    ['${MISSING}', 'environment variable MISSING is not set'],
    ['${EMPTY}', 'environment variable EMPTY is empty'],
    ['${not a name}', '"${not a name}" is not a variable reference'],
    ['open ${REGION', '"${REGION" has no closing "}"'],
  ])('refuses %j', (text, message) => {
    const out = interpolate(text, scope);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toContain(message);
  });

  it('reports every missing variable in one string', () => {
    expect(interpolate('${A}-${B}', scope).errors).toEqual([
      'environment variable A is not set',
      'environment variable B is not set',
    ]);
  });

  it('has no value for ${env} in a field shared by every environment, unless asked to keep it', () => {
    const shared = { env: undefined, variables: {} };
    expect(interpolate('x-${env}', shared).errors[0]).toMatch(/shared by every environment; select one with --env/);
    expect(interpolate('x-${env}', { ...shared, envMode: 'verbatim' }).value).toBe('x-${env}');
  });
});
