// CLI and action startup against bare node, and the bundle sizes behind them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNumber, type Bench } from './context.ts';
import { median, ms, p95, ratio, verdict } from './report.ts';

/** Wall time of each of `runs` runs of argv, after two warm-up runs (the file cache, not rollgate, decides those). */
function timeCommand(argv: string[], runs: number, env: NodeJS.ProcessEnv = process.env): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const took = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw r.error;
    if (i >= 2) out.push(took);
  }
  return out;
}

function dirSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

export const startup: Bench = {
  name: 'startup',
  async run(ctx) {
    // Cheap and noisy: more samples than the sandbox benches.
    const runs = envNumber('BENCH_STARTUP_RUNS', 15);
    const node = process.execPath;
    const bare = timeCommand([node, '-e', '0'], runs);
    const help = timeCommand([node, join(ctx.root, 'dist/cli.js'), '--help'], runs);
    const scratch = mkdtempSync(join(tmpdir(), 'rollgate-bench-'));
    // The action entry to its first output: an input error is the quickest path through inputs, parse and report.
    const action = timeCommand([node, join(ctx.root, 'dist/index.js')], runs, {
      PATH: process.env.PATH,
      INPUT_COMMAND: 'validate',
      INPUT_CONFIG: join(scratch, 'missing.yml'),
      GITHUB_OUTPUT: join(scratch, 'out'),
      GITHUB_STATE: join(scratch, 'state'),
      GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
    });
    rmSync(scratch, { recursive: true, force: true });
    const sizes = { cli: statSync(join(ctx.root, 'dist/cli.js')).size, index: statSync(join(ctx.root, 'dist/index.js')).size, all: dirSize(join(ctx.root, 'dist')) };
    ctx.table(`Startup, to exit (Node ${process.version}, ${runs} runs)`, ['what', 'median', 'p95', 'vs node -e 0', 'target'], [
      ['node -e 0 (baseline)', ms(median(bare)), ms(p95(bare)), '1.00x', ''],
      ['rollgate --help (dist/cli.js)', ms(median(help)), ms(p95(help)), ratio(median(help), median(bare)), `<= 150 ms: ${verdict(median(help), 150, ms)}`],
      ['action entry, input error (dist/index.js)', ms(median(action)), ms(p95(action)), ratio(median(action), median(bare)), ''],
    ]);
    ctx.table('Bundle size', ['file', 'bytes'], [
      ['dist/cli.js (loaded for --help)', sizes.cli],
      ['dist/index.js (action entry)', sizes.index],
      ['dist/ in all (chunks load per command)', sizes.all],
    ]);
    return { runs, nodeMs: median(bare), helpMs: median(help), helpP95Ms: p95(help), actionMs: median(action), bundleBytes: sizes };
  },
};
