// The registries of a run: one OCI client for every repository (its tokens, and the manifests it has read, are
// reused: a revert then costs three requests), one Registry per repository (GAR's adapter where it applies).
import type { Config } from '../config/types.ts';
import type { Logger } from '../log.ts';
import { endpointFor, parseRepository } from '../registry/endpoint.ts';
import { registryFor } from '../registry/factory.ts';
import { OciRegistry } from '../registry/oci-client.ts';
import type { Registry } from '../registry/types.ts';
import type { RegistryLookup } from './target-tags.ts';

export function registryLookup(config: Pick<Config, 'registries'>, options: { logger: Logger; env: Readonly<Record<string, string | undefined>> }): RegistryLookup {
  const common = { logger: options.logger, env: options.env as NodeJS.ProcessEnv };
  const oci = new OciRegistry({ ...common, registries: config.registries });
  const registries = new Map<string, Promise<Registry>>();
  return (repository) => {
    let registry = registries.get(repository);
    if (!registry) {
      registry = registryFor(repository, config, { ...common, oci });
      registries.set(repository, registry);
    }
    return registry;
  };
}

/** Whether rollgate talks to this repository's registry without TLS verification (loopback, `insecure: true`). */
export function insecureRepository(config: Pick<Config, 'registries'>): (repository: string) => boolean {
  return (repository) => !endpointFor(parseRepository(repository).host, config.registries).verifyTls;
}
