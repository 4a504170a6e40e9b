// What a container is given from the API, decided the way the kubelet decides it: the environment (envFrom, then
// env, with $(VAR) expansion), the command line, and the files of ConfigMap/Secret volumes. Pure: the objects come
// from a lookup, and a missing one yields the kubelet's own error text.
import type { ConfigMap, Container, Pod, Secret, Volume } from './workload-types.ts';

export interface ConfigLookup {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

/** The container's environment as `NAME=value` lines, or the CreateContainerConfigError message. */
export function containerEnv(pod: Pod, container: Container, lookup: ConfigLookup): Resolved<string[]> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = lookup.configMap(namespace, from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        return { ok: false, message: `configmap "${from.configMapRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env.set(prefix + k, v);
    }
    if (from.secretRef) {
      const secret = lookup.secret(namespace, from.secretRef.name);
      if (!secret) {
        if (from.secretRef.optional) continue;
        return { ok: false, message: `secret "${from.secretRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(secretData(secret))) env.set(prefix + k, v.toString('utf8'));
    }
  }
  for (const item of container.env ?? []) {
    if (item.valueFrom === undefined) {
      env.set(item.name, expand(item.value ?? '', env));
      continue;
    }
    const value = envValueFrom(pod, item.valueFrom, namespace, lookup);
    if (!value.ok) return value;
    if (value.value !== undefined) env.set(item.name, value.value);
  }
  return { ok: true, value: [...env].map(([k, v]) => `${k}=${v}`) };
}

function envValueFrom(
  pod: Pod,
  from: NonNullable<NonNullable<Container['env']>[number]['valueFrom']>,
  namespace: string,
  lookup: ConfigLookup,
): Resolved<string | undefined> {
  if (from.configMapKeyRef) {
    const { name, key, optional } = from.configMapKeyRef;
    const cm = lookup.configMap(namespace, name);
    if (!cm) return optional ? { ok: true, value: undefined } : { ok: false, message: `configmap "${name}" not found` };
    const value = cm.data?.[key];
    if (value === undefined) {
      return optional ? { ok: true, value: undefined } : { ok: false, message: `couldn't find key ${key} in ConfigMap ${namespace}/${name}` };
    }
    return { ok: true, value };
  }
  if (from.secretKeyRef) {
    const { name, key, optional } = from.secretKeyRef;
    const secret = lookup.secret(namespace, name);
    if (!secret) return optional ? { ok: true, value: undefined } : { ok: false, message: `secret "${name}" not found` };
    const value = secretData(secret)[key];
    if (value === undefined) {
      return optional ? { ok: true, value: undefined } : { ok: false, message: `couldn't find key ${key} in Secret ${namespace}/${name}` };
    }
    return { ok: true, value: value.toString('utf8') };
  }
  if (from.fieldRef) return { ok: true, value: fieldValue(pod, from.fieldRef.fieldPath) };
  return { ok: true, value: '' };
}

function fieldValue(pod: Pod, path: string): string {
  const labelOrAnnotation = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (labelOrAnnotation) return pod.metadata[labelOrAnnotation[1] as 'labels' | 'annotations']?.[labelOrAnnotation[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return String(pod.spec.serviceAccountName ?? 'default');
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    default:
      return '';
  }
}

/** Kubernetes' $(VAR) expansion: defined names are replaced, unknown ones stay as written, $$ escapes. */
export function expand(text: string, env: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const name = text.slice(i + 2, close);
      out += env.has(name) ? env.get(name) : `$(${name})`;
      i = close;
      continue;
    }
    out += c;
  }
  return out;
}

/** The entrypoint/cmd overrides for the runtime: `command` replaces ENTRYPOINT, `args` replaces CMD. */
export function containerCommand(container: Container, envLines: string[]): { entrypoint?: string[]; cmd?: string[] } {
  const env = new Map(envLines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return {
    ...(container.command ? { entrypoint: container.command.map((a) => expand(a, env)) } : {}),
    ...(container.args ? { cmd: container.args.map((a) => expand(a, env)) } : {}),
  };
}

export interface VolumeFile {
  path: string;
  content: Buffer;
  mode: number;
}

/**
 * The files a ConfigMap or Secret volume holds, or the FailedMount reason (the part after
 * `MountVolume.SetUp failed for volume "v" : `). Other volume kinds give an empty directory.
 */
export function volumeFiles(pod: Pod, volume: Volume, lookup: ConfigLookup): Resolved<VolumeFile[]> {
  const namespace = pod.metadata.namespace ?? 'default';
  if (volume.configMap) {
    const { name, items, optional, defaultMode } = volume.configMap;
    const cm = lookup.configMap(namespace, name);
    if (!cm) return optional ? { ok: true, value: [] } : { ok: false, message: `configmap "${name}" not found` };
    const data: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(cm.data ?? {})) data[k] = Buffer.from(v, 'utf8');
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) data[k] = Buffer.from(v, 'base64');
    return projected(data, items, defaultMode, optional, (key) => `configmap references non-existent config key: ${key}`);
  }
  if (volume.secret) {
    const { secretName, items, optional, defaultMode } = volume.secret;
    const secret = lookup.secret(namespace, secretName);
    if (!secret) return optional ? { ok: true, value: [] } : { ok: false, message: `secret "${secretName}" not found` };
    return projected(secretData(secret), items, defaultMode, optional, (key) => `references non-existent secret key: ${key}`);
  }
  return { ok: true, value: [] };
}

function projected(
  data: Record<string, Buffer>,
  items: { key: string; path: string; mode?: number }[] | undefined,
  defaultMode = 0o644,
  optional = false,
  missingKey: (key: string) => string,
): Resolved<VolumeFile[]> {
  if (!items) return { ok: true, value: Object.entries(data).map(([path, content]) => ({ path, content, mode: defaultMode })) };
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = data[item.key];
    if (content === undefined) {
      if (optional) continue;
      return { ok: false, message: missingKey(item.key) };
    }
    files.push({ path: item.path, content, mode: item.mode ?? defaultMode });
  }
  return { ok: true, value: files };
}

/** Secret values as bytes: `data` is base64, `stringData` (write-only on a real server) is taken as is. */
function secretData(secret: Secret): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = Buffer.from(v, 'utf8');
  return out;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/**
 * The kubelet's InvalidImageName message for an image reference distribution/reference cannot parse, or
 * undefined when it parses.
 */
export function invalidImageMessage(image: string): string | undefined {
  if (REFERENCE.test(image)) return undefined;
  const name = image.split('@')[0]!.replace(/:[^/:]*$/, '');
  const why = name !== name.toLowerCase() && REFERENCE.test(image.toLowerCase()) ? 'invalid reference format: repository name must be lowercase' : 'invalid reference format';
  return `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": ${why}`;
}
