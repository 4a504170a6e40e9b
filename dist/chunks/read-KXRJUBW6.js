import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  readManifests
} from "./chunk-5PPRE5WP.js";
import "./chunk-TGZGNZ2L.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-JGF3FBHV.js";
export {
  readManifests
};
