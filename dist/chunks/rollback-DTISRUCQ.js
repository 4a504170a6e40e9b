import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  previousVersion,
  versionOn,
  versionTagsOf
} from "./chunk-ZJUFLAIK.js";
import {
  deploy,
  findPushedImages
} from "./chunk-DEL65Q45.js";
import "./chunk-JM7NQNO2.js";
import "./chunk-BT5J6BEI.js";
import "./chunk-GRWIMLBM.js";
import "./chunk-QALRVUOD.js";
import "./chunk-TVX7SFGC.js";
import "./chunk-E6PAOL2G.js";
import "./chunk-5BA2XP4Z.js";
import "./chunk-HEIWUJ7H.js";
import "./chunk-QWDPOG5O.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-UNUST53R.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-RPF3FRJ4.js";
import "./chunk-3V7TI2RJ.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-JCACNWR7.js";
import "./chunk-QAZIYCV3.js";
import "./chunk-LIPN2H4P.js";
import "./chunk-ZT2TC3RN.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-MCV24WYC.js";
import "./chunk-RZET367P.js";
import "./chunk-B4ZKNYEW.js";
import {
  InputError
} from "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/commands/rollback.ts
var DIGEST = /^sha256:[0-9a-f]{64}$/;
async function rollback(input) {
  let { to, ...rest } = input, env = input.config.environments[input.environment];
  if (!env) throw new InputError({ field: "env", message: `environment "${input.environment}" is not in ${input.config.file}` });
  if (to !== void 0 && to.startsWith("sha256:") && !DIGEST.test(to))
    throw new InputError({ field: "to", message: `"${to}" is not a digest (sha256: and 64 lowercase hex characters)` });
  return deploy({
    ...rest,
    command: "rollback",
    version: to ?? `the version before ${env.targetTag}'s`,
    images: async (registryFor) => {
      if (to !== void 0 && DIGEST.test(to)) return byDigest(input.config, to, registryFor);
      let version = to ?? await previousOf(input.config, env.targetTag, registryFor);
      return { images: await findPushedImages({ config: input.config, version, ...input.sha !== void 0 ? { sha: input.sha } : {}, registryFor }), version };
    }
  });
}
async function previousOf(config, targetTag, registryFor) {
  let problems = [], found = await Promise.all(
    config.images.map(async (image) => {
      let registry = await registryFor(image.repository), current = (await registry.resolve(image.repository, targetTag))?.digest, field = `images.${image.name}`;
      if (!current) return void problems.push({ field, message: `${image.repository}:${targetTag} does not exist: nothing is deployed to roll back` });
      let { current: now, previous } = previousVersion(await versionTagsOf(registry, image.repository), current);
      return now ? previous ? previous.tag : void problems.push({ field, message: `${image.repository} has no release older than ${now.tag} (what ${targetTag} is on) on another digest` }) : void problems.push({ field, message: `${image.repository}:${targetTag} (${current}) carries no version tag, so "the previous version" is unknown: name one with --to` });
    })
  );
  if (problems.length) throw new InputError(problems);
  let versions = [...new Set(found)];
  if (versions.length !== 1) throw new InputError({ field: "to", message: `the images go back to different versions (${versions.join(", ")}): name one with --to` });
  return versions[0];
}
async function byDigest(config, digest, registryFor) {
  let problems = [], images = await Promise.all(
    config.images.map(async (image) => {
      let registry = await registryFor(image.repository);
      await registry.resolve(image.repository, digest) || problems.push({ field: "to", message: `${image.repository}@${digest} does not exist` });
      let version = versionOn(await versionTagsOf(registry, image.repository), digest);
      return { name: image.name, repository: image.repository, digest, tags: version ? [version.tag] : [] };
    })
  );
  if (problems.length) throw new InputError(problems);
  return { images, version: images[0]?.tags[0] ?? digest };
}
export {
  rollback
};
