// Kustomize folders are rendered by kubectl's built-in kustomize, the same one `kubectl apply -k` uses, so what
// rollgate applies is what a person gets with kubectl on the same folder.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { childPath } from '../../config/yaml-paths.ts';

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
  // A multi-line error is a block: `err=<` then the lines, tab-indented, then ` >`.
  const block = /\berr=<\n([\s\S]*?)\n\s*>\s*$/.exec(stderr.trimEnd());
  if (block) return block[1]!.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
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

/**
 * Where in the kustomization a failure points: the key or the entry its message quotes (`unknown field
 * "resourcez"`, `accumulating resources from '../nowhere'`, `path(p.yaml)`); line 1 when none is found.
 */
export function kustomizePlace(file: string, message: string): { line: number; field?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { line: 1 };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const quoted = [...message.matchAll(/'([^'\s]+)'|"([^"\s]+)"|\bpath\(([^)\s]+)\)|\bfield [\w.]*?(\w+) /g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
  for (const token of quoted) {
    const found = find(doc.contents as Node | null, token, '');
    if (found) return { line: lines.linePos(found.offset).line, ...(found.field ? { field: found.field } : {}) };
  }
  return { line: 1 };
}

/** The first key or scalar entry equal to `token`, depth first. */
function find(node: Node | null | undefined, token: string, path: string): { offset: number; field: string } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key)) continue;
      const child = childPath(path, String(key.value));
      if (String(key.value) === token && key.range) return { offset: key.range[0], field: child };
      const inner = find(pair.value as Node | null, token, child);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const inner = find(item as Node | null, token, childPath(path, i));
      if (inner) return inner;
    }
  } else if (isScalar(node) && String(node.value) === token && node.range) {
    return { offset: node.range[0], field: path };
  }
  return undefined;
}
