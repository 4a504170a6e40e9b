// The command table both entries run: an Invocation in, a RunResult out. Each command's module is imported
// only when it runs.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { CommandContext } from '../commands/context.ts';
import type { RunDetails } from '../report/details.ts';
import type { RunResult } from '../report/result.ts';
import type { Invocation } from './args.ts';
import { commitSha } from './git.ts';

export interface CommandOutput {
  /** Text for stdout (the command's own report). */
  stdout: (text: string) => void;
  /** What the report files need beyond the result (the smoke run for JUnit, the diff for the summary). */
  details?: (details: RunDetails) => void;
}

export async function runCommand(inv: Invocation, ctx: CommandContext, out: CommandOutput): Promise<RunResult> {
  const configPath = resolve(ctx.cwd, inv.config);
  const started = Date.now();
  const timings = () => ({ totalSeconds: (Date.now() - started) / 1000 });

  switch (inv.command) {
    case 'validate': {
      const { validate, formatValidateReport } = await import('../commands/validate.ts');
      const report = validate({
        configPath,
        ...(inv.env !== undefined ? { env: inv.env } : {}),
        ...(inv.version !== undefined ? { version: inv.version } : {}),
        environment: ctx.env,
        overrides: inv.overrides,
      });
      out.stdout(`${formatValidateReport(report)}\n`);
      return {
        command: 'validate',
        outcome: 'valid',
        ...(inv.env !== undefined ? { environment: inv.env } : {}),
        ...(report.version !== undefined ? { version: report.version } : {}),
        images: report.images.map((i) => ({ name: i.name, repository: i.repository, digest: '', tags: i.tags })),
        timings: timings(),
        message: `${inv.config} is valid`,
      };
    }
    case 'build': {
      const [{ loadConfig }, { build }, { formatBuildSummary }] = await Promise.all([
        import('../config/load.ts'),
        import('../commands/build.ts'),
        import('../image/build-images.ts'),
      ]);
      const config = loadConfig({ configPath, env: [], environment: ctx.env, version: inv.version!, overrides: inv.overrides });
      const sha = await commitSha(ctx.env, configPath);
      const built = await build({ config, version: inv.version!, sha, logger: ctx.logger, env: ctx.env, signal: ctx.signal });
      out.stdout(`${formatBuildSummary(built)}\n`);
      return {
        command: 'build',
        outcome: 'built',
        version: inv.version!,
        images: built.map((b) => ({ name: b.name, repository: b.repository, digest: b.digest, tags: b.tags })),
        timings: timings(),
        message: `built and pushed ${built.length} image${built.length === 1 ? '' : 's'}`,
      };
    }
    case 'deploy':
    case 'promote':
    case 'rollback':
    case 'rebuild': {
      const [{ loadConfig }, { deployRunResult }, { formatDeployReport }] = await Promise.all([
        import('../config/load.ts'),
        import('../deploy/report.ts'),
        import('../deploy/format.ts'),
      ]);
      const common = {
        forceConflicts: inv.forceConflicts,
        ...(inv.kubeconfig !== undefined ? { kubeconfig: inv.kubeconfig } : {}),
        ...(inv.kubeconfigContents !== undefined ? { kubeconfigContents: inv.kubeconfigContents } : {}),
        logger: ctx.logger,
        env: ctx.env,
        signal: ctx.signal,
        ...(ctx.onRestoreState ? { onRestoreState: ctx.onRestoreState } : {}),
      };
      let report;
      if (inv.command === 'promote') {
        const { promote } = await import('../commands/promote.ts');
        const config = loadConfig({ configPath, env: [inv.from!, inv.to!], environment: ctx.env, builds: false, overrides: inv.overrides });
        report = await promote({ ...common, config, from: inv.from!, to: inv.to! });
      } else if (inv.command === 'rollback') {
        const { rollback } = await import('../commands/rollback.ts');
        const config = loadConfig({ configPath, env: inv.env!, environment: ctx.env, builds: false, overrides: inv.overrides });
        // The commit renders `{sha}` version tags when there is one; a rollback job need not run in a work tree.
        const sha = await commitSha(ctx.env, configPath).catch(() => undefined);
        report = await rollback({ ...common, config, environment: inv.env!, ...(inv.to !== undefined ? { to: inv.to } : {}), ...(sha !== undefined ? { sha } : {}) });
      } else if (inv.command === 'rebuild') {
        const { rebuild } = await import('../commands/rebuild.ts');
        const load = (path: string) => loadConfig({ configPath: path, env: inv.env!, environment: ctx.env, overrides: inv.overrides });
        report = await rebuild({ ...common, config: load(configPath), environment: inv.env!, loadConfigAt: load });
      } else {
        const { deploy } = await import('../commands/deploy.ts');
        const version = deployVersion(inv.version, ctx.env);
        const config = loadConfig({ configPath, env: inv.env!, environment: ctx.env, version, builds: !inv.noBuild, overrides: inv.overrides });
        // --no-build needs the commit only for `{sha}` tags; without one they are not looked for.
        const sha = inv.noBuild ? await commitSha(ctx.env, configPath).catch(() => undefined) : await commitSha(ctx.env, configPath);
        report = await deploy({ ...common, config, environment: inv.env!, version, ...(sha !== undefined ? { sha } : {}), noBuild: inv.noBuild });
      }
      out.stdout(formatDeployReport(report));
      const diagnosis = report.rollout?.failure?.diagnosis;
      out.details?.({ ...(report.smoke ? { smoke: report.smoke } : {}), ...(report.changes ? { changes: report.changes } : {}), ...(diagnosis ? { diagnosis } : {}) });
      return { ...deployRunResult(report), timings: { ...report.timings, totalSeconds: timings().totalSeconds } };
    }
    case 'status': {
      const [{ loadConfig }, { status, statusMessage, statusVersion }, { connectCluster }, { readManifests }, { workloadsOf }, { registryLookup }] = await Promise.all([
        import('../config/load.ts'),
        import('../commands/status.ts'),
        import('../kube/client.ts'),
        import('../kube/manifests/read.ts'),
        import('../kube/rollout/tracker.ts'),
        import('../deploy/registries.ts'),
      ]);
      const config = loadConfig({ configPath, env: inv.env!, environment: ctx.env, builds: false, smokes: false, overrides: inv.overrides });
      const env = config.environments[inv.env!]!;
      const workloads = workloadsOf((await readManifests(env)).map((m) => m.object));
      const cluster = await connectCluster({
        ...(inv.kubeconfig !== undefined ? { kubeconfig: inv.kubeconfig } : {}),
        ...(inv.kubeconfigContents !== undefined ? { kubeconfigContents: inv.kubeconfigContents } : {}),
        environment: env,
        env: ctx.env,
        logger: ctx.logger,
      });
      try {
        const registryFor = registryLookup(config, { logger: ctx.logger, env: ctx.env });
        const { report, text } = await status(config, env.name, cluster, { workloads, registryFor });
        out.stdout(`${text}\n`);
        out.details?.({ status: text });
        return {
          command: 'status',
          outcome: 'unchanged',
          environment: env.name,
          ...statusVersion(report),
          images: (report.targetTags ?? []).flatMap((t) => (t.digest ? [{ name: t.image, repository: t.repository, digest: t.digest, tags: t.versions, targetTag: t.tag }] : [])),
          timings: timings(),
          message: statusMessage(report),
        };
      } finally {
        await cluster.close();
      }
    }
    case 'inventory': {
      const { inventory } = await import('../commands/inventory.ts');
      // rollgate.yml is optional here; when present its registries: settings (endpoints, insecure hosts) apply.
      let config;
      if (existsSync(configPath)) {
        const { loadRegistrySettings } = await import('../config/load.ts');
        config = { registries: loadRegistrySettings(configPath, ctx.env) };
      }
      const result = await inventory({ ref: inv.image!, json: inv.jsonToStdout, logger: ctx.logger, env: ctx.env, ...(config ? { config } : {}) });
      out.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      return {
        command: 'inventory',
        outcome: 'unchanged',
        images: [{ name: result.reference, repository: result.repository, digest: result.digest, tags: [] }],
        packages: result.packages,
        timings: timings(),
        message: `${result.packages.length} packages in ${result.reference}`,
      };
    }
    default:
      throw new InputError({
        field: 'command',
        message: `"${inv.command}" is not available in this version of rollgate yet (available: validate, build, deploy, promote, rollback, rebuild, status, inventory)`,
      });
  }
}

/** --version, else the tag a tag pipeline builds (GitLab's CI_COMMIT_TAG, GitHub's refs/tags/ ref). */
export function deployVersion(given: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const version = given ?? env.CI_COMMIT_TAG ?? (env.GITHUB_REF?.startsWith('refs/tags/') ? env.GITHUB_REF : undefined);
  if (version === undefined) {
    throw new InputError({ field: 'version', message: 'deploy needs the version to build and deploy (--version V, or run in a tag pipeline)' });
  }
  return version;
}
