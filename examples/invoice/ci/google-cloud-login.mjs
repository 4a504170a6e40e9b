// GitLab CI -> Google Cloud without a key: this job's ID token (id_tokens: GCP_ID_TOKEN in .gitlab-ci.yml) is
// exchanged through Workload Identity Federation for a one-hour access token of GCP_SERVICE_ACCOUNT, and written
// where the tools look for it:
//   - a registry auth file for GAR_HOST (buildah, docker and rollgate read it);
//   - GOOGLE_OAUTH_ACCESS_TOKEN, which rollgate uses for Artifact Registry's tag API;
//   - when GKE_CLUSTER names a cluster (projects/P/locations/L/clusters/C), a kubeconfig whose context is
//     gke_P_L_C, the name rollgate.yml's kubeContext expects (and google-github-actions/get-gke-credentials writes).
// Usage, in the job's shell: eval "$(node ci/google-cloud-login.mjs)". It prints only `export` lines; the files
// are 0600 in a fresh folder outside the project, so they never reach an image's build context.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`google-cloud-login: ${name} is not set (README.md, "GitLab CI", lists the variables)\n`);
    process.exit(2);
  }
  return value;
}

async function call(what, url, init) {
  const res = await fetch(url, init);
  const body = await res.text();
  if (!res.ok) {
    process.stderr.write(`google-cloud-login: ${what} failed: HTTP ${res.status} ${body.slice(0, 500)}\n`);
    process.exit(1);
  }
  return JSON.parse(body);
}

const provider = required('GCP_WORKLOAD_IDENTITY_PROVIDER');
const serviceAccount = required('GCP_SERVICE_ACCOUNT');
const idToken = required('GCP_ID_TOKEN');
const garHost = process.env.GAR_HOST || 'us-docker.pkg.dev';

// RFC 8693 token exchange at Google's STS, then the service account's own token (IAM Credentials API).
const federated = await call('the token exchange (is the provider right, and does it accept this project?)', 'https://sts.googleapis.com/v1/token', {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    audience: `//iam.googleapis.com/${provider}`,
    scope: SCOPE,
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    subject_token: idToken,
  }),
});
const { accessToken } = await call(
  `impersonating ${serviceAccount} (does the pool's principal have roles/iam.workloadIdentityUser on it?)`,
  `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(serviceAccount)}:generateAccessToken`,
  {
    method: 'POST',
    headers: { authorization: `Bearer ${federated.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scope: [SCOPE] }),
  },
);

const dir = mkdtempSync(join(tmpdir(), 'google-cloud-'));
const exports = { GOOGLE_OAUTH_ACCESS_TOKEN: accessToken };

const authFile = join(dir, 'config.json');
const auth = Buffer.from(`oauth2accesstoken:${accessToken}`).toString('base64');
writeFileSync(authFile, JSON.stringify({ auths: { [garHost]: { auth } } }), { mode: 0o600 });
Object.assign(exports, { DOCKER_CONFIG: dir, REGISTRY_AUTH_FILE: authFile });

const clusterName = process.env.GKE_CLUSTER;
if (clusterName) {
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/.exec(clusterName);
  if (!match) {
    process.stderr.write(`google-cloud-login: GKE_CLUSTER must read projects/PROJECT/locations/LOCATION/clusters/NAME, not "${clusterName}"\n`);
    process.exit(2);
  }
  const cluster = await call(`reading ${clusterName} (roles/container.clusterViewer?)`, `https://container.googleapis.com/v1/${clusterName}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const context = `gke_${match[1]}_${match[2]}_${match[3]}`;
  // JSON is YAML: a kubeconfig built as data, never as text.
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: `https://${cluster.endpoint}`, 'certificate-authority-data': cluster.masterAuth.clusterCaCertificate } }],
    users: [{ name: context, user: { token: accessToken } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
  };
  const kubeconfigFile = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigFile, JSON.stringify(kubeconfig), { mode: 0o600 });
  exports.KUBECONFIG = kubeconfigFile;
}

const quote = (value) => `'${String(value).replaceAll("'", "'\\''")}'`;
process.stdout.write(Object.entries(exports).map(([name, value]) => `export ${name}=${quote(value)}\n`).join(''));
