import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/image/labels.ts
var OCI_VERSION_LABEL = "org.opencontainers.image.version", OCI_REVISION_LABEL = "org.opencontainers.image.revision";
function ociLabels(origin) {
  return {
    [OCI_VERSION_LABEL]: origin.version,
    [OCI_REVISION_LABEL]: origin.revision,
    ...origin.source ? { "org.opencontainers.image.source": origin.source } : {},
    // RFC 3339 in UTC, second precision: the spec's format, and stable whatever the machine's zone.
    "org.opencontainers.image.created": origin.created.toISOString().replace(/\.\d{3}Z$/, "Z")
  };
}
function buildTime(env, now = () => /* @__PURE__ */ new Date()) {
  let epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== void 0 && epoch !== "") {
    if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${epoch}"`);
    return new Date(Number(epoch) * 1e3);
  }
  return now();
}
function sourceUrl(env, gitRemote) {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) return `${env.GITHUB_SERVER_URL.replace(/\/+$/, "")}/${env.GITHUB_REPOSITORY}`;
  if (env.CI_PROJECT_URL) return env.CI_PROJECT_URL;
  if (!gitRemote) return;
  let scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(gitRemote);
  if (scp && !gitRemote.includes("://")) return `https://${scp[1]}/${scp[2]}`;
  try {
    let url = new URL(gitRemote);
    if (!["https:", "http:", "ssh:", "git:"].includes(url.protocol)) return;
    let path = url.pathname.replace(/\.git\/?$/, "").replace(/\/+$/, "");
    return url.protocol === "http:" || url.protocol === "https:" ? `${url.protocol}//${url.host}${path}` : `https://${url.hostname}${path}`;
  } catch {
    return;
  }
}

export {
  OCI_VERSION_LABEL,
  OCI_REVISION_LABEL,
  ociLabels,
  buildTime,
  sourceUrl
};
