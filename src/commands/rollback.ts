// rollgate rollback --env E [--to V|DIGEST]: the environment's target tags back to an earlier release, deployed the
// way `rollgate deploy` deploys (verified, and reverted to where it was if the earlier release fails too).
//
// Which release: `--to v4.1.0` is that version's tags (rendered from the tag templates, as `deploy --no-build` finds
// them); `--to sha256:…` is that digest in every image's repository; without --to, the previous version by the
// registry's version tags (see previousVersion: the newest release below the version the target tag is on, on
// another digest).
import type { Config } from '../config/types.ts';
import { InputError, type Problem } from '../errors.ts';
import type { BuiltImage } from '../image/build-images.ts';
import { findPushedImages } from '../deploy/pushed-images.ts';
import type { DeployReport } from '../deploy/report.ts';
import type { RegistryLookup } from '../deploy/target-tags.ts';
import { previousVersion, versionOn, versionTagsOf } from '../deploy/version-history.ts';
import { deploy, type DeployInput } from './deploy.ts';

export type RollbackInput = Omit<DeployInput, 'version' | 'command' | 'images' | 'noBuild' | 'builder' | 'buildFlags'> & {
  /** A version (`v4.1.0`) or a digest (`sha256:…`); default: the previous version. */
  to?: string;
};

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export async function rollback(input: RollbackInput): Promise<DeployReport> {
  const { to, ...rest } = input;
  const env = input.config.environments[input.environment];
  if (!env) throw new InputError({ field: 'env', message: `environment "${input.environment}" is not in ${input.config.file}` });
  if (to !== undefined && to.startsWith('sha256:') && !DIGEST.test(to)) {
    throw new InputError({ field: 'to', message: `"${to}" is not a digest (sha256: and 64 lowercase hex characters)` });
  }
  return deploy({
    ...rest,
    command: 'rollback',
    version: to ?? `the version before ${env.targetTag}'s`,
    images: async (registryFor) => {
      if (to !== undefined && DIGEST.test(to)) return byDigest(input.config, to, registryFor);
      const version = to ?? (await previousOf(input.config, env.targetTag, registryFor));
      return { images: await findPushedImages({ config: input.config, version, ...(input.sha !== undefined ? { sha: input.sha } : {}), registryFor }), version };
    },
  });
}

/** The one previous version every image agrees on; anything else needs a person to name it with --to. */
async function previousOf(config: Pick<Config, 'images'>, targetTag: string, registryFor: RegistryLookup): Promise<string> {
  const problems: Problem[] = [];
  const found = await Promise.all(
    config.images.map(async (image) => {
      const registry = await registryFor(image.repository);
      const current = (await registry.resolve(image.repository, targetTag))?.digest;
      const field = `images.${image.name}`;
      if (!current) return void problems.push({ field, message: `${image.repository}:${targetTag} does not exist: nothing is deployed to roll back` });
      const { current: now, previous } = previousVersion(await versionTagsOf(registry, image.repository), current);
      if (!now) return void problems.push({ field, message: `${image.repository}:${targetTag} (${current}) carries no version tag, so "the previous version" is unknown: name one with --to` });
      if (!previous) return void problems.push({ field, message: `${image.repository} has no release older than ${now.tag} (what ${targetTag} is on) on another digest` });
      return previous.tag;
    }),
  );
  if (problems.length) throw new InputError(problems);
  const versions = [...new Set(found)];
  if (versions.length !== 1) throw new InputError({ field: 'to', message: `the images go back to different versions (${versions.join(', ')}): name one with --to` });
  return versions[0]!;
}

async function byDigest(config: Pick<Config, 'images'>, digest: string, registryFor: RegistryLookup): Promise<{ images: BuiltImage[]; version: string }> {
  const problems: Problem[] = [];
  const images = await Promise.all(
    config.images.map(async (image): Promise<BuiltImage> => {
      const registry = await registryFor(image.repository);
      if (!(await registry.resolve(image.repository, digest))) problems.push({ field: 'to', message: `${image.repository}@${digest} does not exist` });
      const version = versionOn(await versionTagsOf(registry, image.repository), digest);
      return { name: image.name, repository: image.repository, digest, tags: version ? [version.tag] : [] };
    }),
  );
  if (problems.length) throw new InputError(problems);
  return { images, version: images[0]?.tags[0] ?? digest };
}
