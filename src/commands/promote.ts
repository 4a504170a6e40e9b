// rollgate promote --from A --to B: no build. The digests A's target tags point at now become B's release, deployed
// to B exactly as `rollgate deploy` deploys (tags moved by compare-and-swap, apply, track, smoke, revert on failure).
import type { Config } from '../config/types.ts';
import { InputError, type Problem } from '../errors.ts';
import type { BuiltImage } from '../image/build-images.ts';
import type { DeployReport } from '../deploy/report.ts';
import { versionsOn, versionTagsOf } from '../deploy/version-history.ts';
import type { RegistryLookup } from '../deploy/target-tags.ts';
import { deploy, type DeployInput } from './deploy.ts';

export type PromoteInput = Omit<DeployInput, 'environment' | 'version' | 'command' | 'images' | 'noBuild' | 'sha' | 'builder' | 'buildFlags'> & {
  from: string;
  to: string;
};

export async function promote(input: PromoteInput): Promise<DeployReport> {
  const { from, to, ...rest } = input;
  const source = input.config.environments[from];
  if (!source) throw new InputError({ field: 'from', message: `environment "${from}" is not in ${input.config.file}` });
  if (from === to) throw new InputError({ field: 'to', message: `promote needs two environments; --from and --to are both "${from}"` });
  return deploy({
    ...rest,
    command: 'promote',
    environment: to,
    version: `what ${from} runs`,
    images: (registryFor) => deployedIn(input.config, source.name, source.targetTag, registryFor),
  });
}

/**
 * What the environment's target tag points at for each image, with the version tags on that digest. A repository
 * without the tag means the environment was never deployed: nothing to promote.
 */
export async function deployedIn(config: Pick<Config, 'images'>, environment: string, targetTag: string, registryFor: RegistryLookup): Promise<{ images: BuiltImage[]; version?: string }> {
  const problems: Problem[] = [];
  const images = await Promise.all(
    config.images.map(async (image): Promise<BuiltImage> => {
      const registry = await registryFor(image.repository);
      const digest = (await registry.resolve(image.repository, targetTag))?.digest;
      if (!digest) {
        problems.push({ field: `images.${image.name}`, message: `${image.repository}:${targetTag} does not exist: ${environment} has nothing deployed to promote` });
        return { name: image.name, repository: image.repository, digest: '', tags: [] };
      }
      return { name: image.name, repository: image.repository, digest, tags: versionsOn(await versionTagsOf(registry, image.repository), digest) };
    }),
  );
  if (problems.length) throw new InputError(problems);
  const named = images.map((i) => i.tags[0]).filter((t): t is string => t !== undefined);
  const version = named.length === images.length && new Set(named).size === 1 ? named[0] : undefined;
  return { images, version: version ?? `${environment}'s ${images.map((i) => `${i.name}@${i.digest.slice(0, 19)}`).join(', ')}` };
}
