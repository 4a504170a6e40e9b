// How the lists of the built-in kinds merge, by field name. A real server reads this from the OpenAPI schema
// (x-kubernetes-list-type / list-map-keys / patch-merge-key); the emulator keeps a table of the lists that
// workload manifests actually use. Everything else is atomic: replaced as a whole.

export type ListType = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

const BY_NAME: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  resourceClaims: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  containerStatuses: ['name'],
  initContainerStatuses: ['name'],
};

const SETS = new Set(['finalizers']);

/** The list type of field `name`, given its items (ports differ between containers and services). */
export function listTypeOf(name: string, items: unknown[]): ListType {
  if (SETS.has(name)) return { type: 'set' };
  if (name === 'ports') {
    const first = items.find((i) => i && typeof i === 'object') as Record<string, unknown> | undefined;
    if (first && 'containerPort' in first) return { type: 'map', keys: ['containerPort', 'protocol'] };
    if (first && 'port' in first) return { type: 'map', keys: ['port', 'protocol'] };
    return { type: 'atomic' };
  }
  const keys = BY_NAME[name];
  if (keys && items.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i))) return { type: 'map', keys };
  return { type: 'atomic' };
}

/** Key values of a list item; `protocol` defaults to TCP, as the schema default does for port lists. */
export function itemKey(item: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = item[k] ?? (k === 'protocol' ? 'TCP' : undefined);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function sameKey(a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]): boolean {
  const ka = itemKey(a, keys);
  const kb = itemKey(b, keys);
  return keys.every((k) => ka[k] === kb[k]);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
