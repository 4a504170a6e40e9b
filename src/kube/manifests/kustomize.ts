// Kustomize folders are rendered by kubectl's built-in kustomize, the same one `kubectl apply -k` uses, so what
// rollgate applies is what a person gets with kubectl on the same folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The names kustomize recognises, in the order it looks for them. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of `dir`, or undefined when it is a plain folder. */
export function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((file) => existsSync(file));
}

/** The rendered YAML, or why it could not be rendered (kustomize's own message, last line first). */
export function renderKustomization(dir: string, kubectl = 'kubectl'): Promise<{ yaml: string } | { problem: string }> {
  return new Promise((resolve) => {
    execFile(kubectl, ['kustomize', dir], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ yaml: stdout });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return resolve({ problem: `kubectl renders kustomize folders, and "${kubectl}" was not found on PATH` });
      }
      resolve({ problem: `kubectl kustomize failed: ${kustomizeMessage(stderr) ?? error.message}` });
    });
  });
}

/** kubectl logs the failure through klog: `E1122 ... run.go:72] "command failed" err="..."`; keep the err text. */
export function kustomizeMessage(stderr: string): string | undefined {
  const last = stderr.trim().split('\n').filter(Boolean).at(-1);
  if (last === undefined) return undefined;
  const quoted = /\berr=("(?:[^"\\]|\\.)*")/.exec(last)?.[1];
  if (quoted !== undefined) {
    try {
      return JSON.parse(quoted) as string;
    } catch {
      // not JSON-quoted after all: fall through to the line as written
    }
  }
  return last.replace(/^error: /, '');
}
