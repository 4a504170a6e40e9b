// Demo step: a release moves the target tag, fails verification, and the tag goes back by compare-and-swap;
// then a tag someone else moved is left alone. Against the sandbox's real registry and its GAR emulator.
//   node scripts/demo/tags.ts REPOSITORY GOOD_TAG BAD_TAG TARGET_TAG
import { isArtifactRegistryHost, registryFor } from '../../src/registry/factory.ts';
import { consoleLogger } from '../../src/log.ts';
import type { RegistrySettings } from '../../src/config/types.ts';

const [repository, goodTag, badTag, targetTag] = process.argv.slice(2) as [string, string, string, string];
const garEndpoint = process.env.ROLLGATE_SANDBOX_GAR_ENDPOINT;
const registries: Record<string, RegistrySettings> = garEndpoint
  ? { 'us-docker.pkg.dev': { insecure: false, endpoint: garEndpoint, apiEndpoint: garEndpoint } }
  : {};
let requests = 0;
const counting = (url: string, init: RequestInit) => {
  requests++;
  return fetch(url, init);
};
const registry = await registryFor(repository, { registries }, { logger: consoleLogger(), fetch: counting });
const short = (d: string | undefined) => (d ? `${d.slice(0, 19)}…` : 'none');
const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  const before = requests;
  const out = await fn();
  // GAR tag moves go through the Artifact Registry API client, which this counter does not see.
  const gar = isArtifactRegistryHost(repository.split('/')[0]!);
  console.log(`   ${what}${gar ? ' (Artifact Registry API)' : ` (${requests - before} registry requests)`}`);
  return out;
};

const good = (await registry.resolve(repository, goodTag))!.digest;
const bad = (await registry.resolve(repository, badTag))!.digest;
await registry.moveTag(repository, targetTag, good);
console.log(`${repository}:${targetTag} serves ${goodTag} = ${short(good)}`);

const previous = await step(`record the previous digest of :${targetTag}`, async () => (await registry.resolve(repository, targetTag))?.digest);
await step(`move :${targetTag} to ${badTag} = ${short(bad)}`, () => registry.moveTag(repository, targetTag, bad));
console.log(`   ... ${badTag} fails verification: revert`);
const revert = await step(`compare-and-swap :${targetTag} back`, () => registry.revertTag(repository, targetTag, bad, previous));
console.log(`   revert: ${revert.status}; :${targetTag} = ${short((await registry.resolve(repository, targetTag))?.digest)} (${goodTag})`);

console.log(`a run that set :${targetTag} to ${goodTag} reverts, but someone else moved it to ${badTag} meanwhile:`);
await registry.moveTag(repository, targetTag, bad);
const refused = await registry.revertTag(repository, targetTag, good, previous);
console.log(`   revert: ${refused.status} -- their tag is left alone and reported, never clobbered`);
await registry.moveTag(repository, targetTag, good);
