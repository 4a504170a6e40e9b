// rollgate rebuild --env E (nightly): the version E runs, built again from the same commit with fresh base images
// and no cache, so patched OS packages get in. Nothing is pushed unless a package changed; a changed image is pushed
// under a build tag of its version (`v4.2.0_20261122`) and deployed to E through the gated deploy.
//
//   E's target tags -> the deployed digests -> their version and revision labels -> the source at that revision ->
//   build (--pull --no-cache) -> save each image locally and read its packages -> compare with the deployed image's
//   -> unchanged: done; changed: push the build tag -> deploy (apply, wait, smoke, revert on failure)
//
// It all runs as the deploy's image source, after the cluster guard and before any write.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../config/types.ts';
import { InputError, type Problem } from '../errors.ts';
import { confirmDigest, runLimited, type BuiltImage, type ImageToBuild } from '../image/build-images.ts';
import type { Builder } from '../image/builder.ts';
import { createBuilder } from '../image/builder-select.ts';
import { diffPackages, formatPackageDiff, isEmptyDiff } from '../image/inventory-diff.ts';
import { readArchiveInventory, readImageLabels, readInventory } from '../image/inventory.ts';
import { OCI_REVISION_LABEL, OCI_VERSION_LABEL } from '../image/labels.ts';
import type { Logger } from '../log.ts';
import type { DeployReport, ImagePackageDiff } from '../deploy/report.ts';
import { checkoutRevision } from '../deploy/source-checkout.ts';
import type { RegistryLookup } from '../deploy/target-tags.ts';
import { planBuild } from './build.ts';
import { deploy, type DeployInput } from './deploy.ts';
import { deployedIn } from './promote.ts';


export type RebuildInput = Omit<DeployInput, 'version' | 'command' | 'images' | 'noBuild' | 'sha'> & {
  /** rollgate.yml at another commit: the rebuild builds with the settings of the commit it builds. */
  loadConfigAt: (configPath: string) => Config;
  now?: () => Date;
};

export async function rebuild(input: RebuildInput): Promise<DeployReport> {
  const env = input.config.environments[input.environment];
  if (!env) throw new InputError({ field: 'env', message: `environment "${input.environment}" is not in ${input.config.file}` });
  const { loadConfigAt, now = () => new Date(), ...rest } = input;
  let packages: ImagePackageDiff[] = [];
  const report = await deploy({
    ...rest,
    command: 'rebuild',
    version: `a rebuild of what ${env.name} runs`,
    images: async (registryFor) => {
      const rebuilt = await rebuildDeployed({ ...input, now, registryFor, targetTag: env.targetTag });
      packages = rebuilt.packages;
      return rebuilt;
    },
  });
  return packages.length ? { ...report, packages } : report;
}

interface Deployed extends BuiltImage {
  version: string;
  revision: string;
}

async function rebuildDeployed(input: RebuildInput & { now: () => Date; registryFor: RegistryLookup; targetTag: string }): Promise<{
  images: BuiltImage[];
  version: string;
  unchanged?: string;
  packages: ImagePackageDiff[];
}> {
  const { registryFor, logger: log } = input;
  const deployed = await originOf(input.config, input.environment, input.targetTag, registryFor);
  const { version, revision } = deployed[0]!;
  log.info(`${input.environment} runs ${version} (commit ${revision}); rebuilding it with fresh base images and no cache`);

  const source = await checkoutRevision(input.config.file, revision);
  try {
    if (source.where !== 'work tree') log.info(`building from a worktree of ${revision} at ${source.where}`);
    const config = source.where === 'work tree' ? input.config : input.loadConfigAt(source.configPath);
    const tag = await buildTag(version, input.now(), deployed, registryFor);
    const plan = planBuild({ config, version, sha: revision, env: input.env, flags: { ...input.buildFlags, pull: true, noCache: true } }).map((image) => ({
      ...image,
      tags: [`${image.repository}:${tag}`],
    }));
    const builder = input.builder ?? (await createBuilder(config.builder, { logger: log, env: input.env as NodeJS.ProcessEnv, registries: config.registries }));
    log.info(`building ${plan.map((i) => i.name).join(', ')} with ${builder.description}`);
    await runLimited(plan, builder.concurrency, (image, signal) => builder.build(image, signal), input.signal);

    const packages = await comparePackages(plan, deployed, builder, registryFor, log, input.signal);
    const changed = plan.filter((image) => packages.some((p) => p.image === image.name));
    if (changed.length === 0) {
      return { images: deployed, version, packages: [], unchanged: `no package changed in ${version} since it was built; nothing pushed, nothing deployed` };
    }
    const pushed = await runLimited(changed, builder.concurrency, (image, signal) => builder.push(image, signal), input.signal);
    const images = await Promise.all(
      deployed.map(async (old): Promise<BuiltImage> => {
        const i = changed.findIndex((c) => c.name === old.name);
        if (i < 0) return { name: old.name, repository: old.repository, digest: old.digest, tags: old.tags };
        const image = changed[i]!;
        const registry = await registryFor(image.repository);
        const digest = confirmDigest(image, pushed[i]!, new Map([[image.tags[0]!, (await registry.resolve(image.repository, tag))?.digest]]));
        log.info(`${image.name}: ${image.repository}@${digest} (${tag})`);
        const diff = packages.find((p) => p.image === old.name)!;
        diff.to = digest;
        return { name: old.name, repository: old.repository, digest, tags: [tag] };
      }),
    );
    return { images, version: tag, packages };
  } finally {
    await source.remove();
  }
}

