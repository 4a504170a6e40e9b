import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  BUILDERS,
  TAG_POLICIES,
  TOP_KEYS,
  loadConfig,
  loadRegistrySettings,
  readConfigSource,
  resolveConfig
} from "./chunk-KO6UF5B3.js";
import "./chunk-QAZIYCV3.js";
import "./chunk-LIPN2H4P.js";
import "./chunk-ZT2TC3RN.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-MCV24WYC.js";
import "./chunk-RZET367P.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";
export {
  BUILDERS,
  TAG_POLICIES,
  TOP_KEYS,
  loadConfig,
  loadRegistrySettings,
  readConfigSource,
  resolveConfig
};
