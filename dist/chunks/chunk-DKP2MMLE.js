import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/kube/cluster.ts
var ConflictError = class extends Error {
  name = "ConflictError";
};
function refOf(object) {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...object.metadata.namespace !== void 0 ? { namespace: object.metadata.namespace } : {}
  };
}
function describeRef(ref) {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

export {
  ConflictError,
  refOf,
  describeRef
};
