// Where the kubeconfig comes from, which context is used, and the guard that runs before any write: pure
// resolution first, then connectCluster against the emulator.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseActionInputs } from '../../src/config/inputs.ts';
import { BlockedError, InputError } from '../../src/errors.ts';
import { connectCluster } from '../../src/kube/client.ts';
import { chooseContext, existingKubeconfigs, kubeconfigPaths, writeKubeconfigContents } from '../../src/kube/kubeconfig.ts';
import { FAST_RETRY, useSandboxApi } from './sandbox-api.ts';

const sandbox = useSandboxApi();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(inject('sandboxDir'), 'kubeconfigs-'));
});

/** A kubeconfig for the emulator; `contexts` maps context name -> server (the emulator's unless given). */
function kubeconfig(options: { contexts: Record<string, string | undefined>; current?: string; user?: Record<string, unknown> }): string {
  const names = Object.keys(options.contexts);
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: names.map((n) => ({
      name: `cluster-${n}`,
      cluster: { server: options.contexts[n] ?? sandbox.api.url, 'certificate-authority-data': Buffer.from(sandbox.api.ca).toString('base64') },
    })),
    users: [{ name: 'ci', user: options.user ?? { token: sandbox.api.token } }],
    contexts: names.map((n) => ({ name: n, context: { cluster: `cluster-${n}`, user: 'ci' } })),
    ...(options.current ? { 'current-context': options.current } : {}),
  });
}

function file(name: string, contents: string): string {
  const path = join(dir, name);
  writeFileSync(path, contents, { mode: 0o600 });
  return path;
}

describe('kubeconfig resolution', () => {
  it.each([
    ['--kubeconfig wins over KUBECONFIG', { path: 'given.yaml', env: { KUBECONFIG: '/a:/b' } }, ['given.yaml']],
    ['every file of KUBECONFIG, in order', { env: { KUBECONFIG: '/a::/b' } }, ['/a', '/b']],
    ['~/.kube/config otherwise', { env: {}, home: '/home/ci' }, ['/home/ci/.kube/config']],
  ])('%s', (_, sources, expected) => {
    expect(kubeconfigPaths(sources).map((p) => (p.endsWith('given.yaml') ? 'given.yaml' : p))).toEqual(expected);
  });

  it('skips KUBECONFIG entries that do not exist, as kubectl does, but an explicit path must exist', () => {
    const real = file('exists.yaml', kubeconfig({ contexts: { a: undefined } }));
    expect(existingKubeconfigs({ env: { KUBECONFIG: `${join(dir, 'missing')}:${real}` } })).toEqual([real]);
    expect(() => existingKubeconfigs({ path: join(dir, 'missing') })).toThrow(InputError);
    expect(() => existingKubeconfigs({ env: {}, home: join(dir, 'nohome') })).toThrow(/no kubeconfig found \(the default location: .*nohome\/\.kube\/config\)/);
  });

  it.each([
    ['the context asked for', { requested: 'a', environment: 'b', current: 'c' }, 'a'],
    ["the environment's", { environment: 'b', current: 'c' }, 'b'],
    ['current-context last', { current: 'c' }, 'c'],
  ])('uses %s', (_, choice, expected) => {
    expect(chooseContext(choice)).toBe(expected);
  });
});

