// The command table both entries run: an Invocation in, a RunResult out. Each command's module is imported
// only when it runs.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { CommandContext } from '../commands/context.ts';
import type { RunResult } from '../report/result.ts';
import type { Invocation } from './args.ts';
import { commitSha } from './git.ts';

export interface CommandOutput {
  /** Text for stdout (the command's own report). */
  stdout: (text: string) => void;
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
        message: `"${inv.command}" is not available in this version of rollgate yet (available: validate, build, inventory)`,
      });
  }
}
