// What the API server or the kubelet would refuse in an object, checked before anything is written. The server's
// dry run sees only objects that already exist (a new one is simply created), and the kubelet only sees a pod:
// without these, a misnamed ConfigMap or an unparseable image is found halfway through a deploy, after the
// target tag moved. A subset of Kubernetes' validation: the mistakes people make most, with its rules.
import { InvalidReferenceError, parseImageRef } from '../../image/ref.ts';
import type { KubeObject } from '../cluster.ts';
import { podSpecPath } from '../pin.ts';
import { kindKey } from './kinds.ts';
import { isPlainObject } from './load.ts';

/** One finding: the dotted field, its path in the object (for the line), and what is wrong. */
export interface RuleProblem {
  field: string;
  path: Array<string | number>;
  message: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

type NameRule = 'label' | 'subdomain' | 'dns1035';
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  '/Namespace': 'label',
  '/Service': 'dns1035',
  '/ConfigMap': 'subdomain',
  '/Secret': 'subdomain',
  '/ServiceAccount': 'subdomain',
  '/PersistentVolumeClaim': 'subdomain',
  '/Pod': 'subdomain',
  'apps/Deployment': 'subdomain',
  'apps/StatefulSet': 'subdomain',
  'apps/DaemonSet': 'subdomain',
  'apps/ReplicaSet': 'subdomain',
  'batch/Job': 'subdomain',
  'batch/CronJob': 'subdomain',
  'networking.k8s.io/Ingress': 'subdomain',
  'policy/PodDisruptionBudget': 'subdomain',
  'autoscaling/HorizontalPodAutoscaler': 'subdomain',
};

const NAME_RULE_TEXT: Readonly<Record<NameRule, string>> = {
  label: "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 (an RFC 1123 label)",
  subdomain: "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 (an RFC 1123 subdomain)",
  dns1035: "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 (an RFC 1035 label)",
};

const SELECTED_BY_LABELS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet']);

export function objectRuleProblems(object: KubeObject): RuleProblem[] {
  return [...nameProblems(object), ...selectorProblems(object), ...containerProblems(object), ...serviceProblems(object)];
}

function nameProblems(object: KubeObject): RuleProblem[] {
  const rule = NAME_RULES[kindKey(object.apiVersion, object.kind)];
  const name = object.metadata.name;
  if (!rule || validName(name, rule)) return [];
  return [{ field: 'metadata.name', path: ['metadata', 'name'], message: `"${name}" is not a valid ${object.kind} name: ${NAME_RULE_TEXT[rule]}` }];
}

function validName(name: string, rule: NameRule): boolean {
  if (rule === 'subdomain') return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
  return name.length <= 63 && (rule === 'label' ? DNS1123_LABEL : DNS1035_LABEL).test(name);
}

/** A workload whose selector is missing or does not match its own pod template would never find its pods. */
function selectorProblems(object: KubeObject): RuleProblem[] {
  if (!SELECTED_BY_LABELS.has(kindKey(object.apiVersion, object.kind))) return [];
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const selector = isPlainObject(spec.selector) ? spec.selector : undefined;
  const matchLabels = isPlainObject(selector?.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    return [{ field: 'spec.selector', path: ['spec', 'selector'], message: `a ${object.kind} needs spec.selector.matchLabels naming its pod template's labels` }];
  }
  const template = isPlainObject(spec.template) ? spec.template : {};
  const metadata = isPlainObject(template.metadata) ? template.metadata : {};
  const labels = isPlainObject(metadata.labels) ? metadata.labels : {};
  const unmatched = Object.entries(matchLabels).filter(([key, value]) => labels[key] !== value);
  if (unmatched.length === 0) return [];
  const selectorText = Object.entries(matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(',');
  const labelText = Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(',') || 'none';
  return [{
    field: 'spec.template.metadata.labels',
    path: ['spec', 'template', 'metadata', 'labels'],
    message: `the selector ${selectorText} does not match the template's labels (${labelText}); the ${object.kind} would never find its pods`,
  }];
}

/** Every container of a pod template needs a name and an image reference the kubelet can pull. */
function containerProblems(object: KubeObject): RuleProblem[] {
  const specPath = podSpecPath(object);
  if (!specPath) return [];
  let podSpec: unknown = object;
  for (const key of specPath) podSpec = isPlainObject(podSpec) ? podSpec[key] : undefined;
  if (!isPlainObject(podSpec)) return [];
  const problems: RuleProblem[] = [];
  // A missing key points at the line of what should hold it.
  const at = (path: Array<string | number>, message: string, missing?: string) =>
    problems.push({ field: fieldOf([...specPath, ...path, ...(missing ? [missing] : [])]), path: [...specPath, ...path], message });
  if (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0) at(['containers'], 'a pod template needs at least one container');
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: unknown, i) => {
      const container = isPlainObject(c) ? c : {};
      const { name, image } = container;
      if (typeof name !== 'string' || name === '') at([list, i], 'the container needs a name', 'name');
      else if (!(name.length <= 63 && DNS1123_LABEL.test(name))) at([list, i, 'name'], `"${name}" is not a valid container name: ${NAME_RULE_TEXT.label}`);
      if (typeof image !== 'string' || image === '') at([list, i], 'the container needs an image', 'image');
      else {
        const problem = imageProblem(image);
        if (problem) at([list, i, 'image'], `"${image}" is not an image reference the kubelet can pull: ${problem}`);
      }
    });
  }
  return problems;
}

/** A Service sends traffic to ports; only a headless or ExternalName Service may have none. */
function serviceProblems(object: KubeObject): RuleProblem[] {
  if (kindKey(object.apiVersion, object.kind) !== '/Service') return [];
  const spec = isPlainObject(object.spec) ? object.spec : {};
  if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return [];
  if (Array.isArray(spec.ports) && spec.ports.length > 0) return [];
  return [{ field: 'spec.ports', path: ['spec', 'ports'], message: 'a Service needs at least one port (only a headless or ExternalName Service may have none)' }];
}

function imageProblem(image: string): string | undefined {
  try {
    parseImageRef(image);
    return undefined;
  } catch (err) {
    if (err instanceof InvalidReferenceError) return err.reason;
    throw err;
  }
}

function fieldOf(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '');
}
