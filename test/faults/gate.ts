// A pass-through proxy on a free loopback port that can hold requests at the door: the test learns that a request
// arrived, does what it wants while the client waits (send it SIGTERM, let the cluster move on), then lets the
// requests through. That pins a fault to one exact moment of a deploy (the tag move, the first write of the apply,
// the smoke test's first request) without a timer. Speaks TLS when given a key and certificate, so it can stand in
// front of the API emulator under the emulator's own certificate (issued for 127.0.0.1, whatever the port).
import { request as httpRequest, createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Hold {
  /** Resolves with the first request held (`METHOD path`). */
  arrived: Promise<string>;
  /** Every request held so far. */
  readonly held: readonly string[];
  /** Lets every held request through, and holds no more. */
  release(): void;
}

export interface Gate {
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  /** From now on, holds every request `matches` accepts until release(). One hold at a time. */
  hold(matches: (method: string, path: string) => boolean): Hold;
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

export async function startGate(upstream: string, options: { tls?: { key: string; cert: string } } = {}): Promise<Gate> {
  const target = new URL(upstream);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let holding: { matches: (method: string, path: string) => boolean; waiting: Array<() => void>; held: string[]; arrived: (first: string) => void } | undefined;
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    for (const name of HOP_BY_HOP) delete headers[name];
    const upstreamReq = send(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers, rejectUnauthorized: false },
      (upstreamRes) => {
        const out: Record<string, string | string[] | undefined> = { ...upstreamRes.headers };
        for (const name of HOP_BY_HOP) delete out[name];
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, out);
        res.flushHeaders();
        upstreamRes.pipe(res);
        // Upstream cut the stream (a watch dropped): so does the gate, or the client would wait forever.
        upstreamRes.on('close', () => void (upstreamRes.complete || res.destroy()));
      },
    );
    upstreamReq.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    // A client going away (a watch stopped) ends the upstream exchange too.
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (!holding?.matches(method, path)) return forward(req, res);
    // The body stays in the socket's buffer meanwhile: piping it later sends it upstream unchanged.
    req.pause();
    holding.held.push(`${method} ${path}`);
    holding.waiting.push(() => {
      forward(req, res);
      req.resume();
    });
    holding.arrived(`${method} ${path}`);
  };

  const releaseAll = (): void => {
    const current = holding;
    holding = undefined;
    for (const go of current?.waiting ?? []) go();
  };

  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle) : createHttpServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    hold(matches) {
      if (holding) throw new Error('gate: one hold at a time');
      let arrived!: (first: string) => void;
      const first = new Promise<string>((resolve) => (arrived = resolve));
      const current = { matches, waiting: [], held: [], arrived };
      holding = current;
      return { arrived: first, held: current.held, release: () => holding === current && releaseAll() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        releaseAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
