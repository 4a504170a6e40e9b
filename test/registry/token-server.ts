// A Distribution token server on loopback: issues RS256 JWTs the real registry verifies against our
// self-signed certificate (x5c header), granting pull to anyone and push to users with the right password or a
// known refresh token (Docker's `identitytoken`).
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SelfSigned } from './certificate.ts';

export interface TokenServerOptions {
  signer: SelfSigned;
  service: string;
  issuer: string;
  users: Record<string, string>;
  /** Refresh token -> user name. */
  refreshTokens?: Record<string, string>;
  /** Lifetime of issued tokens. */
  expiresInSeconds?: number;
}

export interface TokenRequest {
  method: string;
  scope: string | null;
  /** Who asked: a user name, `anonymous`, or `refused`. */
  who: string;
  granted: string[];
}

export interface TokenServer {
  realm: string;
  requests: TokenRequest[];
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(options.signer.key);
  const certDer = new X509Certificate(options.signer.cert).raw.toString('base64');
  const requests: TokenRequest[] = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const scope = form.get('scope');
    const who = identify(req, form, options);
    const record: TokenRequest = { method: req.method ?? 'GET', scope, who: who ?? 'refused', granted: [] };
    requests.push(record);
    if (who === undefined || form.get('service') !== options.service) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials or service"}');
      return;
    }
    const access = scope ? grant(scope, who) : [];
    record.granted = access.flatMap((a) => a.actions.map((action) => `${a.name}:${action}`));
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer] };
    const claims = {
      iss: options.issuer,
      sub: who,
      aud: options.service,
      exp: now + (options.expiresInSeconds ?? 300),
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const token = `${signingInput}.${b64url(sign('sha256', Buffer.from(signingInput), key))}`;
    // Docker's token server answers both names; OAuth2 clients read access_token.
    const field = req.method === 'POST' ? 'access_token' : 'token';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ [field]: token, expires_in: options.expiresInSeconds ?? 300, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function identify(req: IncomingMessage, form: URLSearchParams, options: TokenServerOptions): string | undefined {
  if (form.get('grant_type') === 'refresh_token') return options.refreshTokens?.[form.get('refresh_token') ?? ''];
  const header = req.headers.authorization;
  if (!header) return 'anonymous';
  const [user, ...rest] = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString().split(':');
  return user && options.users[user] === rest.join(':') ? user : undefined;
}

/** Scope `repository:<name>:<actions>`: anyone pulls, known users push too. */
function grant(scope: string, who: string): Array<{ type: string; name: string; actions: string[] }> {
  const m = /^repository:([^:]+):(.+)$/.exec(scope);
  if (!m) return [];
  const allowed = who === 'anonymous' ? ['pull'] : ['pull', 'push'];
  return [{ type: 'repository', name: m[1]!, actions: m[2]!.split(',').filter((a) => allowed.includes(a)) }];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body)).on('error', reject);
  });
}
