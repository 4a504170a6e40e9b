// `deploy --no-build`: the images a build job pushed earlier, found by their version tags. Every version tag of an
// image must be there and point at one digest; otherwise the deploy would not know what it deploys.
import type { Config } from '../config/types.ts';
import { InputError, type Problem } from '../errors.ts';
import type { BuiltImage } from '../image/build-images.ts';
import { parseBuildVersion, renderVersionTags } from '../image/version-tags.ts';
import type { Registry } from '../registry/types.ts';

export interface PushedImagesInput {
  config: Pick<Config, 'images' | 'tags'>;
  version: string;
  /** For `{sha}` templates: the commit the build job built (CI gives both jobs the same one). */
  sha?: string;
  registryFor: (repository: string) => Promise<Pick<Registry, 'resolve'>>;
}

/**
 * The version tags a build job pushed for `version`. `{date}` renders the day of the build, which a later job cannot
 * know, and `{sha}` needs the commit: those templates are left out when they cannot be rendered.
 */
export function versionTagsToFind(templates: readonly string[], version: string, sha: string | undefined): string[] {
  const known = templates.filter((t) => !t.includes('{date}') && (sha !== undefined || !t.includes('{sha}')));
  if (!known.length) {
    throw new InputError({ field: 'tags', message: `--no-build needs a version tag it can find; every template (${templates.join(', ')}) depends on the build date or commit` });
  }
  return renderVersionTags(known, { version: parseBuildVersion(version), ...(sha !== undefined ? { sha } : {}) });
}

export async function findPushedImages(input: PushedImagesInput): Promise<BuiltImage[]> {
  const tags = versionTagsToFind(input.config.tags, input.version, input.sha);
  const problems: Problem[] = [];
  const images = await Promise.all(
    input.config.images.map(async (image) => {
      const registry = await input.registryFor(image.repository);
      const found = await Promise.all(tags.map(async (tag) => ({ tag, digest: (await registry.resolve(image.repository, tag))?.digest })));
      const missing = found.filter((f) => f.digest === undefined).map((f) => f.tag);
      const digests = [...new Set(found.map((f) => f.digest).filter((d): d is string => d !== undefined))];
      if (missing.length) {
        problems.push({ field: `images.${image.name}`, message: `${image.repository} has no tag ${missing.join(', ')}: build and push version ${input.version} first (rollgate build)` });
      } else if (digests.length > 1) {
        const where = found.map((f) => `${f.tag} -> ${f.digest}`).join(', ');
        problems.push({ field: `images.${image.name}`, message: `the version tags of ${image.repository} disagree (${where}); rebuild version ${input.version}` });
      }
      return { name: image.name, repository: image.repository, digest: digests[0] ?? '', tags };
    }),
  );
  if (problems.length) throw new InputError(problems);
  return images;
}
