// Which Registry serves a repository: Artifact Registry hosts get the GAR adapter (tags through its API), every
// other host the OCI Distribution client. The GAR module, and the client library behind it, load only when needed.
import type { Config } from '../config/types.ts';
import { silentLogger, type Logger } from '../log.ts';
import { parseRepository } from './endpoint.ts';
import { OciRegistry, type OciRegistryOptions } from './oci-client.ts';
import type { Registry } from './types.ts';

export interface RegistryFactoryOptions extends Omit<OciRegistryOptions, 'registries'> {
  logger?: Logger;
  /** Reuse one OCI client (and its tokens) across repositories; a new one otherwise. */
  oci?: Registry;
}

/** `us-docker.pkg.dev`, `europe-west1-docker.pkg.dev`: Artifact Registry's Docker hosts. */
export function isArtifactRegistryHost(host: string): boolean {
  return /^[a-z0-9-]+-docker\.pkg\.dev$/.test(host.toLowerCase());
}

export async function registryFor(repository: string, config: Pick<Config, 'registries'>, options: RegistryFactoryOptions = {}): Promise<Registry> {
  const { host } = parseRepository(repository);
  const logger = options.logger ?? silentLogger;
  const oci = options.oci ?? new OciRegistry({ ...options, logger, registries: config.registries });
  if (!isArtifactRegistryHost(host)) return oci;
  const { createGarRegistry } = await import('./gar.ts');
  return createGarRegistry({ settings: config.registries[host], logger, oci, env: options.env });
}
