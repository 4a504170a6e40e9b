import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  require_src
} from "./chunk-QDTQAJN5.js";
import "./chunk-7HRJLPYP.js";
import "./chunk-JGF3FBHV.js";
export default require_src();
