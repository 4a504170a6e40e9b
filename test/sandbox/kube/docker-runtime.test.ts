import { get } from 'node:http';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DockerError, DockerRuntime, splitReference } from './docker-runtime.ts';
import { connectToPod, podAgent, startPodSandbox, type PodSandbox } from './netns.ts';

const runId = `rt-${process.pid}`;
const labels = { 'sandbox.rollgate/test': runId };

describe('splitReference', () => {
  it.each([
    ['127.0.0.1:5000/a/b:1', '127.0.0.1:5000/a/b', '1'],
    ['127.0.0.1:5000/a/b', '127.0.0.1:5000/a/b', 'latest'],
    ['127.0.0.1:5000/a/b@sha256:abc', '127.0.0.1:5000/a/b', 'sha256:abc'],
    ['127.0.0.1:5000/a/b:dev@sha256:abc', '127.0.0.1:5000/a/b', 'sha256:abc'],
    ['busybox', 'busybox', 'latest'],
  ])('%s', (ref, name, tag) => {
    expect(splitReference(ref)).toEqual({ name, tagOrDigest: tag });
  });
});

describe('DockerRuntime and pod network namespaces', () => {
  const runtime = new DockerRuntime(inject('dockerHost'));
  const image = inject('baseImage');
  let sandbox: PodSandbox;

  beforeAll(async () => {
    await runtime.pull(image);
    sandbox = await startPodSandbox(runtime, { name: `${runId}-pod`, image, labels });
  });

  afterAll(async () => {
    for (const c of await runtime.list(labels)) await runtime.remove(c.Id);
  });

  it('reports a missing tag with the engine message a kubelet shows', async () => {
    const missing = image.replace(/:1$/, ':nope');
    const err = await runtime.pull(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect((err as DockerError).message).toMatch(/^manifest for .*sandbox\/busybox:nope not found: manifest unknown/);
  });

  it('lets a container of the pod serve on loopback, reached only through the namespace', async () => {
    const id = await runtime.create({
      name: `${runId}-web`,
      image,
      entrypoint: ['httpd', '-f', '-p', '8080', '-h', '/tmp'],
      labels,
      networkMode: `container:${sandbox.id}`,
    });
    await runtime.start(id);
    const agent = podAgent(() => sandbox);
    const status = await retry(
      () =>
        new Promise<number>((resolve, reject) => {
          get({ agent, host: '127.0.0.1', port: 8080, path: '/missing' }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          }).on('error', reject);
        }),
    );
    expect(status).toBe(404);
  });

  it('refuses a port nobody listens on, as a dial error', async () => {
    const err = await connectToPod(sandbox, 9).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', message: 'dial tcp 127.0.0.1:9: connect: connection refused' });
  });

  it('kills a container over its memory limit and says so (oom), keeping what it wrote to stderr', async () => {
    const id = await runtime.create({
      name: `${runId}-oom`,
      image,
      entrypoint: ['sh', '-c', 'echo filling >&2; dd if=/dev/zero of=/dev/null bs=64M count=1'],
      labels,
      networkMode: `container:${sandbox.id}`,
      memoryBytes: 16 * 2 ** 20,
    });
    const oom: string[] = [];
    const stop = await runtime.events(labels, ['oom'], (e) => oom.push(e.id));
    await runtime.start(id);
    expect(await runtime.wait(id)).toBe(137);
    // The engine's OOMKilled flag races the exit, and the oom event can come seconds late on a loaded machine:
    // either says so (as the kubelet reads it).
    await expect
      .poll(async () => oom.includes(id) || (await runtime.inspect(id))?.State?.OOMKilled === true, { timeout: 15_000, interval: 100 })
      .toBe(true);
    stop();
    expect(await text(await runtime.logs(id))).toBe('filling\n');
  });

  it('keeps the environment, working directory and arguments it was given', async () => {
    const id = await runtime.create({
      name: `${runId}-env`,
      image,
      entrypoint: ['sh', '-c'],
      cmd: ['echo "$GREETING from $(pwd)"; echo done; exit 3'],
      env: ['GREETING=hello'],
      workingDir: '/tmp',
      labels,
      networkMode: `container:${sandbox.id}`,
    });
    await runtime.start(id);
    expect(await runtime.wait(id)).toBe(3);
    expect(await text(await runtime.logs(id))).toBe('hello from /tmp\ndone\n');
    expect(await text(await runtime.logs(id, { tailLines: 1 }))).toBe('done\n');
  });
});

async function retry<T>(fn: () => Promise<T>, attempts = 40): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
