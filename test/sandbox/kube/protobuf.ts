// kubectl's generator commands (`kubectl create namespace|configmap|secret|serviceaccount`) send their object as
// Kubernetes protobuf (application/vnd.kubernetes.protobuf) and do not fall back to JSON on a 415. This decodes
// that encoding for those few kinds: the `k8s\0` envelope (runtime.Unknown) and the fields of the objects
// (field numbers from k8s.io/api generated.proto). Every other kind keeps getting 415 UnsupportedMediaType.
import { ApiError } from './status.ts';

type FieldKind = 'string' | 'bytes' | 'int' | 'bool' | { message: Schema } | { map: 'string' | 'bytes' };
type Schema = Record<number, [name: string, kind: FieldKind, repeated?: 'repeated']>;

const OBJECT_REFERENCE: Schema = {
  1: ['kind', 'string'],
  2: ['namespace', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['fieldPath', 'string'],
};

const OWNER_REFERENCE: Schema = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};

const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  11: ['labels', { map: 'string' }],
  12: ['annotations', { map: 'string' }],
  13: ['ownerReferences', { message: OWNER_REFERENCE }, 'repeated'],
  14: ['finalizers', 'string', 'repeated'],
};

const KINDS: Record<string, Schema> = {
  Namespace: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['spec', { message: { 1: ['finalizers', 'string', 'repeated'] } }],
  },
  ConfigMap: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', { map: 'string' }],
    3: ['binaryData', { map: 'bytes' }],
    4: ['immutable', 'bool'],
  },
  Secret: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', { map: 'bytes' }],
    3: ['type', 'string'],
    4: ['stringData', { map: 'string' }],
    5: ['immutable', 'bool'],
  },
  ServiceAccount: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['secrets', { message: OBJECT_REFERENCE }, 'repeated'],
    3: ['imagePullSecrets', { message: { 1: ['name', 'string'] } }, 'repeated'],
    4: ['automountServiceAccountToken', 'bool'],
  },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  no: number;
  wire: number;
  value: bigint | Buffer;
}

function* fields(buf: Buffer): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= buf.length) throw new Error('truncated varint');
      const byte = buf[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const length = Number(varint());
      yield { no, wire, value: buf.subarray(at, at + length) };
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    const spec = schema[f.no];
    if (!spec) continue;
    const [name, kind, repeated] = spec;
    let value: unknown;
    if (kind === 'string') value = (f.value as Buffer).toString('utf8');
    else if (kind === 'bytes') value = (f.value as Buffer).toString('base64');
    else if (kind === 'int') value = Number(f.value as bigint);
    else if (kind === 'bool') value = (f.value as bigint) !== 0n;
    else if ('message' in kind) value = decodeMessage(f.value as Buffer, kind.message);
    else {
      const entry = decodeMessage(f.value as Buffer, { 1: ['key', 'string'], 2: ['value', kind.map] });
      const map = (out[name] ??= {}) as Record<string, unknown>;
      map[String(entry.key ?? '')] = entry.value ?? '';
      continue;
    }
    // gogo-protobuf writes every string and number, empty or not; JSON leaves them out (omitempty).
    if (!repeated && (value === '' || value === 0)) continue;
    if (repeated) ((out[name] ??= []) as unknown[]).push(value);
    else out[name] = value;
  }
  return out;
}

/** The JSON form of a protobuf-encoded object, or a 415 for a kind this does not know. */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new ApiError(400, 'BadRequest', 'protobuf body without the k8s envelope');
  const unknown = decodeMessage(body.subarray(4), {
    1: ['typeMeta', { message: { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] } }],
    2: ['raw', 'bytes'],
  });
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = KINDS[typeMeta.kind ?? ''];
  if (!schema || typeMeta.apiVersion !== 'v1') {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the sandbox decodes protobuf only for ${Object.keys(KINDS).join(', ')}; send ${typeMeta.kind ?? 'this object'} as application/json`,
    );
  }
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...decodeMessage(raw, schema) };
}
