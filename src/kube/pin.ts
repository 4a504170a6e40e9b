// Pins the images this run built or promotes: every container of a pod template that names one of their
// repositories, whatever tag or digest it wrote, becomes `repository:TARGET@sha256:DIGEST` (readable and
// immutable). References are compared by parsed repository, never by string: `x` and `docker.io/library/x` are
// one repository, the same path on another host is another. Nothing else is touched, and the input is not mutated.
import type { KubeObject, ObjectRef } from './cluster.ts';
import { refOf } from './cluster.ts';
import { isValidDigest, parseImageRef, parseRepository, sameRepository, type ImageRef } from '../image/ref.ts';
import { apiGroupOf } from './manifests/kinds.ts';

export interface PinImage {
  /** The image's key in `images:`. */
  name: string;
  /** Fully qualified repository, as configured: `us-docker.pkg.dev/acme/apps/invoice`. */
  repository: string;
  /** `sha256:...`, from the build or the promotion. */
  digest: string;
}

export interface PinnedContainer {
  object: ObjectRef;
  /** `spec.template.spec.initContainers[migrate]` */
  path: string;
  container: string;
  /** Name of the configured image. */
  image: string;
  from: string;
  to: string;
}

export interface PinResult {
  /** The objects in the same order; changed ones are copies, the others the same objects. */
  objects: KubeObject[];
  pinned: PinnedContainer[];
  /** Names of configured images no container refers to. */
  unreferenced: string[];
  warnings: string[];
}

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Where the pod spec sits in each kind that has one. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Where the pod spec of this kind of object is, or undefined when it has none. */
export function podSpecPath(object: Pick<KubeObject, 'apiVersion' | 'kind'>): readonly string[] | undefined {
  return POD_SPEC_PATHS[`${apiGroupOf(object.apiVersion)}/${object.kind}`];
}

export function pinImages(objects: readonly KubeObject[], options: { images: readonly PinImage[]; targetTag: string }): PinResult {
  const images = options.images.map((image) => {
    if (!isValidDigest(image.digest)) throw new Error(`image ${image.name}: cannot pin to "${image.digest}", not a digest`);
    return { image, ref: parseRepository(image.repository), pinned: `${image.repository}:${options.targetTag}@${image.digest}` };
  });
  const pinned: PinnedContainer[] = [];
  const out = objects.map((object) => {
    const specPath = podSpecPath(object);
    const podSpec = specPath ? dig(object, specPath) : undefined;
    if (!podSpec) return object;
    let copy: KubeObject | undefined;
    for (const list of CONTAINER_LISTS) {
      const containers = podSpec[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((container: unknown, i) => {
        if (!isRecord(container) || typeof container.image !== 'string') return;
        const ref = parseOrUndefined(container.image);
        const match = ref && images.find((candidate) => sameRepository(candidate.ref, ref));
        if (!match) return;
        copy ??= structuredClone(object);
        const target = (dig(copy, specPath!)![list] as Array<Record<string, unknown>>)[i]!;
        target.image = match.pinned;
        const name = typeof container.name === 'string' ? container.name : String(i);
        pinned.push({
          object: refOf(object),
          path: `${specPath!.join('.')}.${list}[${name}]`,
          container: name,
          image: match.image.name,
          from: container.image,
          to: match.pinned,
        });
      });
    }
    return copy ?? object;
  });
  const used = new Set(pinned.map((p) => p.image));
  const unreferenced = options.images.filter((image) => !used.has(image.name)).map((image) => image.name);
  const warnings = options.images
    .filter((image) => !used.has(image.name))
    .map((image) => `image ${image.name} (${image.repository}) is not used by any container in the manifests, so this deploy does not run it`);
  return { objects: out, pinned, unreferenced, warnings };
}

/** A reference rollgate cannot parse (`$(IMAGE)`, a placeholder) is not one of ours: the API server judges it. */
function parseOrUndefined(image: string): ImageRef | undefined {
  try {
    return parseImageRef(image);
  } catch {
    return undefined;
  }
}

export function dig(object: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = object;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return isRecord(node) ? node : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
