// Pod networking without any bridge or address: every pod gets a network namespace of its own holding only
// loopback (a sandbox container started with `--network none`, which the pod's containers join), and the host
// reaches a pod port by entering that namespace: `nsenter -t <pid> -n socat - TCP:127.0.0.1:<port>`.
import { spawn } from 'node:child_process';
import { Agent, type AgentOptions } from 'node:http';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { DockerRuntime } from './docker-runtime.ts';

/** Why a connection into a pod failed, shaped like Go's net errors so probe messages read like a kubelet's. */
export class PodDialError extends Error {
  override name = 'PodDialError';
  /** 'ECONNREFUSED', 'ETIMEDOUT', or 'ENETNS' when the namespace is gone (the pod's sandbox died). */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The one thing the host needs to reach a pod: the pid of a process living in its network namespace. */
export interface PodNetwork {
  pid: number;
}

const CONNECTED = 'starting data transfer loop';

/**
 * A byte stream to 127.0.0.1:`port` inside the pod's network namespace. Resolves once the TCP connection is up,
 * rejects with PodDialError (connection refused, timeout) otherwise.
 */
export function connectToPod(net: PodNetwork, port: number, timeoutMs = 10_000): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'nsenter',
      ['-t', String(net.pid), '-n', 'socat', '-d', '-d', '-', `TCP:127.0.0.1:${port},connect-timeout=${timeoutMs / 1000}`],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let settled = false;
    const fail = (err: PodDialError) => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(err);
    };
    child.on('error', (err) => fail(new PodDialError('ENOENT', `cannot run nsenter: ${err.message}`)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (settled) return;
      stderr += chunk;
      if (stderr.includes(CONNECTED)) {
        settled = true;
        resolve(streamOf(child.stdout, child.stdin, () => child.kill('SIGKILL')));
      }
    });
    child.on('exit', () => {
      if (settled) return;
      fail(dialError(port, stderr));
    });
  });
}

function dialError(port: number, stderr: string): PodDialError {
  const address = `127.0.0.1:${port}`;
  if (/Connection refused/i.test(stderr)) return new PodDialError('ECONNREFUSED', `dial tcp ${address}: connect: connection refused`);
  if (/timed out|Operation now in progress/i.test(stderr)) return new PodDialError('ETIMEDOUT', `dial tcp ${address}: i/o timeout`);
  if (/nsenter/.test(stderr)) return new PodDialError('ENETNS', `the pod's network namespace is gone: ${stderr.trim()}`);
  return new PodDialError('ECONNRESET', `dial tcp ${address}: ${stderr.trim().split('\n').pop() ?? 'failed'}`);
}

function streamOf(readable: NodeJS.ReadableStream, writable: NodeJS.WritableStream, kill: () => void): Duplex {
  const duplex = Duplex.from({ readable, writable });
  duplex.on('close', kill);
  // node:http calls these on its sockets; a pipe to socat has nothing to tune.
  const socketLike = duplex as Duplex & Partial<Socket>;
  socketLike.setTimeout = function (this: Duplex) {
    return this as Socket;
  } as Socket['setTimeout'];
  socketLike.setNoDelay = function (this: Duplex) {
    return this as Socket;
  } as Socket['setNoDelay'];
  socketLike.setKeepAlive = function (this: Duplex) {
    return this as Socket;
  } as Socket['setKeepAlive'];
  socketLike.ref = function (this: Duplex) {
    return this as Socket;
  } as Socket['ref'];
  socketLike.unref = function (this: Duplex) {
    return this as Socket;
  } as Socket['unref'];
  return duplex;
}

/**
 * An http.Agent whose connections go into a pod's network namespace: `http.get({ agent, host: '127.0.0.1',
 * port, path })`. `resolvePod` names the pod for each request (it may die and come back with another pid).
 */
export function podAgent(resolvePod: () => PodNetwork | undefined, options: AgentOptions = {}): Agent {
  const agent = new Agent({ keepAlive: false, ...options });
  agent.createConnection = ((opts: { port?: number | string }, callback: (err: Error | null, socket?: Duplex) => void) => {
    const pod = resolvePod();
    if (!pod) {
      callback(new PodDialError('ENETNS', 'the pod has no running sandbox'));
      return undefined;
    }
    connectToPod(pod, Number(opts.port ?? 80)).then(
      (socket) => callback(null, socket),
      (err: Error) => callback(err),
    );
    return undefined;
  }) as unknown as Agent['createConnection'];
  return agent;
}

export interface PodSandbox extends PodNetwork {
  /** The sandbox container; the pod's containers join it with `--network container:<id>`. */
  id: string;
}

/**
 * Starts a pod's sandbox: a container of `image` (any image with `sleep`, the sandbox's busybox base) that only
 * holds the network and IPC namespaces, like the pause container of a real node.
 */
export async function startPodSandbox(
  runtime: DockerRuntime,
  options: { name: string; image: string; labels: Record<string, string> },
): Promise<PodSandbox> {
  const id = await runtime.create({
    name: options.name,
    image: options.image,
    entrypoint: ['sleep', '2147483647'],
    labels: options.labels,
    networkMode: 'none',
    ipcMode: 'shareable',
  });
  await runtime.start(id);
  const info = await runtime.inspect(id);
  if (!info?.State.Running) throw new Error(`pod sandbox ${options.name} did not start: ${info?.State.Error ?? 'gone'}`);
  return { id, pid: info.State.Pid };
}
