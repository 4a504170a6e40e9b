// The GAR adapter after esbuild: the client library and gax read proto JSON and their own package.json, and gax
// touches __dirname while loading, all of which must survive bundling into ESM chunks. The bundle runs in a
// separate node process, from a folder with no node_modules in reach.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pushTinyImage, startGarEmulator, type GarEmulator } from '../sandbox/gar-emulator.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TOKEN = 'bundle-token';
const registryHost = inject('registryHost');

// The chunk of the committed dist/ that holds the adapter, once a command uses it.
const distChunks = join(ROOT, 'dist/chunks');
const distChunk = existsSync(distChunks)
  ? readdirSync(distChunks)
      .map((f) => join(distChunks, f))
      .find((f) => f.endsWith('.js') && /export\s*\{[^}]*\bcreateGarRegistry\b/.test(readFileSync(f, 'utf8')))
  : undefined;

let emulator: GarEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startGarEmulator({ registryHost, accessToken: TOKEN, repositories: [{ project: 'acme', location: 'us', repository: 'apps' }] });
  dir = mkdtempSync(join(tmpdir(), 'rollgate-gar-bundle-'));
  // The settings scripts/build.mjs bundles with (format, splitting, banner), around an entry that is just the adapter.
  const banner = readFileSync(join(ROOT, 'scripts/build.mjs'), 'utf8');
  await build({
    stdin: { contents: "export { createGarRegistry } from './src/registry/gar.ts';", resolveDir: ROOT, loader: 'ts' },
    outdir: dir,
    entryNames: 'gar',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minifySyntax: true,
    logLevel: 'error',
    banner: { js: bannerOf(banner) },
  });
  writeFileSync(
    join(dir, 'run.mjs'),
    `const { createGarRegistry } = await import(process.argv[2]);
const oci = { resolve: async () => undefined };
const logger = { debug() {}, info() {}, warn() {}, error: console.error };
const gar = createGarRegistry({ settings: { apiEndpoint: process.env.API }, logger, oci, env: process.env });
await gar.moveTag(process.env.REPO, process.env.TAG, process.env.DIGEST);
console.log(JSON.stringify(await gar.listTags(process.env.REPO)));
`,
  );
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The banner string scripts/build.mjs gives esbuild, evaluated from its source so the two cannot drift. */
function bannerOf(source: string): string {
  const expr = /banner:\s*\{\s*js:\s*([\s\S]*?),?\s*\},\s*\n/.exec(source)?.[1];
  if (!expr) throw new Error('scripts/build.mjs no longer has a banner this test can read');
  return new Function(`return (${expr});`)() as string;
}

async function moveWithBundle(module: string, tag: string) {
  const image = `bundled-${tag}`;
  const digest = await pushTinyImage(registryHost, `acme/apps/${image}`, 'v1', `${image}-${Date.now()}`);
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'run.mjs'), module], {
    cwd: dir,
    env: { PATH: process.env.PATH, API: emulator.url, REPO: `us-docker.pkg.dev/acme/apps/${image}`, TAG: tag, DIGEST: digest, CLOUDSDK_AUTH_ACCESS_TOKEN: TOKEN },
  });
  const head = await fetch(`http://${registryHost}/v2/acme/apps/${image}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  return { tags: JSON.parse(stdout) as string[], registryDigest: head.headers.get('docker-content-digest'), digest };
}

describe('GAR adapter, bundled', () => {
  it('moves a tag through the emulator from an esbuild bundle', async () => {
    const result = await moveWithBundle(join(dir, 'gar.js'), 'dev');
    expect(result.tags.sort()).toEqual(['dev', 'v1']);
    expect(result.registryDigest).toBe(result.digest);
  });

  it.skipIf(!distChunk)('moves a tag from the committed dist/ chunk', async () => {
    const result = await moveWithBundle(distChunk!, 'stg');
    expect(result.tags.sort()).toEqual(['stg', 'v1']);
  });
});
