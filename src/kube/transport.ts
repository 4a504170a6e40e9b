// Authenticated HTTPS to the API server over node:https. The credentials come from client-node's KubeConfig
// (`applyToHTTPSOptions`: token, client certificate, exec plugins such as gke-gcloud-auth-plugin, CA), asked for
// on every request because exec tokens expire and the KubeConfig caches and refreshes them. We do not use
// client-node's typed APIs for the requests themselves: their models drop fields they do not know.
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { Readable } from 'node:stream';

/** What one request needs beyond method and path: what `KubeConfig.applyToHTTPSOptions` fills in. */
export type Authorize = (opts: RequestOptions) => Promise<void>;

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Destroy the connection when nothing arrives for this long (watches). */
  idleTimeoutMs?: number;
  /**
   * A stream held open for minutes (a watch): it gets a connection of its own, outside the pool that reads and
   * applies share, so a deploy's watches never make a log read or an apply wait for a free socket.
   */
  longLived?: boolean;
}

// A null-body status cannot be given a body in `new Response`.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export class KubeTransport {
  readonly server: URL;
  readonly #authorize: Authorize;
  readonly #viaProxy: boolean;
  #agent: { key: string; agent: Agent } | undefined;
  #streamAgent: { key: string; agent: Agent } | undefined;

  /** `viaProxy`: the kubeconfig names a proxy-url, so the agent client-node makes must carry the requests. */
  constructor(server: string, authorize: Authorize, options: { viaProxy?: boolean } = {}) {
    this.server = new URL(server);
    this.#authorize = authorize;
    this.#viaProxy = options.viaProxy ?? false;
  }

  /** Opens a request and resolves with the response head; the body is the caller's to read. */
  async open(path: string, options: SendOptions = {}): Promise<IncomingMessage> {
    const opts: RequestOptions = { headers: {} };
    await this.#authorize(opts);
    const url = this.#url(path);
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>), ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const https = url.protocol === 'https:';
    const agent = this.#agentFor(opts, https, options.longLived ?? false);
    const send = https ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req: ClientRequest = send(url, {
        method: options.method ?? 'GET',
        headers,
        agent,
        ...(opts.auth ? { auth: opts.auth } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (options.idleTimeoutMs) {
        req.setTimeout(options.idleTimeoutMs, () => req.destroy(Object.assign(new Error(`no data from the API server for ${options.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' })));
      }
      req.once('response', resolve);
      req.once('error', reject);
      req.end(options.body);
    });
  }

  /** A whole exchange as text. */
  async text(path: string, options: SendOptions = {}): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
    const res = await this.open(path, options);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
  }

  /** fetch-shaped: a web Response streaming the body. Redirects are not followed (as `redirect: 'manual'`). */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => void (headers[name] = value));
    const res = await this.open(path, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined && init.body !== null ? { body: await bodyBytes(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const status = res.statusCode ?? 0;
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
    }
    const body = NULL_BODY.has(status) || init.method === 'HEAD' ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
    if (!body) res.resume();
    return new Response(body, { status, statusText: res.statusMessage ?? '', headers: responseHeaders });
  }

  /** A path of this server, or an absolute URL on it (what a fetch-shaped caller passes). */
  #url(path: string): URL {
    if (/^https?:\/\//.test(path)) {
      const url = new URL(path);
      if (url.origin !== this.server.origin) throw new Error(`${url.origin} is not the API server ${this.server.origin}`);
      return url;
    }
    // The server URL may carry a path prefix (a proxy in front of the API server, Rancher).
    const base = this.server.pathname.replace(/\/+$/, '');
    return new URL(base + (path.startsWith('/') ? path : `/${path}`), this.server.origin);
  }

  // client-node's agent has no keep-alive; an apply of 200 objects should not make 200 TLS handshakes. We keep
  // its agent only when it speaks through a proxy.
  #agentFor(opts: RequestOptions, https: boolean, longLived: boolean): Agent | undefined {
    if (this.#viaProxy) return opts.agent as Agent | undefined;
    if (!https) return undefined;
    const tls = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, servername: opts.servername, rejectUnauthorized: opts.rejectUnauthorized };
    const key = JSON.stringify([tls.ca, tls.cert, tls.key, tls.pfx, tls.servername, tls.rejectUnauthorized].map((v) => (v === undefined ? null : String(v))));
    const current = longLived ? this.#streamAgent : this.#agent;
    if (current?.key === key) return current.agent;
    current?.agent.destroy();
    const defined = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined));
    const made = { key, agent: new HttpsAgent(longLived ? { keepAlive: false, ...defined } : { keepAlive: true, maxSockets: 16, ...defined }) };
    if (longLived) this.#streamAgent = made;
    else this.#agent = made;
    return made.agent;
  }

  close(): void {
    for (const a of [this.#agent, this.#streamAgent]) a?.agent.destroy();
    this.#agent = undefined;
    this.#streamAgent = undefined;
  }
}

async function bodyBytes(body: NonNullable<RequestInit['body']>): Promise<string | Uint8Array> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return body;
  return new Uint8Array(await new Response(body).arrayBuffer());
}
