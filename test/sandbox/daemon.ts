// The long-lived half of `npm run sandbox -- up`: hosts the in-process emulators (the GAR API emulator, and the
// Kubernetes API emulator with its controllers and a kubelet running real containers) and writes where they
// listen to a file the CLI waits for. Runs detached until SIGTERM.
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { startGarEmulator } from './gar-emulator.ts';
import { startSandboxCluster } from './kube/cluster.ts';

export interface DaemonInfo {
  pid: number;
  garUrl: string;
  /** The GAR repositories the emulator serves, as `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY`. */
  garRepositories: string[];
  kubeconfig: string;
  apiServer: string;
  clusterId: string;
}

const [dir, registryHost, dockerHost, pauseImage] = process.argv.slice(2);
if (!dir || !registryHost || !dockerHost || !pauseImage) {
  console.error('usage: daemon.ts DIR REGISTRY_HOST DOCKER_HOST PAUSE_IMAGE');
  process.exit(2);
}

const gar = await startGarEmulator({
  registryHost,
  repositories: [
    { project: 'acme', location: 'us', repository: 'apps' },
    { project: 'acme', location: 'us', repository: 'base' },
    { project: 'acme', location: 'us', repository: 'releases', immutableTags: true },
  ],
});

const SANDBOX_CLUSTER_ID = 'rollgate-sandbox';
const cluster = await startSandboxCluster({ dir: join(dir, 'kube'), dockerHost, pauseImage, clusterId: SANDBOX_CLUSTER_ID });

const info: DaemonInfo = {
  pid: process.pid,
  garUrl: gar.url,
  garRepositories: ['us-docker.pkg.dev/acme/apps', 'us-docker.pkg.dev/acme/base', 'us-docker.pkg.dev/acme/releases'],
  kubeconfig: cluster.kubeconfigPath,
  apiServer: cluster.api.url,
  clusterId: SANDBOX_CLUSTER_ID,
};
// Written atomically: the CLI polls for this file to know the daemon is ready.
writeFileSync(join(dir, 'daemon.json.tmp'), JSON.stringify(info, null, 2));
renameSync(join(dir, 'daemon.json.tmp'), join(dir, 'daemon.json'));

const stop = async () => {
  await cluster.stop();
  await gar.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
