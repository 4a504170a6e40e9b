import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  KubeApiError,
  KubeCluster,
  connectCluster
} from "./chunk-GRWIMLBM.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-RPF3FRJ4.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";
export {
  KubeApiError,
  KubeCluster,
  connectCluster
};
