// The stand-ins every corpus case runs against, and the project it starts from. One of each per test file:
//
//   registry   the sandbox's real Distribution registry behind a fault proxy, which counts every request. The
//              project's repositories name `registry.corpus.test`, reached through the proxy by
//              `registries.<host>.endpoint` (as a mirror or a private endpoint would be).
//   cluster    the Kubernetes API emulator, whose `faults.requests` records every request it answers.
//
// A case copies test/corpus/base into a folder of its own, changes what it is about, and runs the real entry: the
// CLI's `main(argv, io)` in-process, or the action's src/index.ts as a child process with INPUT_* variables. The
// runs get no Docker engine: a mistake that slipped past validation into a build fails there, it cannot push.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { pushImage } from '../registry/images.ts';
import { startFaultProxy, type FaultProxy, type RecordedRequest } from '../sandbox/fault-proxy.ts';
import { startApiServer, type ApiServer } from '../sandbox/kube/apiserver.ts';
import type { RequestRecord } from '../sandbox/kube/faults.ts';

export const BASE = resolve(import.meta.dirname, 'base');
const ACTION_ENTRY = resolve(import.meta.dirname, '../../src/index.ts');
const NODE = process.execPath;

/** Where the base project's repository (`registry.corpus.test/corpus/web`) lives in the sandbox registry. */
const REPOSITORY_PATH = 'corpus/web';
/** A version whose tags (and dev's) are already in the registry, so `deploy --no-build` gets as far as it can. */
export const PUSHED_VERSION = 'v1.0.0';
export const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

/** A change to one file of the copied project: its new text, or a function of the old. */
export type FileChange = string | ((text: string) => string);

/** Replaces `from` (which must occur exactly once) by `to`: a patch that no longer applies fails loudly. */
export function replace(from: string, to: string): (text: string) => string {
  return (text) => {
    const at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`the patch expects ${JSON.stringify(from)} exactly once in the file`);
    return text.slice(0, at) + to + text.slice(at + from.length);
  };
}

export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Corpus {
  registry: FaultProxy;
  api: ApiServer;
  /** A fresh copy of the base project with `files` changed; returns its folder. */
  project(name: string, files?: Record<string, FileChange>): string;
  /** The process environment a run gets: the stand-ins' addresses, a commit, nothing else of the host's but PATH. */
  env(project: string, extra?: Record<string, string>): Record<string, string>;
  /** `rollgate ...argv` through the CLI's entry, in the project's folder. */
  cli(project: string, argv: readonly string[], env?: Record<string, string>): Promise<Output>;
  /** The action's entry (node src/index.ts) with these inputs, in the project's folder as the workspace. */
  action(project: string, inputs: Record<string, string>, env?: Record<string, string>): Promise<Output & { outputs: string; summary: string }>;
  /** Requests since the last reset: to the registry, and to the cluster. */
  requests(): { registry: readonly RecordedRequest[]; cluster: readonly RequestRecord[] };
  /** Requests that change something: anything but reads, and for the cluster, anything but a dry run. */
  writes(): { registry: RecordedRequest[]; cluster: RequestRecord[] };
  reset(): void;
  stop(): Promise<void>;
}

export async function startCorpus(options: { dir: string; registryHost: string }): Promise<Corpus> {
  const root = options.dir;
  const api = await startApiServer({ dir: join(root, 'cluster') });
  const registry = await startFaultProxy(`http://${options.registryHost}`);
  const image = await pushImage(options.registryHost, REPOSITORY_PATH, PUSHED_VERSION);
  for (const tag of ['v1.0', 'dev']) await putManifest(options.registryHost, image.manifest, tag);
  // The environments' namespaces exist, as they do after a first deploy: the base manifests do not declare them.
  for (const name of ['corpus-dev', 'corpus-stg']) api.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(runnerTemp);
  let count = 0;

  const corpus: Corpus = {
    registry,
    api,
    project(name, files = {}) {
      const dir = join(root, `${String(++count).padStart(3, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`);
      cpSync(BASE, dir, { recursive: true });
      for (const [file, change] of Object.entries(files)) {
        const path = join(dir, file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, typeof change === 'string' ? change : change(readFileSync(path, 'utf8')));
      }
      return dir;
    },
    env(project, extra = {}) {
      return {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: project,
        REGISTRY_URL: registry.url,
        API_SERVER: api.url,
        KUBECONFIG: api.kubeconfigPath,
        GITHUB_SHA: SHA,
        RUNNER_TEMP: runnerTemp,
        ...extra,
      };
    },
    async cli(project, argv, env = {}) {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: corpus.env(project, env), cwd: project });
      return { code, stdout, stderr };
    },
    async action(project, inputs, env = {}) {
      const outputs = join(project, '.github-output');
      const summary = join(project, '.github-summary');
      const state = join(project, '.github-state');
      for (const f of [outputs, summary, state]) writeFileSync(f, '');
      const inputEnv = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
      const childEnv = {
        ...corpus.env(project, env),
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: project,
        GITHUB_OUTPUT: outputs,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_STATE: state,
        ...inputEnv,
      };
      const { code, stdout, stderr } = await new Promise<Output>((done) => {
        execFile(NODE, [ACTION_ENTRY], { cwd: project, env: childEnv, encoding: 'utf8' }, (error, out, err) => {
          done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err });
        });
      });
      return { code, stdout, stderr, outputs: readFileSync(outputs, 'utf8'), summary: readFileSync(summary, 'utf8') };
    },
    requests: () => ({ registry: [...registry.requests], cluster: [...api.faults.requests] }),
    writes: () => ({
      registry: registry.writes(),
      cluster: api.faults.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !/(^|[?&])dryRun=/.test(r.query)),
    }),
    reset() {
      registry.reset();
      api.faults.resetCounters();
    },
    async stop() {
      await registry.close();
      await api.stop();
    },
  };
  return corpus;
}

async function putManifest(host: string, manifest: Buffer, tag: string): Promise<void> {
  const res = await fetch(`http://${host}/v2/${REPOSITORY_PATH}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: new Uint8Array(manifest),
  });
  if (res.status !== 201) throw new Error(`tagging ${REPOSITORY_PATH}:${tag}: ${res.status}`);
}
