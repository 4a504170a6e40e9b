import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  deployedIn,
  promote
} from "./chunk-6CKOKSSX.js";
import "./chunk-ZJUFLAIK.js";
import "./chunk-DEL65Q45.js";
import "./chunk-JM7NQNO2.js";
import "./chunk-BT5J6BEI.js";
import "./chunk-GRWIMLBM.js";
import "./chunk-QALRVUOD.js";
import "./chunk-TVX7SFGC.js";
import "./chunk-E6PAOL2G.js";
import "./chunk-5BA2XP4Z.js";
import "./chunk-HEIWUJ7H.js";
import "./chunk-QWDPOG5O.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-UNUST53R.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-RPF3FRJ4.js";
import "./chunk-3V7TI2RJ.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-JCACNWR7.js";
import "./chunk-QAZIYCV3.js";
import "./chunk-LIPN2H4P.js";
import "./chunk-ZT2TC3RN.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-MCV24WYC.js";
import "./chunk-RZET367P.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";
export {
  deployedIn,
  promote
};
