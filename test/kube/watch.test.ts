// The resume logic of watches, against a scripted source: which resourceVersion each reconnect asks for, what a
// relist replays, and when the watch gives up.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../src/kube/cluster.ts';
import { startWatch, type WatchSource } from '../../src/kube/watch.ts';
import { silentLogger } from '../../src/log.ts';

const cm = (name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'demo', resourceVersion: rv } });

/** A stream the test writes watch lines into; `end()` closes it cleanly, `drop()` breaks it. */
function stream(status = 200) {
  const body = new PassThrough() as PassThrough & { statusCode: number };
  body.statusCode = status;
  return {
    res: body as unknown as IncomingMessage,
    send: (type: string, object: unknown) => body.write(`${JSON.stringify({ type, object })}\n`),
    end: () => body.end(),
    drop: () => body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })),
  };
}

type Scripted = ReturnType<typeof stream> | Error;

function source(script: Scripted[], lists: Array<{ items: KubeObject[]; resourceVersion: string }> = []) {
  const opened: string[] = [];
  const waiting: Array<() => void> = [];
  const src: WatchSource = {
    description: 'ConfigMap in demo',
    async open(rv) {
      opened.push(rv);
      waiting.splice(0).forEach((w) => w());
      const next = script.shift();
      if (!next) return new Promise<IncomingMessage>(() => {});
      if (next instanceof Error) throw next;
      return next.res;
    },
    async list() {
      const next = lists.shift();
      if (!next) throw new Error('unexpected relist');
      return next;
    },
    async failure(res) {
      const status = res.statusCode ?? 0;
      return { error: new Error(`watch failed: ${status}`), status, transient: status >= 500 };
    },
    isTransient: (err) => (err as { code?: string }).code === 'ECONNRESET',
    delay: () => 1,
    maxAttempts: 3,
    logger: silentLogger,
  };
  /** Resolves once `open` has been called n times. */
  const opens = (n: number) => new Promise<void>((resolve) => {
    const check = () => (opened.length >= n ? resolve() : waiting.push(check));
    check();
  });
  return { src, opened, opens };
}

function recorder() {
  const seen: string[] = [];
  const errors: Error[] = [];
  return {
    seen,
    errors,
    onEvent: (e: WatchEvent) => seen.push(`${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`),
    onError: (e: Error) => errors.push(e),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('startWatch', () => {
  it('reopens after a drop from the last resourceVersion seen, bookmarks included', async () => {
    const first = stream();
    const second = stream();
    const { src, opened, opens } = source([first, second]);
    const r = recorder();
    const watch = await startWatch(src, '10', r.onEvent, r.onError);
    first.send('ADDED', cm('a', '11'));
    first.send('BOOKMARK', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '15' } });
    first.drop();
    await opens(2);
    second.send('MODIFIED', cm('a', '16'));
    await tick();
    watch.stop();
    expect(opened).toEqual(['10', '15']);
    expect(r.seen).toEqual(['ADDED a@11', 'MODIFIED a@16']);
    expect(r.errors).toEqual([]);
  });

  it('starts from a list when no resourceVersion is given, and a 410 in the stream relists and replays the difference', async () => {
    const first = stream();
    const second = stream();
    const { src, opened, opens } = source([first, second], [
      { items: [cm('a', '1'), cm('b', '2')], resourceVersion: '5' },
      // While away: a changed, b deleted, c created.
      { items: [cm('a', '7'), cm('c', '8')], resourceVersion: '9' },
    ]);
    const r = recorder();
    const watch = await startWatch(src, undefined, r.onEvent, r.onError);
    first.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5 (8)' });
    await opens(2);
    watch.stop();
    expect(opened).toEqual(['5', '9']);
    expect(r.seen).toEqual(['ADDED a@1', 'ADDED b@2', 'MODIFIED a@7', 'ADDED c@8', 'DELETED b@2']);
  });

  it('a 410 answer to the reopen relists too', async () => {
    const first = stream();
    const { src, opened, opens } = source([first, stream(410), stream()], [{ items: [cm('a', '20')], resourceVersion: '21' }]);
    const r = recorder();
    const watch = await startWatch(src, '3', r.onEvent, r.onError);
    first.end();
    await opens(3);
    watch.stop();
    expect(opened).toEqual(['3', '3', '21']);
    expect(r.seen).toEqual(['ADDED a@20']);
  });

  it('retries transient failures to reopen, then gives up through onError once', async () => {
    const first = stream();
    const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { src } = source([first, reset(), reset(), reset(), stream()]);
    const r = recorder();
    await startWatch(src, '1', r.onEvent, r.onError);
    first.drop();
    await new Promise<void>((resolve) => {
      const poll = () => (r.errors.length ? resolve() : setTimeout(poll, 2));
      poll();
    });
    await tick();
    expect(r.errors.map((e) => e.message)).toEqual(['socket hang up']);
  });

  it('a refusal that is not transient ends the watch at once', async () => {
    const first = stream();
    const { src, opened } = source([first, stream(403), stream()]);
    const r = recorder();
    await startWatch(src, '1', r.onEvent, r.onError);
    first.end();
    await new Promise<void>((resolve) => {
      const poll = () => (r.errors.length ? resolve() : setTimeout(poll, 2));
      poll();
    });
    await tick();
    expect(r.errors.map((e) => e.message)).toEqual(['watch failed: 403']);
    expect(opened).toHaveLength(2);
  });

  it('delivers nothing after stop()', async () => {
    const first = stream();
    const { src } = source([first]);
    const r = recorder();
    const watch = await startWatch(src, '1', r.onEvent, r.onError);
    first.send('ADDED', cm('a', '2'));
    await tick();
    watch.stop();
    first.send('ADDED', cm('b', '3'));
    await tick();
    expect(r.seen).toEqual(['ADDED a@2']);
    expect(r.errors).toEqual([]);
  });

  it('the first open refused rejects the start', async () => {
    const { src } = source([stream(404)]);
    const r = recorder();
    await expect(startWatch(src, '1', r.onEvent, r.onError)).rejects.toThrow('watch failed: 404');
  });

  it('the first open dropped (socket hang up, a 503) is retried like a reopen; past the attempts it rejects the start', async () => {
    const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const good = stream();
    const { src, opened } = source([reset(), stream(503), good]);
    const r = recorder();
    await startWatch(src, '7', r.onEvent, r.onError);
    expect(opened).toEqual(['7', '7', '7']);
    good.send('ADDED', cm('a', '8'));
    await tick();
    expect(r.seen).toEqual(['ADDED a@8']);
    expect(r.errors).toEqual([]);

    const { src: dead } = source([reset(), reset(), reset(), stream()]);
    await expect(startWatch(dead, '7', r.onEvent, r.onError)).rejects.toThrow('socket hang up');
  });
});
