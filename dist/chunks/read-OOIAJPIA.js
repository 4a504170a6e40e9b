import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  readManifests
} from "./chunk-QALRVUOD.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-LIPN2H4P.js";
import "./chunk-ZT2TC3RN.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";
export {
  readManifests
};
