// Target tag moves and reverts against `skopeo copy` of the same image, on a registry of their own with a counting
// proxy in front: rollgate's requests do not grow with the image.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import { pushImage } from '../registry/images.ts';
import { startFaultProxy } from '../sandbox/fault-proxy.ts';
import { startRegistry } from '../sandbox/registry.ts';
import type { Bench } from './context.ts';
import { median, ms, ratio, type Row } from './report.ts';

export const tags: Bench = {
  name: 'tags',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'rollgate-bench-registry-'));
    const registry = await startRegistry({ dir });
    const proxy = await startFaultProxy(registry.url);
    const rows: Row[] = [];
    const figures: Record<string, unknown> = {};
    const runs = Math.max(3, ctx.runs);
    try {
      for (const [label, bytes] of [['10 MB', 10 << 20], ['200 MB', 200 << 20]] as const) {
        ctx.progress(`tags: ${label} image`);
        const repo = `bench/move-${bytes}`;
        const v1 = await pushImage(registry.host, repo, 'v1', bytes);
        await pushImage(registry.host, repo, 'v2', 1024);
        const ours: number[] = [];
        const oursRequests: number[] = [];
        const revertRequests: number[] = [];
        const coldRevertRequests: number[] = [];
        const skopeo: number[] = [];
        const skopeoRequests: number[] = [];
        for (let i = 0; i < runs; i++) {
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
          // The same revert from another process (a post step, a later job).
          await client.moveTag(repository, 'dev', v1.digest);
          proxy.reset();
          // As the post step does: a new client, given the previous manifest the run saved in its restore state.
          const later = new OciRegistry({});
          later.rememberManifest(repository, previous);
          await later.revertTag(repository, 'dev', v1.digest, previous.digest);
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
        rows.push([`revert from a new process (saved state), ${label}`, '', median(coldRevertRequests), '', '', '']);
        figures[label] = { moveMs: median(ours), moveRequests: median(oursRequests), revertRequests: median(revertRequests), coldRevertRequests: median(coldRevertRequests), skopeoMs: median(skopeo), skopeoRequests: median(skopeoRequests) };
      }
    } finally {
      await proxy.close();
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    ctx.table(
      `Target tag move: rollgate vs \`skopeo copy\` of the same image (real registry, requests counted by a proxy, median of ${runs})`,
      ['operation', 'rollgate', 'requests', 'skopeo', 'requests', 'time ratio'],
      rows,
      ['target: a tag move or revert is <= 3 registry requests, whatever the image size'],
    );
    return { runs, ...figures };
  },
};
