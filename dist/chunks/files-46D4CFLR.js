import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));
import {
  exitCodeFor
} from "./chunk-Q3FTBLQ3.js";
import "./chunk-FNCNTWIO.js";
import "./chunk-K5Q2ZJ2S.js";

// src/report/files.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";

// src/report/dotenv.ts
function dotenvText(result, exitCode) {
  let vars = [
    ["ROLLGATE_COMMAND", result.command],
    ["ROLLGATE_OUTCOME", result.outcome],
    ["ROLLGATE_EXIT_CODE", String(exitCode)]
  ];
  result.environment !== void 0 && vars.push(["ROLLGATE_ENVIRONMENT", result.environment]), result.version !== void 0 && vars.push(["ROLLGATE_VERSION", result.version]), vars.push(["ROLLGATE_MESSAGE", oneLine(result.message).slice(0, 500)]), result.failedStage !== void 0 && vars.push(["ROLLGATE_FAILED_STAGE", result.failedStage]), result.revert && vars.push(["ROLLGATE_TIME_TO_SAFE_SECONDS", String(result.revert.timeToSafeSeconds)]);
  for (let image of result.images)
    !image.digest || vars.length >= 20 || vars.push([`ROLLGATE_IMAGE_${variablePart(image.name)}`, `${image.repository}@${image.digest}`]);
  return vars.map(([k, v]) => `${k}=${v}`).join(`
`) + `
`;
}
function variablePart(name) {
  return name.toUpperCase().replace(/[^A-Z0-9_]+/g, "_");
}
function oneLine(text) {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

// src/report/files.ts
async function writeReportFiles(files, result, details, cwd) {
  let writes = [], write = (path, text) => {
    path && writes.push(Promise.resolve(text()).then((t) => writeFile(resolve(cwd, path), t)));
  };
  write(files.json, () => `${JSON.stringify(result, null, 2)}
`), write(files.dotenv, () => dotenvText(result, exitCodeFor(result))), write(files.summary, async () => (await import("./summary-QRTNTAWC.js")).summaryMarkdown(result, details));
  let smoke = details.smoke;
  smoke && write(files.junit, async () => (await import("./junit-3FCSNCBJ.js")).smokeJunitXml(smoke)), await Promise.all(writes);
}
export {
  writeReportFiles
};
