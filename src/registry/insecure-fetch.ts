// fetch() for https endpoints whose certificate is not to be verified (registries listed as insecure).
// Node's fetch takes no TLS options without undici's Agent, which is not ours to depend on; node:https does.
import { request } from 'node:https';
import { Readable } from 'node:stream';

const MAX_REDIRECTS = 5;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export async function insecureFetch(input: string | URL, init: RequestInit = {}, redirects = 0): Promise<Response> {
  const url = new URL(input);
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  const body = await bodyBytes(init.body);
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = request(url, { method, headers: Object.fromEntries(headers), rejectUnauthorized: false, signal: init.signal ?? undefined }, resolve);
    req.on('error', reject);
    req.end(body);
  });
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (location && [301, 302, 303, 307, 308].includes(status) && init.redirect !== 'manual') {
    res.resume();
    if (redirects >= MAX_REDIRECTS) throw new Error(`too many redirects from ${url.host}`);
    const next = new URL(location, url);
    // Credentials are for the registry, never for the storage a blob redirects to.
    if (next.origin !== url.origin) headers.delete('authorization');
    const keepsMethod = status === 307 || status === 308;
    const nextInit: RequestInit = { ...init, headers, method: keepsMethod ? method : method === 'HEAD' ? 'HEAD' : 'GET', body: keepsMethod ? body : undefined };
    if (next.protocol === 'https:') return insecureFetch(next, nextInit, redirects + 1);
    return fetch(next, nextInit);
  }
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
  }
  const hasBody = method !== 'HEAD' && !NULL_BODY_STATUSES.has(status);
  if (!hasBody) res.resume();
  return new Response(hasBody ? (Readable.toWeb(res) as ReadableStream<Uint8Array>) : null, {
    status,
    statusText: res.statusMessage ?? '',
    headers: responseHeaders,
  });
}

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}
