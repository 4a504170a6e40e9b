// One environment of rollgate.yml, resolved with `${env}` = its name: its own keys over the top-level
// manifests, rollout and smoke.
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { tagProblem } from '../image/ref.ts';
import { KUSTOMIZATION_FILES } from '../kube/manifests/kustomize.ts';
import { MANIFEST_EXTENSIONS } from '../kube/manifests/load.ts';
import { pathProblem } from './paths.ts';
import { readUrl, resolvePath } from './read-build.ts';
import { mergeSmoke, readSmokeSection } from './smoke-schema.ts';
import type { EnvironmentConfig, RolloutConfig } from './types.ts';
import type { ConfigReader, Field } from './yaml-reader.ts';

export const ENVIRONMENT_KEYS = ['targetTag', 'namespace', 'kubeContext', 'apiServer', 'manifests', 'rollout', 'smoke'] as const;
const ROLLOUT_KEYS = ['timeout', 'allowRestarts', 'unschedulableWindow', 'pullErrorBudget', 'lockTimeout'] as const;

export const DEFAULT_ROLLOUT: Readonly<RolloutConfig> = {
  timeoutMs: 5 * 60_000,
  allowRestarts: 0,
  unschedulableWindowMs: 15_000,
  pullErrorBudget: 3,
  lockTimeoutMs: 10 * 60_000,
};

// Environment names end up in paths (`${env}`), tags and Lease names: a DNS label fits all three.
const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The top-level sections every environment builds on. */
export interface TopLevel {
  manifests: Field;
  rollout: Field;
  smoke: Field;
}

export interface ReadEnvironment {
  name: string;
  targetTag: string;
  fields: Record<(typeof ENVIRONMENT_KEYS)[number], Field>;
  /** Absent when the environment has problems of its own (already reported). */
  config?: EnvironmentConfig;
}

export function environmentNameProblem(name: string): string | undefined {
  if (ENVIRONMENT_NAME.test(name)) return undefined;
  return `"${name}" cannot name an environment: use lowercase letters, digits and - (at most 63), like dev or prod-eu`;
}

/** `r` must be scoped to this environment (`${env}` = name); `smokeReader` reads its smoke test (default `r`). */
export function readEnvironment(r: ConfigReader, name: string, field: Field, top: TopLevel, baseDir: string, smokeReader: ConfigReader = r): ReadEnvironment | undefined {
  const f = r.fields(field, ENVIRONMENT_KEYS);
  if (!f) return undefined;

  const targetTag = r.string(f.targetTag) ?? name;
  const tagIssue = tagProblem(targetTag);
  if (tagIssue) r.report(f.targetTag, `"${targetTag}" is not a valid tag: ${tagIssue}`);

  const namespace = r.string(f.namespace, { required: `environment ${name} needs the namespace it deploys to` });
  if (namespace !== undefined && !NAMESPACE.test(namespace)) {
    r.report(f.namespace, `"${namespace}" is not a namespace name (lowercase letters, digits and -, at most 63)`);
  }
  const kubeContext = r.string(f.kubeContext);
  const apiServer = readUrl(r, f.apiServer, 'the API server URL of the cluster, e.g. https://203.0.113.10');

  const manifests = [...new Set([...readManifests(r, top.manifests, baseDir, name), ...readManifests(r, f.manifests, baseDir, name)])];
  if (manifests.length === 0) {
    r.report({ ...field, path: `${field.path}.manifests` }, `environment ${name} has no manifests to apply; list them under manifests: at the top level or here`);
  }

  const rollout = { ...DEFAULT_ROLLOUT, ...readRollout(r, top.rollout), ...readRollout(r, f.rollout) };
  const smoke = mergeSmoke(smokeReader, readSmokeSection(smokeReader, top.smoke), readSmokeSection(smokeReader, f.smoke));

  if (namespace === undefined || tagIssue) return { name, targetTag, fields: f };
  const config: EnvironmentConfig = {
    name,
    targetTag,
    namespace,
    ...(kubeContext !== undefined ? { kubeContext } : {}),
    ...(apiServer !== undefined ? { apiServer } : {}),
    manifests,
    rollout,
    ...(smoke ? { smoke } : {}),
  };
  return { name, targetTag, fields: f, config };
}

/** Manifest paths, absolute; `env` names the environment in messages about a path that only it lacks. */
export function readManifests(r: ConfigReader, field: Field, baseDir: string, env?: string): string[] {
  const written = r.stringList(field) ?? [];
  const items = r.items(field);
  return written.map((path, i) => {
    const absolute = resolvePath(baseDir, path);
    const problem = pathProblem(path, absolute, 'file or directory') ?? notManifestProblem(path, absolute);
    const at = items[i] ?? field;
    if (problem) r.report(at, `manifest path ${problem}${env !== undefined && path.includes(env) ? ` (for environment ${env})` : ''}`);
    return absolute;
  });
}

/** A file named in manifests: must be YAML or JSON, or a kustomization (inside folders other files are skipped). */
function notManifestProblem(written: string, absolute: string): string | undefined {
  if (!statSync(absolute).isFile()) return undefined;
  if (MANIFEST_EXTENSIONS.includes(extname(absolute).toLowerCase()) || KUSTOMIZATION_FILES.includes(basename(absolute))) return undefined;
  return `"${written}" is not a manifest: name a .yaml, .yml or .json file, or a folder`;
}

/** The rollout keys written in one section; defaults and other sections are the caller's to merge. */
export function readRollout(r: ConfigReader, field: Field): Partial<RolloutConfig> {
  const f = r.fields(field, ROLLOUT_KEYS);
  const out: Partial<RolloutConfig> = {};
  if (!f) return out;
  const timeoutMs = r.duration(f.timeout);
  if (timeoutMs === 0) r.report(f.timeout, 'must be longer than 0');
  else if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  const allowRestarts = r.integer(f.allowRestarts, { min: 0 });
  if (allowRestarts !== undefined) out.allowRestarts = allowRestarts;
  const unschedulableWindowMs = r.duration(f.unschedulableWindow);
  if (unschedulableWindowMs !== undefined) out.unschedulableWindowMs = unschedulableWindowMs;
  const pullErrorBudget = r.integer(f.pullErrorBudget, { min: 0 });
  if (pullErrorBudget !== undefined) out.pullErrorBudget = pullErrorBudget;
  const lockTimeoutMs = r.duration(f.lockTimeout);
  if (lockTimeoutMs !== undefined) out.lockTimeoutMs = lockTimeoutMs;
  return out;
}
