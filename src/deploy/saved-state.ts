// What a cut-off run needs to be undone, on disk: the target tags it moved and the snapshot of what the cluster
// held before. Saved the moment a tag moves and again before the first write to the cluster, so the action's post
// step (or a person, with the kubectl commands) can finish the restore after the run itself was killed.
//
// The folder is made 0700 under RUNNER_TEMP (or the OS temp folder), never inside the workspace: the snapshot can
// hold Secret data, and a file in the workspace could end up in a build context or an artifact. previous.yaml holds
// the objects as they were, for `kubectl apply -f`, without Secrets (their data stays in state.json only).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../errors.ts';
import type { Snapshot } from '../kube/apply/snapshot.ts';
import { restoreBody } from '../kube/restore-plan.ts';
import type { TargetTag } from './target-tags.ts';

export interface SavedDeploy {
  version: 1;
  environment: string;
  namespace: string;
  /** The kubeconfig context and API server the run wrote to: a restore goes to the same cluster. */
  context: string;
  server: string;
  startedAt: string;
  tags: TargetTag[];
  /** The snapshot of what the apply is about to change (taken before its first write). */
  snapshot?: Snapshot;
  /** The apply has begun: the cluster needs the snapshot put back. */
  applying?: boolean;
}

export const STATE_FILE = 'state.json';
export const PREVIOUS_OBJECTS_FILE = 'previous.yaml';

export class SavedState {
  readonly dir: string;
  readonly #data: SavedDeploy;
  #written: Snapshot | undefined;

  private constructor(dir: string, data: SavedDeploy) {
    this.dir = dir;
    this.#data = data;
  }

  static async create(data: Omit<SavedDeploy, 'version'>, env: Readonly<Record<string, string | undefined>>): Promise<SavedState> {
    const base = env.RUNNER_TEMP || tmpdir();
    const workspace = env.GITHUB_WORKSPACE;
    if (workspace && isInside(resolve(base), resolve(workspace))) {
      throw new InputError({ field: 'RUNNER_TEMP', message: `the temp folder ${base} is inside the workspace ${workspace}; the restore state (with Secret data) must not be written there` });
    }
    const dir = await mkdtemp(join(base, `rollgate-restore-${data.environment.replace(/[^\w.-]+/g, '-')}-${randomBytes(3).toString('hex')}-`));
    return new SavedState(dir, { version: 1, ...data });
  }

  get file(): string {
    return join(this.dir, STATE_FILE);
  }

  /** previous.yaml, written with the snapshot. */
  get previousObjectsFile(): string {
    return join(this.dir, PREVIOUS_OBJECTS_FILE);
  }

  /** Writes state.json (replacing it whole, so a reader never sees half of it). */
  async save(change: Partial<Pick<SavedDeploy, 'tags' | 'snapshot' | 'applying'>> = {}): Promise<string> {
    Object.assign(this.#data, change);
    if (change.snapshot && change.snapshot !== this.#written) {
      this.#written = change.snapshot;
      await writePrivate(this.previousObjectsFile, previousObjectsYaml(change.snapshot));
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writePrivate(tmp, `${JSON.stringify(this.#data)}\n`);
    await rename(tmp, this.file);
    return this.file;
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The objects as they were before the run (not Secrets), as one multi-document YAML for kubectl. */
export function previousObjectsYaml(snapshot: Snapshot): string {
  return snapshot.entries
    .filter((e) => e.previous && e.ref.kind !== 'Secret')
    .map((e) => stringify(restoreBody(e.previous!)))
    .join('---\n');
}

export async function loadSavedDeploy(file: string): Promise<SavedDeploy> {
  let data: SavedDeploy;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as SavedDeploy;
  } catch (err) {
    throw new Error(`cannot read the saved restore state ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (data?.version !== 1 || !Array.isArray(data.tags)) throw new Error(`${file} is not a rollgate restore state`);
  return data;
}

async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
