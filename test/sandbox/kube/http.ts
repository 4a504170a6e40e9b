// Small HTTP helpers of the API emulator: JSON answers, request bodies (JSON, YAML, a little protobuf), query flags.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, statusOf, type Status } from './status.ts';
import { decodeKubeProtobuf } from './protobuf.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: Status, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(status);
  res.writeHead(status.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  sendStatus(res, statusOf(err));
}

export async function readBody(req: IncomingMessage, limit = 3 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request entity too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The body as an object: JSON, or YAML when the content type says so (apply patches are YAML). */
export async function readObject(req: IncomingMessage): Promise<unknown> {
  const type = mediaType(req.headers['content-type']);
  if (type === 'application/vnd.kubernetes.protobuf') return decodeKubeProtobuf(await readBody(req));
  if (type.includes('cbor')) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  const raw = (await readBody(req)).toString('utf8');
  if (!raw.trim()) throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  try {
    return type.includes('yaml') ? (parseYaml(raw) as unknown) : (JSON.parse(raw) as unknown);
  } catch (err) {
    throw badRequest(`error decoding ${type.includes('yaml') ? 'YAML' : 'JSON'}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The media type without parameters, lower case. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === 'true' || v === '1';
}

/** `application/json;as=Table;v=v1;g=meta.k8s.io`, which kubectl get sends. */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}
