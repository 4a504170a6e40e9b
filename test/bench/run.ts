// npm run bench: rollgate's performance figures, each side by side with its baseline measured in the same run,
// printed as tables and written to bench-results/latest.json. Medians (and p95 where it matters) over repeated
// runs. This grows with the project; today: CLI startup and bundle size, and tag moves against skopeo.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRegistry } from '../sandbox/registry.ts';
import { startFaultProxy } from '../sandbox/fault-proxy.ts';
import { pushImage } from '../registry/images.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

function table(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  console.log(`\n${title}`);
  for (const [i, r] of cells.entries()) {
    console.log(`  ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
}

function timeCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): number[] {
  const out: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const took = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw r.error;
    if (i >= 2) out.push(took); // two warm-up runs: the file cache, not rollgate, decides those
  }
  return out;
}

function dirSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, runs: RUNS };

// --- Startup -------------------------------------------------------------------------------------------------
{
  const node = process.execPath;
  const bare = timeCommand([node, '-e', '0']);
  const help = timeCommand([node, join(ROOT, 'dist/cli.js'), '--help']);
  const scratch = mkdtempSync(join(tmpdir(), 'rollgate-bench-'));
  // The action entry to its first output: an input error is the quickest path through inputs, parse and report.
  const action = timeCommand([node, join(ROOT, 'dist/index.js')], {
    PATH: process.env.PATH,
    INPUT_COMMAND: 'validate',
    INPUT_CONFIG: join(scratch, 'missing.yml'),
    GITHUB_OUTPUT: join(scratch, 'out'),
    GITHUB_STATE: join(scratch, 'state'),
    GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
  });
  rmSync(scratch, { recursive: true, force: true });
  const sizes = { cli: statSync(join(ROOT, 'dist/cli.js')).size, index: statSync(join(ROOT, 'dist/index.js')).size, all: dirSize(join(ROOT, 'dist')) };
  table('Startup, to exit (Node ' + process.version + ', median of ' + RUNS + ')', ['what', 'median', 'p95', 'vs node -e 0', 'target'], [
    ['node -e 0 (baseline)', ms(median(bare)), ms(quantile(bare, 0.95)), '1.00x', ''],
    ['rollgate --help (dist/cli.js)', ms(median(help)), ms(quantile(help, 0.95)), ratio(median(help), median(bare)), '<= 150 ms'],
    ['action entry, input error (dist/index.js)', ms(median(action)), ms(quantile(action, 0.95)), ratio(median(action), median(bare)), ''],
  ]);
  table('Bundle size', ['file', 'bytes'], [
    ['dist/cli.js (loaded for --help)', sizes.cli],
    ['dist/index.js (action entry)', sizes.index],
    ['dist/ in all (chunks load per command)', sizes.all],
  ]);
  results.startup = { nodeMs: median(bare), helpMs: median(help), helpP95Ms: quantile(help, 0.95), actionMs: median(action), bundleBytes: sizes };
}

// --- Tag moves -----------------------------------------------------------------------------------------------
{
  const dir = mkdtempSync(join(tmpdir(), 'rollgate-bench-registry-'));
  const registry = await startRegistry({ dir });
  const proxy = await startFaultProxy(registry.url);
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = {};
  try {
    for (const [label, bytes] of [['10 MB', 10 << 20], ['200 MB', 200 << 20]] as const) {
      const repo = `bench/move-${bytes}`;
      const v1 = await pushImage(registry.host, repo, 'v1', bytes);
      await pushImage(registry.host, repo, 'v2', 1024);
      const ours: number[] = [];
      const oursRequests: number[] = [];
      const revertRequests: number[] = [];
      const coldRevertRequests: number[] = [];
      const skopeo: number[] = [];
      const skopeoRequests: number[] = [];
      for (let i = 0; i < Math.max(3, Math.floor(RUNS / 3)); i++) {
        // A fresh client each time, as in a new CI job. It records the target tag's previous manifest the way the
        // deploy does (one GET by tag, which keeps the bytes), moves the tag, then reverts by compare-and-swap.
        const client = new OciRegistry({});
        const repository = `${proxy.host}/${repo}`;
        await client.moveTag(repository, 'dev', (await client.resolve(repository, 'v2'))!.digest);
        const previous = await client.getManifest(repository, 'dev');
        proxy.reset();
        let start = performance.now();
        await client.moveTag(repository, 'dev', v1.digest);
        ours.push(performance.now() - start);
        oursRequests.push(proxy.count());
        proxy.reset();
        await client.revertTag(repository, 'dev', v1.digest, previous.digest);
        revertRequests.push(proxy.count());
        // The same revert from a process that never read the previous manifest (a post step, a later job).
        await client.moveTag(repository, 'dev', v1.digest);
        proxy.reset();
        await new OciRegistry({}).revertTag(repository, 'dev', v1.digest, previous.digest);
        coldRevertRequests.push(proxy.count());

        proxy.reset();
        start = performance.now();
        // Async: the counting proxy runs in this process, and a sync child would block the event loop serving it.
        await promisify(execFile)('skopeo', ['copy', '-q', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${repository}:v1`, `docker://${repository}:dev`]);
        skopeo.push(performance.now() - start);
        skopeoRequests.push(proxy.count());
      }
      rows.push([`move, ${label} image`, ms(median(ours)), median(oursRequests), ms(median(skopeo)), median(skopeoRequests), ratio(median(ours), median(skopeo))]);
      rows.push([`revert (compare-and-swap), ${label}`, '', median(revertRequests), '', '', '']);
      rows.push([`revert from a new process, ${label}`, '', median(coldRevertRequests), '', '', '']);
      figures[label] = { moveMs: median(ours), moveRequests: median(oursRequests), revertRequests: median(revertRequests), coldRevertRequests: median(coldRevertRequests), skopeoMs: median(skopeo), skopeoRequests: median(skopeoRequests) };
    }
  } finally {
    await proxy.close();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  table('Target tag move: rollgate vs `skopeo copy` of the same image (real registry, requests counted by a proxy)', ['operation', 'rollgate', 'requests', 'skopeo', 'requests', 'time ratio'], rows);
  results.tagMoves = figures;
}

mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(join(ROOT, 'bench-results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench-results/latest.json');
