// rollgate validate --config F [--env E] [--version V]: load, render and check everything a deploy would use,
// write nothing. Every problem comes back at once in one InputError (exit 2).
import { dirname, relative } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { formatDuration } from '../config/duration.ts';
import { renderOne } from '../config/tag-checks.ts';
import type { Config, ConfigOverrides } from '../config/types.ts';
import { parseBuildVersion, type TagContext } from '../image/version-tags.ts';

export interface ValidateOptions {
  configPath: string;
  /** One environment; all of them when absent. */
  env?: string;
  /** Render the version tags for it and check them against every target tag. */
  version?: string;
  /** The process environment, for `${VAR}`; GITHUB_SHA / CI_COMMIT_SHA render `{sha}`. */
  environment: Readonly<Record<string, string | undefined>>;
  sha?: string;
  overrides?: ConfigOverrides;
}

export interface ValidateReport {
  file: string;
  version?: string;
  images: Array<{
    name: string;
    repository: string;
    /** Rendered for `version` when given, else the templates as written. */
    tags: string[];
    platforms: string[];
    target?: string;
  }>;
  environments: Array<{
    name: string;
    targetTag: string;
    namespace: string;
    kubeContext?: string;
    /** Relative to the config file's folder, as a person wrote them. */
    manifests: string[];
    rolloutTimeout: string;
    smokeSteps: number;
  }>;
}

export function validate(opts: ValidateOptions): ValidateReport {
  const sha = opts.sha ?? opts.environment.GITHUB_SHA ?? opts.environment.CI_COMMIT_SHA;
  const config = loadConfig({
    configPath: opts.configPath,
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    environment: opts.environment,
    ...(opts.version !== undefined ? { version: opts.version } : {}),
    ...(sha ? { sha } : {}),
    ...(opts.overrides ? { overrides: opts.overrides } : {}),
  });
  // loadConfig has already refused a version that does not parse.
  const ctx: TagContext | undefined = opts.version === undefined ? undefined : { version: parseBuildVersion(opts.version), ...(sha ? { sha } : {}), date: new Date() };
  return report(config, ctx);
}

function report(config: Config, ctx: TagContext | undefined): ValidateReport {
  const folder = dirname(config.file);
  const tags = ctx ? renderedTags(config.tags, ctx) : config.tags;
  return {
    file: config.file,
    ...(ctx ? { version: ctx.version.raw } : {}),
    images: config.images.map((image) => ({
      name: image.name,
      repository: image.repository,
      tags,
      platforms: image.platforms,
      ...(image.target !== undefined ? { target: image.target } : {}),
    })),
    environments: Object.values(config.environments).map((env) => ({
      name: env.name,
      targetTag: env.targetTag,
      namespace: env.namespace,
      ...(env.kubeContext !== undefined ? { kubeContext: env.kubeContext } : {}),
      manifests: env.manifests.map((m) => relative(folder, m) || '.'),
      rolloutTimeout: formatDuration(env.rollout.timeoutMs),
      smokeSteps: env.smoke?.steps.length ?? 0,
    })),
  };
}

/** The tags this version gets; a `{sha}` template stays as written when no commit is known. */
function renderedTags(templates: readonly string[], ctx: TagContext): string[] {
  const out: string[] = [];
  for (const template of templates) {
    const tag = template.includes('{sha}') && !ctx.sha ? template : renderOne(template, ctx);
    if (tag !== undefined && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** The report as a person reads it in a terminal or a job log. */
export function formatValidateReport(r: ValidateReport): string {
  const lines = [`${r.file} is valid${r.version ? ` for version ${r.version}` : ''}`, 'images:'];
  for (const image of r.images) {
    lines.push(`  ${image.name}: ${image.repository} tags ${image.tags.join(', ')}${image.target ? ` (target ${image.target})` : ''}`);
  }
  lines.push('environments:');
  for (const env of r.environments) {
    const where = `namespace ${env.namespace}${env.kubeContext ? ` via ${env.kubeContext}` : ''}`;
    const smoke = env.smokeSteps ? `smoke ${env.smokeSteps} step${env.smokeSteps === 1 ? '' : 's'}` : 'no smoke test';
    lines.push(`  ${env.name}: tag ${env.targetTag}, ${where}, timeout ${env.rolloutTimeout}, ${smoke}`);
    lines.push(`    manifests: ${env.manifests.join(', ')}`);
  }
  return lines.join('\n');
}
