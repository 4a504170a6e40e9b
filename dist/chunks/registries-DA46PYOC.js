import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  insecureRepository,
  registryLookup
} from "./chunk-E6PAOL2G.js";
import "./chunk-QWDPOG5O.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-RPF3FRJ4.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";
export {
  insecureRepository,
  registryLookup
};
