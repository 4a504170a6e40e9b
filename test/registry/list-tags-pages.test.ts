// Debian's registry (Distribution 2.8) answers tags/list in one page whatever `n` says, so paging is checked
// against a stub that pages the way the OCI distribution spec describes (n, last, Link rel="next").
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciRegistry } from '../../src/registry/oci-client.ts';

const TAGS = ['a', 'b', 'c', 'd', 'e'];

describe('listTags paging', () => {
  let server: Server;
  let host = '';
  const asked: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stub');
      asked.push(`${url.pathname}${url.search}`);
      const n = Number(url.searchParams.get('n') ?? TAGS.length);
      const last = url.searchParams.get('last');
      const start = last ? TAGS.indexOf(last) + 1 : 0;
      const page = TAGS.slice(start, start + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (start + n < TAGS.length) headers.link = `</v2/acme/web/tags/list?n=${n}&last=${page.at(-1)}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify({ name: 'acme/web', tags: page }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('follows rel="next" until the last page', async () => {
    asked.length = 0;
    expect(await new OciRegistry({ tagPageSize: 2 }).listTags(`${host}/acme/web`)).toEqual(TAGS);
    expect(asked).toEqual([
      '/v2/acme/web/tags/list?n=2',
      '/v2/acme/web/tags/list?n=2&last=b',
      '/v2/acme/web/tags/list?n=2&last=d',
    ]);
  });

  it('asks once when the registry answers everything in one page', async () => {
    asked.length = 0;
    expect(await new OciRegistry().listTags(`${host}/acme/web`)).toEqual(TAGS);
    expect(asked).toEqual(['/v2/acme/web/tags/list']);
  });
});
