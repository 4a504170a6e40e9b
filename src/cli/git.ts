// The commit being built: what CI says (GitHub, GitLab), else what git says in the config's folder.
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../errors.ts';

export async function commitSha(env: Readonly<Record<string, string | undefined>>, configPath: string): Promise<string> {
  const fromCi = env.GITHUB_SHA ?? env.CI_COMMIT_SHA;
  if (fromCi) return fromCi;
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: dirname(configPath) });
    return stdout.trim();
  } catch {
    throw new InputError({ field: 'sha', message: 'no commit to label the image with: not in a git work tree and neither GITHUB_SHA nor CI_COMMIT_SHA is set' });
  }
}
