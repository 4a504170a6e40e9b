// Docker image names on Artifact Registry and the API resource names they map to. Pure.
//
//   us-docker.pkg.dev/acme/apps/team/invoice
//   -> projects/acme/locations/us/repositories/apps/packages/team%2Finvoice
//
// A package ID with slashes is escaped (`%2F`) inside resource names; the REST client then percent-encodes the
// whole segment again on the wire (`team%252Finvoice`), which is what the real API expects.

export interface GarImage {
  /** `us-docker.pkg.dev`, `europe-west1-docker.pkg.dev` */
  host: string;
  location: string;
  /** Project ID; domain-scoped projects keep their colon: `example.com:acme`. */
  project: string;
  repository: string;
  /** Image path inside the repository, slashes and all: `team/invoice`. */
  image: string;
}

const HOST = /^([a-z][a-z0-9-]*[a-z0-9])-docker\.pkg\.dev$/;
// Distribution's path component grammar.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isGarHost(host: string): boolean {
  return HOST.test(host);
}

/** Splits `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE[/...]`; throws naming what is wrong. */
export function parseGarImage(repository: string): GarImage {
  const [host = '', ...components] = repository.split('/');
  const location = HOST.exec(host)?.[1];
  if (!location) {
    throw new Error(`"${repository}" is not an Artifact Registry image: the host must be LOCATION-docker.pkg.dev`);
  }
  const bad = components.find((c) => !COMPONENT.test(c));
  if (bad !== undefined) {
    throw new Error(`"${repository}": "${bad}" is not a valid path component (lowercase letters, digits, . _ -)`);
  }
  // A domain-scoped project ID `example.com:acme` is written `example.com/acme` in image names. Plain project IDs
  // never contain a dot, so a dot in the first component tells them apart.
  const projectParts = components[0]?.includes('.') ? 2 : 1;
  const project = components.slice(0, projectParts).join(':');
  const [repo, ...image] = components.slice(projectParts);
  if (!project || !repo || image.length === 0) {
    throw new Error(`"${repository}" must name LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE`);
  }
  return { host, location, project, repository: repo, image: image.join('/') };
}

export function repositoryName(img: GarImage): string {
  return `projects/${img.project}/locations/${img.location}/repositories/${img.repository}`;
}

export function packageName(img: GarImage): string {
  return `${repositoryName(img)}/packages/${encodeURIComponent(img.image)}`;
}

export function tagName(img: GarImage, tag: string): string {
  return `${packageName(img)}/tags/${encodeURIComponent(tag)}`;
}

export function versionName(img: GarImage, digest: string): string {
  if (!DIGEST.test(digest)) throw new Error(`"${digest}" is not a sha256 digest (sha256:<64 hex>)`);
  return `${packageName(img)}/versions/${digest}`;
}

/** The tag ID at the end of a tag resource name. */
export function tagIdOf(name: string): string {
  return decodeURIComponent(name.slice(name.lastIndexOf('/tags/') + '/tags/'.length));
}

/** The digest a version resource name ends with; throws when the version is not a Docker manifest digest. */
export function digestOfVersion(name: string): string {
  const id = decodeURIComponent(name.slice(name.lastIndexOf('/versions/') + '/versions/'.length));
  if (!name.includes('/versions/') || !DIGEST.test(id)) {
    throw new Error(`Artifact Registry returned a version that is not a manifest digest: "${name}"`);
  }
  return id;
}
