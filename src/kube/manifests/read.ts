// The manifests of one environment, loaded and checked: every problem at once as one InputError (exit 2), before
// anything is written.
import { InputError } from '../../errors.ts';
import type { EnvironmentConfig } from '../../config/types.ts';
import type { ScopeLookup } from './kinds.ts';
import { loadManifests, type LoadOptions } from './load.ts';
import { validateManifests, type Manifest } from './validate.ts';

export interface ReadOptions extends LoadOptions {
  scopes?: ScopeLookup;
}

export async function readManifests(env: Pick<EnvironmentConfig, 'name' | 'namespace' | 'manifests'>, options: ReadOptions = {}): Promise<Manifest[]> {
  const loaded = await loadManifests(env.manifests, options);
  const checked = validateManifests(loaded.manifests, {
    environment: { name: env.name, namespace: env.namespace },
    ...(options.scopes ? { scopes: options.scopes } : {}),
  });
  const problems = [...loaded.problems, ...checked.problems];
  if (problems.length > 0) throw new InputError(problems);
  if (checked.manifests.length === 0) {
    throw new InputError({ field: `environments.${env.name}.manifests`, message: `environment ${env.name}: the manifests hold no objects (${env.manifests.join(', ') || 'none listed'})` });
  }
  return checked.manifests;
}
