// Bundles the action and the CLI into dist/. The output must be byte-for-byte reproducible: CI rebuilds it and
// fails on any difference, so nothing here may depend on time, paths outside the repo or the machine.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Splitting keeps the Kubernetes and GAR clients in chunks that load only when a command needs them,
  // which is what keeps `rollgate --help` fast.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __ROLLGATE_VERSION__: JSON.stringify(version) },
  // Some bundled CommonJS dependencies call require() for Node built-ins, and google-gax reads __dirname when it
  // loads; ESM has neither of its own.
  banner: {
    js:
      "import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; " +
      'const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); ' +
      "const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));",
  },
});
