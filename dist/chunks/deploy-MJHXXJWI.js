import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  deploy
} from "./chunk-FEQPIVJG.js";
import "./chunk-3V7TI2RJ.js";
import "./chunk-LSNZAEE4.js";
import "./chunk-K4Q33BPF.js";
import "./chunk-H3WR664Q.js";
import "./chunk-5PPRE5WP.js";
import "./chunk-TVX7SFGC.js";
import "./chunk-3IIEBA6C.js";
import "./chunk-PIGCDNCT.js";
import "./chunk-YGQTKYOF.js";
import "./chunk-YH25T4PM.js";
import "./chunk-BG5YLR75.js";
import "./chunk-DKP2MMLE.js";
import "./chunk-Y3S6HAY2.js";
import "./chunk-62CZLIBD.js";
import "./chunk-TGZGNZ2L.js";
import "./chunk-R7NFTJUE.js";
import "./chunk-DSBZNJMG.js";
import "./chunk-B4ZKNYEW.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-JGF3FBHV.js";
export {
  deploy
};
