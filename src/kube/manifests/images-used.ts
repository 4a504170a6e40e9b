// A deploy whose manifests run none of the images it builds (or promotes) would verify nothing it built: a
// repository spelt differently in rollgate.yml and in the manifests, most of the time. Found before any write.
import type { Problem } from '../../errors.ts';
import { CONTAINER_LISTS, pinImages, podSpecPath } from '../pin.ts';
import { isPlainObject } from './load.ts';
import type { Manifest } from './validate.ts';

export interface UsedImage {
  name: string;
  repository: string;
}

/**
 * Undefined when a container runs one of `images`; otherwise the problem, at the first container's image (what
 * the manifests run instead), or at the environment's manifests when no object has a container at all.
 */
export function imagesUnusedProblem(images: readonly UsedImage[], env: { name: string; targetTag: string }, manifests: readonly Manifest[]): Problem | undefined {
  const probe = images.map((i) => ({ ...i, digest: `sha256:${'0'.repeat(64)}` }));
  if (pinImages(manifests.map((m) => m.object), { images: probe, targetTag: env.targetTag }).pinned.length > 0) return undefined;
  const wanted = images.map((i) => `${i.name} (${i.repository})`).join(' or ');
  const containers = manifests.flatMap(containersOf);
  const first = containers[0];
  if (!first) return { field: `environments.${env.name}.manifests`, message: `no container in the manifests of ${env.name} runs ${wanted}: they have no containers` };
  const runs = [...new Set(containers.map((c) => c.image))].join(', ');
  return {
    file: first.manifest.source.file,
    line: first.manifest.source.lineOf(first.path),
    field: first.field,
    message: `no container in the manifests of ${env.name} runs ${wanted}; they run ${runs}`,
  };
}

function containersOf(manifest: Manifest): Array<{ manifest: Manifest; path: Array<string | number>; field: string; image: string }> {
  const specPath = podSpecPath(manifest.object);
  if (!specPath) return [];
  let podSpec: unknown = manifest.object;
  for (const key of specPath) podSpec = isPlainObject(podSpec) ? podSpec[key] : undefined;
  if (!isPlainObject(podSpec)) return [];
  const out = [];
  for (const list of CONTAINER_LISTS) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    for (const [i, c] of containers.entries()) {
      if (!isPlainObject(c) || typeof c.image !== 'string') continue;
      out.push({ manifest, path: [...specPath, list, i, 'image'], field: `${specPath.join('.')}.${list}[${i}].image`, image: c.image });
    }
  }
  return out;
}