describe('kubeconfig given as contents', () => {
  it('is written 0600 in a private folder under RUNNER_TEMP and removed by dispose()', async () => {
    const runnerTemp = mkdtempSync(join(dir, 'runner-temp-'));
    const workspace = mkdtempSync(join(dir, 'workspace-'));
    const written = await writeKubeconfigContents('apiVersion: v1\n', { RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: workspace });
    expect(written.path.startsWith(`${runnerTemp}/`)).toBe(true);
    expect(statSync(written.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(written.path, '..')).mode & 0o777).toBe(0o700);
    expect(readdirSync(workspace)).toEqual([]);
    await written.dispose();
    expect(readdirSync(runnerTemp)).toEqual([]);
    await written.dispose();
  });

  it('refuses a temp folder inside the workspace, and empty contents', async () => {
    const workspace = mkdtempSync(join(dir, 'workspace-'));
    mkdirSync(join(workspace, 'tmp'));
    await expect(writeKubeconfigContents('x: 1', { RUNNER_TEMP: join(workspace, 'tmp'), GITHUB_WORKSPACE: workspace })).rejects.toThrow(
      /is inside the workspace/,
    );
    await expect(writeKubeconfigContents('  \n', {})).rejects.toThrow('kubeconfig: the kubeconfig contents are empty');
  });

  it('connects through it, and close() removes it', async () => {
    const runnerTemp = mkdtempSync(join(dir, 'runner-temp-'));
    const cluster = await connectCluster({ kubeconfigContents: kubeconfig({ contexts: { ci: undefined }, current: 'ci' }), env: { RUNNER_TEMP: runnerTemp } });
    const [folder] = readdirSync(runnerTemp);
    expect(statSync(join(runnerTemp, folder!, 'kubeconfig')).mode & 0o777).toBe(0o600);
    expect((await cluster.request('/version')).status).toBe(200);
    await cluster.close();
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  it('comes from the action input kubeconfig-contents, which excludes the path input', () => {
    expect(parseActionInputs({ command: 'status', env: 'dev', 'kubeconfig-contents': 'apiVersion: v1' }).kubeconfigContents).toBe('apiVersion: v1');
    expect(() => parseActionInputs({ command: 'status', env: 'dev', kubeconfig: 'k', 'kubeconfig-contents': 'apiVersion: v1' })).toThrow(
      'with.kubeconfig-contents: give the kubeconfig as a path (kubeconfig) or as contents (kubeconfig-contents), not both',
    );
  });

  it('is removed when connecting fails too', async () => {
    const runnerTemp = mkdtempSync(join(dir, 'runner-temp-'));
    await expect(connectCluster({ kubeconfigContents: kubeconfig({ contexts: { ci: undefined } }), context: 'nope', env: { RUNNER_TEMP: runnerTemp } })).rejects.toThrow(
      'kubeconfig context "nope" is not in the kubeconfig given as contents (contexts: ci)',
    );
    expect(readdirSync(runnerTemp)).toEqual([]);
  });
});

describe('connectCluster', () => {
  it("merges KUBECONFIG files as kubectl does: the first file's current-context and names win", async () => {
    const first = file('first.yaml', kubeconfig({ contexts: { dev: undefined }, current: 'dev' }));
    // Same context name pointing elsewhere, plus a context only this file has, and its own current-context.
    const second = file('second.yaml', kubeconfig({ contexts: { dev: 'https://127.0.0.1:9', stg: undefined }, current: 'stg' }));
    const cluster = await connectCluster({ env: { KUBECONFIG: `${first}:${second}` }, retry: FAST_RETRY });
    expect([cluster.context, cluster.server]).toEqual(['dev', sandbox.api.url]);
    await cluster.close();
    const stg = await connectCluster({ env: { KUBECONFIG: `${first}:${second}` }, context: 'stg', retry: FAST_RETRY });
    await expect(stg.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).resolves.toMatchObject({ metadata: { name: 'default' } });
    await stg.close();
  });

  it("uses the environment's context when none is asked for", async () => {
    const path = file('two.yaml', kubeconfig({ contexts: { dev: undefined, prd: undefined }, current: 'dev' }));
    const cluster = await connectCluster({ kubeconfig: path, environment: { name: 'prd', kubeContext: 'prd' } });
    expect(cluster.context).toBe('prd');
    await cluster.close();
  });

  it('gets its token from an exec credential plugin', async () => {
    const plugin = join(dir, 'fake-auth-plugin');
    const credential = { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: sandbox.api.token } };
    writeFileSync(plugin, `#!/bin/sh\necho '${JSON.stringify(credential)}'\n`);
    chmodSync(plugin, 0o700);
    const user = { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, args: [], interactiveMode: 'Never' } };
    const cluster = await connectCluster({ kubeconfig: file('exec.yaml', kubeconfig({ contexts: { gke: undefined }, current: 'gke', user })) });
    await expect(cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).resolves.toBeDefined();
    await cluster.close();
  });

  it.each([
    ['a context other than the environment pins', { context: 'dev', environment: { name: 'prd', kubeContext: 'prd' } }, /context "prd", but the context in use is "dev"/],
    ['an API server other than the environment pins', { context: 'dev', environment: { name: 'prd', apiServer: 'https://35.9.9.9' } }, /expects API server https:\/\/35\.9\.9\.9, but context "dev" points at https:\/\/127\.0\.0\.1:\d+/],
    ['a context the kubeconfig lacks', { environment: { name: 'stg', kubeContext: 'stg' } }, /kubeconfig context "stg" is not in .*two-guard\.yaml \(contexts: dev, prd\)/],
  ])('refuses %s before any write (BlockedError, zero writes)', async (_, options, message) => {
    const path = file('two-guard.yaml', kubeconfig({ contexts: { dev: undefined, prd: undefined }, current: 'dev' }));
    sandbox.api.faults.resetCounters();
    const err = await connectCluster({ kubeconfig: path, ...options }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedError);
    expect((err as Error).message).toMatch(message);
    expect(sandbox.api.faults.writeCount()).toBe(0);
  });

  it('passes the guard when the pinned server is the same URL written differently', async () => {
    const path = file('guard-ok.yaml', kubeconfig({ contexts: { dev: undefined }, current: 'dev' }));
    const cluster = await connectCluster({ kubeconfig: path, environment: { name: 'dev', kubeContext: 'dev', apiServer: `${sandbox.api.url.toUpperCase()}/` } });
    expect(cluster.context).toBe('dev');
    await cluster.close();
  });

  it('names a kubeconfig that does not parse', async () => {
    const path = file('broken.yaml', 'clusters: [ {name: x, cluster: {server: 1}} ]\ncontexts: 7\n');
    await expect(connectCluster({ kubeconfig: path })).rejects.toBeInstanceOf(InputError);
  });
});
