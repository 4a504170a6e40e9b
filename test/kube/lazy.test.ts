// The CLI loads @kubernetes/client-node only when a command needs the cluster: importing the kube modules must
// not pull it in; connectCluster does.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Imports `modules` in a fresh node and says whether client-node was resolved; `then` runs after the imports. */
function loadsClientNode(modules: string[], then = ''): boolean {
  const script = `
    import { registerHooks } from 'node:module';
    let loaded = false;
    registerHooks({ resolve(specifier, context, next) { if (specifier.startsWith('@kubernetes/client-node')) loaded = true; return next(specifier, context); } });
    const mods = [];
    for (const m of ${JSON.stringify(modules)}) mods.push(await import(m));
    ${then}
    process.stdout.write(String(loaded));
  `;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }) === 'true';
}

describe('loading', () => {
  it('importing client, kubeconfig, guard and lock does not load client-node', () => {
    const modules = ['client', 'kubeconfig', 'guard', 'lock'].map((m) => `${root}/src/kube/${m}.ts`);
    expect(loadsClientNode(modules)).toBe(false);
  });

  it('connectCluster does (the control)', () => {
    const then = `try { await mods[0].connectCluster({ kubeconfig: '/nonexistent' }); } catch {}`;
    expect(loadsClientNode([`${root}/src/kube/client.ts`], then)).toBe(true);
  });
});
