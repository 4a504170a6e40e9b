// A minimal /openapi/v3: one document per group-version that lists the PATCH operation of each kind with its
// query parameters. That is what kubectl reads to learn that the server validates fields itself
// (cli-runtime's queryParamVerifierV3 looks for `fieldValidation` on the PATCH operation with the kind's
// x-kubernetes-group-version-kind), so plain `kubectl apply --server-side` works without client-side schemas.
// Schemas themselves are objects without properties (kubectl explain shows no fields).
import { createHash } from 'node:crypto';
import { groups } from './discovery.ts';

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function document(group: string, version: string): Record<string, unknown> | undefined {
  const g = groups().find((x) => x.name === group && x.version === version);
  if (!g) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const info of g.resources) {
    const gvk = { group: info.group, version: info.version, kind: info.kind };
    const base = `/${gvPath(group, version)}${info.namespaced ? '/namespaces/{namespace}' : ''}/${info.resource}/{name}`;
    const op = (action: string, params: string[]) => ({
      operationId: `${action}${info.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: params.map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } })),
      responses: { '200': { description: 'OK' } },
    });
    paths[base] = {
      get: op('get', ['pretty']),
      put: op('put', QUERY_PARAMS.filter((p) => p !== 'force')),
      patch: op('patch', QUERY_PARAMS),
      delete: op('delete', ['dryRun', 'pretty']),
    };
    const schemaName = `io.k8s.api.${info.group ? info.group.split('.')[0] : 'core'}.${info.version}.${info.kind}`;
    schemas[schemaName] = { type: 'object', 'x-kubernetes-group-version-kind': [gvk] };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0-sandbox' }, paths, components: { schemas } };
}

const hashOf = (doc: unknown) => createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128).toUpperCase();

export function openApiV3Index(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const g of groups()) {
    const key = gvPath(g.name, g.version);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(document(g.name, g.version))}` };
  }
  return { paths };
}

/** The document of 'api/v1' or 'apis/apps/v1', or undefined. */
export function openApiV3Document(gv: string): Record<string, unknown> | undefined {
  const parts = gv.replace(/\/+$/, '').split('/');
  if (parts[0] === 'api' && parts.length === 2) return document('', parts[1]!);
  if (parts[0] === 'apis' && parts.length === 3) return document(parts[1]!, parts[2]!);
  return undefined;
}
