import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  KubeApiError,
  KubeCluster,
  connectCluster
} from "./chunk-H3WR664Q.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-62CZLIBD.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-JGF3FBHV.js";
export {
  KubeApiError,
  KubeCluster,
  connectCluster
};
