import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  isArtifactRegistryHost,
  registryFor
} from "./chunk-PIGCDNCT.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-62CZLIBD.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-JGF3FBHV.js";
export {
  isArtifactRegistryHost,
  registryFor
};
