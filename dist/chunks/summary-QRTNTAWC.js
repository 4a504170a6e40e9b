import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  runTitle,
  summaryMarkdown
} from "./chunk-L6QAYTUE.js";
import "./chunk-3V7TI2RJ.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-K5Q2ZJ2S.js";
export {
  runTitle,
  summaryMarkdown
};
