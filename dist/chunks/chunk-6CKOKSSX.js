import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  versionTagsOf,
  versionsOn
} from "./chunk-ZJUFLAIK.js";
import {
  deploy
} from "./chunk-DEL65Q45.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";

// src/commands/promote.ts
async function promote(input) {
  let { from, to, ...rest } = input, source = input.config.environments[from];
  if (!source) throw new InputError({ field: "from", message: `environment "${from}" is not in ${input.config.file}` });
  if (from === to) throw new InputError({ field: "to", message: `promote needs two environments; --from and --to are both "${from}"` });
  return deploy({
    ...rest,
    command: "promote",
    environment: to,
    version: `what ${from} runs`,
    images: (registryFor) => deployedIn(input.config, source.name, source.targetTag, registryFor)
  });
}
async function deployedIn(config, environment, targetTag, registryFor) {
  let problems = [], images = await Promise.all(
    config.images.map(async (image) => {
      let registry = await registryFor(image.repository), digest = (await registry.resolve(image.repository, targetTag))?.digest;
      return digest ? { name: image.name, repository: image.repository, digest, tags: versionsOn(await versionTagsOf(registry, image.repository), digest) } : (problems.push({ field: `images.${image.name}`, message: `${image.repository}:${targetTag} does not exist: ${environment} has nothing deployed to promote` }), { name: image.name, repository: image.repository, digest: "", tags: [] });
    })
  );
  if (problems.length) throw new InputError(problems);
  let named = images.map((i) => i.tags[0]).filter((t) => t !== void 0), version = named.length === images.length && new Set(named).size === 1 ? named[0] : void 0;
  return { images, version: version ?? `${environment}'s ${images.map((i) => `${i.name}@${i.digest.slice(0, 19)}`).join(", ")}` };
}

export {
  promote,
  deployedIn
};
