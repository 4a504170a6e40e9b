import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  TRACKED_KINDS,
  trackRollout,
  workloadsOf
} from "./chunk-TVX7SFGC.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-K5Q2ZJ2S.js";
export {
  TRACKED_KINDS,
  trackRollout,
  workloadsOf
};
