// The source a deployed image was built from, for the nightly rebuild: the work tree itself when it is at that
// commit, else a throw-away `git worktree` of it. A scheduled job checks out the default branch, not what runs in
// prd; the image's revision label says which commit to build.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../errors.ts';

const run = promisify(execFile);

export interface SourceCheckout {
  /** rollgate.yml as it was at that commit. */
  configPath: string;
  /** Where it came from: `work tree` or the temporary worktree's path. */
  where: string;
  remove(): Promise<void>;
}

async function git(cwd: string, args: string[]): Promise<string> {
  return (await run('git', args, { cwd })).stdout.trim();
}

export async function checkoutRevision(configPath: string, revision: string): Promise<SourceCheckout> {
  const folder = dirname(configPath);
  let root: string;
  let head: string;
  try {
    root = await git(folder, ['rev-parse', '--show-toplevel']);
    head = await git(folder, ['rev-parse', 'HEAD']);
  } catch {
    throw new InputError({
      field: 'revision',
      message: `the deployed images were built from commit ${revision}, and ${folder} is not a git work tree to build it from; check that commit out and run rebuild there`,
    });
  }
  if (head === revision) return { configPath, where: 'work tree', remove: async () => {} };
  try {
    await git(root, ['cat-file', '-e', `${revision}^{commit}`]);
  } catch {
    throw new InputError({
      field: 'revision',
      message: `the deployed images were built from commit ${revision}, which this clone does not have (HEAD is ${head}); fetch the history (actions/checkout with fetch-depth: 0, GIT_DEPTH: 0 in GitLab) or check that commit out`,
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'rollgate-rebuild-'));
  const tree = join(dir, 'src');
  await git(root, ['worktree', 'add', '--detach', tree, revision]);
  return {
    configPath: join(tree, relative(root, configPath)),
    where: tree,
    remove: async () => {
      await git(root, ['worktree', 'remove', '--force', tree]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
