import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  OciRegistry,
  endpointFor,
  parseRepository,
  registryFor
} from "./chunk-QWDPOG5O.js";

// src/deploy/registries.ts
function registryLookup(config, options) {
  let common = { logger: options.logger, env: options.env }, oci = new OciRegistry({ ...common, registries: config.registries }), registries = /* @__PURE__ */ new Map();
  return (repository) => {
    let registry = registries.get(repository);
    return registry || (registry = registryFor(repository, config, { ...common, oci }), registries.set(repository, registry)), registry;
  };
}
function insecureRepository(config) {
  return (repository) => !endpointFor(parseRepository(repository).host, config.registries).verifyTls;
}

export {
  registryLookup,
  insecureRepository
};
