import { describe, expect, it } from 'vitest';
import { Authenticator, parseChallenge } from '../../src/registry/auth.ts';

describe('parseChallenge', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      { scheme: 'bearer', realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' },
    ],
    ['bearer realm=https://ghcr.io/token, service=ghcr.io', { scheme: 'bearer', realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: undefined }],
    ['Bearer realm="https://x/token",error="insufficient_scope"', { scheme: 'bearer', realm: 'https://x/token', service: undefined, scope: undefined }],
    ['Bearer realm="https://x/t\\"q"', { scheme: 'bearer', realm: 'https://x/t"q', service: undefined, scope: undefined }],
    ['Basic realm="Registry Realm"', { scheme: 'basic' }],
    ['Bearer service="no-realm"', undefined],
    ['Negotiate', undefined],
    [null, undefined],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });
});

describe('Authenticator token cache', () => {
  const challenge = 'Bearer realm="https://auth.example/token",service="reg"';

  function setup(tokenAnswer: object) {
    let now = 1_000_000;
    const asked: string[] = [];
    const auth = new Authenticator({
      store: { lookup: async () => undefined },
      now: () => now,
      fetch: async (url) => {
        asked.push(url);
        return Response.json({ ...tokenAnswer, token: `t${asked.length}` });
      },
    });
    return { auth, asked, advance: (ms: number) => (now += ms) };
  }

  it('reuses a token until shortly before it expires', async () => {
    const { auth, asked, advance } = setup({ expires_in: 300 });
    await auth.unauthorized('reg.example', 'repository:a:pull,push', challenge, undefined);
    expect(await auth.authorization('reg.example', 'repository:a:pull,push')).toBe('Bearer t1');
    advance(290_000);
    expect(await auth.authorization('reg.example', 'repository:a:pull,push')).toBe('Bearer t1');
    advance(6_000);
    expect(await auth.authorization('reg.example', 'repository:a:pull,push')).toBe('Bearer t2');
    expect(asked).toEqual([
      'https://auth.example/token?service=reg&scope=repository%3Aa%3Apull%2Cpush',
      'https://auth.example/token?service=reg&scope=repository%3Aa%3Apull%2Cpush',
    ]);
  });

  it('keeps one token per scope, and takes 60 s when the server names no lifetime', async () => {
    const { auth, asked, advance } = setup({});
    await auth.unauthorized('reg.example', 'repository:a:pull,push', challenge, undefined);
    expect(await auth.authorization('reg.example', 'repository:a:pull,push')).toBe('Bearer t1');
    expect(await auth.authorization('reg.example', 'repository:b:pull,push')).toBe('Bearer t2');
    advance(56_000);
    expect(await auth.authorization('reg.example', 'repository:a:pull,push')).toBe('Bearer t3');
    expect(asked).toHaveLength(3);
  });

  it('drops a token the registry refused, so the retry gets a fresh one', async () => {
    const { auth } = setup({ expires_in: 300 });
    await auth.unauthorized('reg.example', 'repository:a:pull,push', challenge, undefined);
    const first = await auth.authorization('reg.example', 'repository:a:pull,push');
    expect(await auth.unauthorized('reg.example', 'repository:a:pull,push', challenge, first)).toBe(true);
    expect(await auth.authorization('reg.example', 'repository:a:pull,push')).toBe('Bearer t2');
  });

  it('reads access_token when the server names it so', async () => {
    const auth = new Authenticator({
      store: { lookup: async () => undefined },
      fetch: async () => Response.json({ access_token: 'oauth' }),
    });
    await auth.unauthorized('reg.example', 's', challenge, undefined);
    expect(await auth.authorization('reg.example', 's')).toBe('Bearer oauth');
  });

  it('asks for the challenged scope when pull,push is refused', async () => {
    const asked: string[] = [];
    const auth = new Authenticator({
      store: { lookup: async () => undefined },
      fetch: async (url) => {
        const scope = new URL(url).searchParams.get('scope')!;
        asked.push(scope);
        return scope.endsWith('pull,push') ? new Response('', { status: 401 }) : Response.json({ token: 'read-only' });
      },
    });
    await auth.unauthorized('reg.example', 'repository:a:pull,push', `${challenge},scope="repository:a:pull"`, undefined);
    expect(await auth.authorization('reg.example', 'repository:a:pull,push')).toBe('Bearer read-only');
    expect(asked).toEqual(['repository:a:pull,push', 'repository:a:pull']);
  });
});
