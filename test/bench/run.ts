// npm run bench [-- --only NAME[,NAME]]: rollgate's performance figures, each side by side with its baseline
// measured in the same run, printed as tables and written to bench-results/latest.json (and the tables as
// Markdown to bench-results/latest.md, for docs/bench.md). Medians and p95 over repeated runs (BENCH_RUNS).
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { envNumber, type Bench, type BenchContext } from './context.ts';
import { table } from './report.ts';
import { requests } from './requests.ts';
import { safe } from './safe.ts';
import { startBenchSandbox, type BenchSandbox } from './sandbox.ts';
import { apply } from './apply.ts';
import { deploy } from './deploy.ts';
import { detection } from './detection.ts';
import { startup } from './startup.ts';
import { tags } from './tags.ts';

const BENCHES: Bench[] = [startup, tags, detection, apply, requests, safe, deploy];

function selected(argv: string[]): Bench[] {
  const i = argv.indexOf('--only');
  if (i < 0) return BENCHES;
  const names = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes bench names separated by commas (${BENCHES.map((b) => b.name).join(', ')}); got ${JSON.stringify(argv[i + 1] ?? '')}`);
  }
  return BENCHES.filter((b) => names.includes(b.name));
}

const root = resolve(import.meta.dirname, '../..');
const benches = selected(process.argv.slice(2));
const markdown: string[] = [];
let sandbox: Promise<BenchSandbox> | undefined;
const ctx: BenchContext = {
  root,
  runs: envNumber('BENCH_RUNS', 3),
  sandbox: () => (sandbox ??= startBenchSandbox()),
  table: (title, header, rows, notes) => void markdown.push(table(title, header, rows, notes)),
  progress: (message) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`),
};

const started = Date.now();
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryBytes: totalmem(), loadAverageAtStart: loadavg() },
  runs: ctx.runs,
};
try {
  for (const bench of benches) {
    ctx.progress(`${bench.name}: start`);
    results[bench.name] = await bench.run(ctx);
  }
} finally {
  if (sandbox) await (await sandbox).stop();
}
results.totalSeconds = Math.round((Date.now() - started) / 1000);
// Colleagues share the machine: the load says how quiet it was.
results.loadAverageAtEnd = loadavg();

// latest.* is what docs/bench.md is made from; the dated copy stays, so runs can be compared over time.
const dated = `bench-results/${String(results.date).replace(/[:.]/g, '-')}.json`;
mkdirSync(join(root, 'bench-results'), { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(join(root, 'bench-results/latest.json'), json);
writeFileSync(join(root, dated), json);
writeFileSync(join(root, 'bench-results/latest.md'), `${markdown.join('\n\n')}\n`);
console.log(`\nwritten: bench-results/latest.json (and ${dated}), bench-results/latest.md (${results.totalSeconds} s)`);
