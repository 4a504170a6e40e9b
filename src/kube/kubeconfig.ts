// Where the kubeconfig comes from and which context is used, as kubectl decides it: --kubeconfig, else every
// file of KUBECONFIG (a path list), else ~/.kube/config. A kubeconfig handed over as contents (a CI secret) is
// written 0600 to the runner's temp folder, never under the workspace: a file there ends up in docker build
// contexts and artifacts.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.ts';

export interface KubeconfigSources {
  /** --kubeconfig or the action's `kubeconfig` input. */
  path?: string;
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
}

/** The kubeconfig files to load, in precedence order (the first file to set a name or current-context wins). */
export function kubeconfigPaths(sources: KubeconfigSources): string[] {
  const env = sources.env ?? process.env;
  if (sources.path) return [resolve(sources.path)];
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (list.length) return list.map((p) => resolve(p));
  return [join(sources.home ?? homedir(), '.kube', 'config')];
}

/**
 * The files that exist, or an InputError naming where we looked. KUBECONFIG entries that do not exist are
 * skipped, as kubectl does; an explicit path must exist.
 */
export function existingKubeconfigs(sources: KubeconfigSources): string[] {
  const paths = kubeconfigPaths(sources);
  const found = paths.filter((p) => existsSync(p));
  if (sources.path && !found.length) throw new InputError({ field: 'kubeconfig', message: `${paths[0]} does not exist` });
  if (!found.length) {
    const from = (sources.env ?? process.env).KUBECONFIG ? 'KUBECONFIG' : 'the default location';
    throw new InputError({ field: 'kubeconfig', message: `no kubeconfig found (${from}: ${paths.join(delimiter)})` });
  }
  return found;
}

/** The context to deploy through: the one asked for (--context), else the environment's, else current-context. */
export function chooseContext(choice: { requested?: string | undefined; environment?: string | undefined; current: string }): string {
  return choice.requested || choice.environment || choice.current;
}

export interface WrittenKubeconfig {
  path: string;
  /** Removes the file and its folder; safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Writes kubeconfig contents to a fresh 0700 folder under RUNNER_TEMP (or the OS temp folder) as a 0600 file.
 * Refuses a temp folder inside GITHUB_WORKSPACE.
 */
export async function writeKubeconfigContents(contents: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<WrittenKubeconfig> {
  if (!contents.trim()) throw new InputError({ field: 'kubeconfig', message: 'the kubeconfig contents are empty' });
  const base = env.RUNNER_TEMP || tmpdir();
  const workspace = env.GITHUB_WORKSPACE;
  if (workspace && isInside(resolve(base), resolve(workspace))) {
    throw new InputError({ field: 'kubeconfig', message: `the temp folder ${base} is inside the workspace ${workspace}; a kubeconfig written there could end up in a build context` });
  }
  const dir = await mkdtemp(join(base, `rollgate-kube-${randomBytes(3).toString('hex')}-`));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, contents, { mode: 0o600, flag: 'wx' });
  let disposed = false;
  return {
    path,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
