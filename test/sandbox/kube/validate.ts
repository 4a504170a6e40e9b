// A subset of the validation a real API server does, with its messages: object names, and the mistakes a broken
// workload manifest makes most often (no selector, a selector that does not match the template, a container
// without name or image, a Service without ports, a changed selector).
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from './store.ts';
import type { ResourceInfo } from './resources.ts';
import { isPlainObject } from './list-types.ts';
import { matchesLabelSelector, type LabelSelector } from './selectors.ts';
import { invalid, type ApiError } from './status.ts';

interface Cause {
  reason: string;
  message: string;
  field: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAMED = new Set(['namespaces', 'services']);

const required = (field: string): Cause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
const invalidValue = (field: string, value: string, why: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${value}: ${why}`,
  field,
});

function goMap(labels: unknown): string {
  const entries = Object.entries(isPlainObject(labels) ? labels : {}).map(([k, v]) => `"${k}":"${String(v)}"`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** Returns the 422 Invalid error for `obj`, or undefined when it is acceptable. */
export function validate(type: string, info: ResourceInfo, obj: KubeObject, old: KubeObject | undefined): ApiError | undefined {
  const causes: Cause[] = [];
  const name = obj.metadata.name ?? '';
  if (name) {
    const label = LABEL_NAMED.has(type);
    const ok = label ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
    if (!ok) {
      causes.push(
        invalidValue(
          'metadata.name',
          JSON.stringify(name),
          label
            ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
      );
    }
  }
  const spec = isPlainObject(obj.spec) ? obj.spec : undefined;
  if (['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps'].includes(type)) {
    const selector = spec?.selector;
    const template = isPlainObject(spec?.template) ? spec.template : {};
    const labels = isPlainObject(template.metadata) ? template.metadata.labels : undefined;
    if (!isPlainObject(selector)) causes.push(required('spec.selector'));
    else if (!Object.keys(selector.matchLabels ?? {}).length && !((selector.matchExpressions as unknown[]) ?? []).length) {
      causes.push(invalidValue('spec.selector', 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}', 'empty selector is invalid for deployment'));
    } else if (!matchesLabelSelector(selector as LabelSelector, labels as Record<string, string>)) {
      causes.push(invalidValue('spec.template.metadata.labels', goMap(labels), '`selector` does not match template `labels`'));
    }
    if (old && isPlainObject(old.spec) && old.spec.selector && !isDeepStrictEqual(old.spec.selector, selector)) {
      causes.push(invalidValue('spec.selector', 'v1.LabelSelector{...}', 'field is immutable'));
    }
    containerCauses(isPlainObject(template.spec) ? template.spec : undefined, 'spec.template.spec', causes);
  }
  if (type === 'jobs.batch') {
    const template = isPlainObject(spec?.template) ? spec.template : {};
    containerCauses(isPlainObject(template.spec) ? template.spec : undefined, 'spec.template.spec', causes);
  }
  if (type === 'pods') containerCauses(spec, 'spec', causes);
  if (type === 'services' && spec?.type !== 'ExternalName' && spec?.clusterIP !== 'None') {
    if (!Array.isArray(spec?.ports) || !spec.ports.length) causes.push(required('spec.ports'));
  }
  return causes.length ? invalid(info.kind, name, causes, info.group) : undefined;
}

function containerCauses(podSpec: Record<string, unknown> | undefined, at: string, causes: Cause[]): void {
  const containers = podSpec?.containers;
  if (!Array.isArray(containers) || !containers.length) {
    causes.push(required(`${at}.containers`));
    return;
  }
  containers.forEach((c, i) => {
    const container = isPlainObject(c) ? c : {};
    if (!container.name) causes.push(required(`${at}.containers[${i}].name`));
    if (!container.image) causes.push(required(`${at}.containers[${i}].image`));
  });
}
