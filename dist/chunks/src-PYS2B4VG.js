import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  require_src
} from "./chunk-DL7ESSEN.js";
import "./chunk-WLNG5KSM.js";
import "./chunk-K5Q2ZJ2S.js";
export default require_src();