/** What each image's target tag points at, and the version and commit its labels say it was built from. */
async function originOf(config: Config, environment: string, targetTag: string, registryFor: RegistryLookup): Promise<Deployed[]> {
  const { images } = await deployedIn(config, environment, targetTag, registryFor);
  const problems: Problem[] = [];
  const found = await Promise.all(
    images.map(async (image): Promise<Deployed> => {
      const labels = await readImageLabels(await registryFor(image.repository), image.repository, image.digest);
      const version = labels[OCI_VERSION_LABEL];
      const revision = labels[OCI_REVISION_LABEL];
      if (!version || !revision) {
        problems.push({
          field: `images.${image.name}`,
          message: `${image.repository}@${image.digest} (what ${targetTag} points at) has no ${!version ? OCI_VERSION_LABEL : OCI_REVISION_LABEL} label, so what to rebuild is unknown; deploy a version built by rollgate first`,
        });
      }
      return { ...image, version: version ?? '', revision: revision ?? '' };
    }),
  );
  if (problems.length) throw new InputError(problems);
  const origins = new Set(found.map((i) => `${i.version} (commit ${i.revision})`));
  if (origins.size > 1) {
    throw new InputError({ field: 'env', message: `the images of ${environment} come from different builds (${[...origins].join(', ')}); deploy one version of all of them before rebuilding` });
  }
  return found;
}

/** `<version>_<YYYYMMDD>`, or `-2`, `-3`... after it when that day's rebuild tag exists in any repository. */
async function buildTag(version: string, now: Date, images: readonly BuiltImage[], registryFor: RegistryLookup): Promise<string> {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const taken = new Set((await Promise.all(images.map(async (i) => (await registryFor(i.repository)).listTags(i.repository)))).flat());
  const base = `${version}_${day}`;
  let tag = base;
  for (let n = 2; taken.has(tag); n++) tag = `${base}-${n}`;
  return tag;
}

/** The packages of each fresh build, read from a local save of it, against the deployed image's. */
async function comparePackages(
  plan: readonly ImageToBuild[],
  deployed: readonly Deployed[],
  builder: Builder,
  registryFor: RegistryLookup,
  log: Logger,
  signal?: AbortSignal,
): Promise<ImagePackageDiff[]> {
  if (!builder.saveArchive) throw new Error(`${builder.description} cannot hand a build over before pushing it; rebuild needs docker (engine BuildKit) or buildah`);
  const scratch = await mkdtemp(join(tmpdir(), 'rollgate-rebuild-'));
  try {
    const diffs: ImagePackageDiff[] = [];
    for (const image of plan) {
      const old = deployed.find((d) => d.name === image.name)!;
      const dir = join(scratch, image.name);
      await builder.saveArchive(image, `${dir}.tar`, signal);
      await mkdir(dir);
      await promisify(execFile)('tar', ['-xf', `${dir}.tar`, '-C', dir]);
      const [fresh, before] = await Promise.all([readArchiveInventory(dir), readInventory(await registryFor(old.repository), old.repository, old.digest)]);
      const diff = diffPackages(before.packages, fresh);
      if (isEmptyDiff(diff)) {
        log.info(`${image.name}: the same ${fresh.length} packages as ${old.digest}`);
        continue;
      }
      log.info(`${image.name}: packages changed since ${old.digest}:\n${formatPackageDiff(diff)}`);
      diffs.push({ image: image.name, from: old.digest, diff });
    }
    return diffs;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
