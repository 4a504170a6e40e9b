// The file system side of validation: paths in rollgate.yml must exist before anything is built or applied.
import { readFileSync, statSync } from 'node:fs';

export type PathKind = 'directory' | 'file' | 'file or directory';

/** Why `absolute` cannot be used as a `kind`, or undefined when it can. */
export function pathProblem(written: string, absolute: string, kind: PathKind): string | undefined {
  let stat;
  try {
    stat = statSync(absolute);
  } catch {
    return `"${written}" does not exist (looked for ${absolute})`;
  }
  if (kind === 'directory' && !stat.isDirectory()) return `"${written}" is not a directory (${absolute})`;
  if (kind === 'file' && !stat.isFile()) return `"${written}" is not a file (${absolute})`;
  return undefined;
}

/** The stage names a Dockerfile declares (`FROM image AS name`), lowercased as BuildKit compares them. */
export function dockerfileStages(absolute: string): string[] {
  let text;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    return [];
  }
  const stages: string[] = [];
  for (const m of text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$/gim)) stages.push(m[1]!.toLowerCase());
  return stages;
}
