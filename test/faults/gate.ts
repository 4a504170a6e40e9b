// A pass-through proxy on a free loopback port that can hold one request at the door: the test learns that the
// request arrived, does what it wants while the client waits (send it SIGTERM, start another run), then lets the
// request through. That pins a fault to one exact moment of a deploy (the tag move, the first write of the apply,
// the smoke test's first request) without a timer. Speaks TLS when given a key and certificate, so it can stand in
// front of the API emulator under the emulator's own certificate (issued for 127.0.0.1, whatever the port).
import { request as httpRequest, createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface HeldRequest {
  method: string;
  /** Path with its query. */
  path: string;
  /** Forwards the request upstream as if it had never waited. */
  release(): void;
}

export interface Gate {
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  /** Resolves with the next request `matches` accepts, held until its release(). One hold at a time. */
  hold(matches: (method: string, path: string) => boolean): Promise<HeldRequest>;
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

export async function startGate(upstream: string, options: { tls?: { key: string; cert: string } } = {}): Promise<Gate> {
  const target = new URL(upstream);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let waiting: { matches: (method: string, path: string) => boolean; arrived: (held: HeldRequest) => void } | undefined;
  const held = new Set<() => void>();

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
    if (!waiting?.matches(method, path)) return forward(req, res);
    const { arrived } = waiting;
    waiting = undefined;
    // The body stays in the socket's buffer meanwhile: piping it later sends it upstream unchanged.
    req.pause();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.delete(release);
      forward(req, res);
      req.resume();
    };
    held.add(release);
    arrived({ method, path, release });
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
      if (waiting) throw new Error('gate: one hold at a time');
      return new Promise((arrived) => (waiting = { matches, arrived }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of [...held]) release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
