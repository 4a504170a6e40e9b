import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  BUILDERS,
  TAG_POLICIES,
  TOP_KEYS,
  loadConfig,
  loadRegistrySettings,
  readConfigSource,
  resolveConfig
} from "./chunk-ANT55CCI.js";
import "./chunk-TGZGNZ2L.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-DSBZNJMG.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-JGF3FBHV.js";
export {
  BUILDERS,
  TAG_POLICIES,
  TOP_KEYS,
  loadConfig,
  loadRegistrySettings,
  readConfigSource,
  resolveConfig
};
