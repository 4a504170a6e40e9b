import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  DigestMismatchError,
  buildImages,
  confirmDigest,
  formatBuildSummary,
  missingSecrets,
  runLimited
} from "./chunk-YH25T4PM.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-JGF3FBHV.js";
export {
  DigestMismatchError,
  buildImages,
  confirmDigest,
  formatBuildSummary,
  missingSecrets,
  runLimited
};
