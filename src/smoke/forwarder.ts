// A plain-HTTP door on 127.0.0.1 to a transport, for command steps against a Service: the program gets a
// SMOKE_BASE_URL it can use with curl or anything else, while the cluster credentials (token, client certificate,
// exec plugin) stay inside this process. It lives only while the smoke run does.
import { createServer, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnsendableRequest, type SmokeTransport } from './transport.ts';

// Per connection, not end to end; and fetch has already decoded the body it hands back.
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length', 'content-encoding']);

export interface Forwarder {
  url: string;
  close(): Promise<void>;
}

export async function startForwarder(transport: SmokeTransport, requestTimeoutMs: number): Promise<Forwarder> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (NOT_FORWARDED.has(name) || value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
        }
        const answer = await transport.send({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers,
          ...(body.length > 0 ? { body } : {}),
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const out: OutgoingHttpHeaders = {};
        for (const [name, value] of answer.headers) if (name !== 'set-cookie' && !NOT_FORWARDED.has(name)) out[name] = value;
        const cookies = answer.headers.getSetCookie();
        if (cookies.length > 0) out['set-cookie'] = cookies;
        const bytes = Buffer.from(await answer.arrayBuffer());
        res.writeHead(answer.status, out).end(bytes);
      } catch (err) {
        const status = err instanceof UnsendableRequest ? 400 : 502;
        if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(`rollgate smoke forwarder: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
