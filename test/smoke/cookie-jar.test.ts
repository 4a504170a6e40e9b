import { describe, expect, it } from 'vitest';
import { CookieJar, defaultPath, parseSetCookie, pathMatches } from '../../src/smoke/cookie-jar.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('Set-Cookie parsing', () => {
  it.each([
    ['a Django csrftoken', 'csrftoken=abc123; expires=Sun, 31 May 2026 12:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax', '/accounts/login/',
      { name: 'csrftoken', value: 'abc123', path: '/', expiresAt: NOW + 31_449_600_000 }],
    ['a session cookie with no expiry', 'sessionid=s1; HttpOnly; Path=/', '/accounts/login/', { name: 'sessionid', value: 's1', path: '/' }],
    ['Expires alone', 'a=1; Expires=Mon, 02 Jun 2025 12:00:00 GMT', '/', { name: 'a', value: '1', path: '/', expiresAt: NOW + 86_400_000 }],
    ['Max-Age=0 (a deletion)', 'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/', '/logout/', { name: 'sessionid', value: '""', path: '/', expiresAt: NOW - 1 }],
    ['no Path: the default path of the request', 'pref=x', '/api/invoices/7', { name: 'pref', value: 'x', path: '/api/invoices' }],
    ['a Path not starting with /: the default path', 'pref=x; Path=api', '/api/list', { name: 'pref', value: 'x', path: '/api' }],
    ['an unreadable Expires: a session cookie', 'a=1; Expires=soon', '/', { name: 'a', value: '1', path: '/' }],
    ['spaces around name and value, = in the value', ' tok = a=b== ; Path=/x', '/', { name: 'tok', value: 'a=b==', path: '/x' }],
  ])('reads %s', (_, line, requestPath, cookie) => {
    expect(parseSetCookie(line, requestPath, NOW)).toEqual(cookie);
  });

  it.each(['novalue', '=nameless', ''])('drops %j, which has no name=value pair', (line) => {
    expect(parseSetCookie(line, '/', NOW)).toBeUndefined();
  });

  it.each([
    ['/', '/'], ['', '/'], ['/login', '/'], ['/accounts/login/', '/accounts/login'], ['/api/invoices/7', '/api/invoices'],
  ])('default path of %j is %j', (requestPath, path) => {
    expect(defaultPath(requestPath)).toBe(path);
  });

  it.each([
    ['/api/invoices/', '/api', true], ['/api', '/api', true], ['/apiary', '/api', false], ['/api/x', '/api/', true], ['/', '/api', false], ['/anything', '/', true],
  ])('request path %j matches cookie path %j: %s', (requestPath, cookiePath, matches) => {
    expect(pathMatches(requestPath, cookiePath)).toBe(matches);
  });
});

describe('cookie jar', () => {
  it('sends cookies back by path, the more specific first, and replaces a cookie of the same name and path', () => {
    let now = NOW;
    const jar = new CookieJar(() => now);
    jar.store(['csrftoken=one; Path=/', 'scope=api; Path=/api'], '/accounts/login/');
    jar.store(['csrftoken=two; Path=/'], '/accounts/login/');
    expect(jar.header('/api/invoices/')).toBe('scope=api; csrftoken=two');
    expect(jar.header('/accounts/')).toBe('csrftoken=two');
    expect(jar.get('csrftoken')).toBe('two');
    now += 1;
    expect(jar.header('/apiary')).toBe('csrftoken=two');
  });

  it('forgets a cookie the server deletes, and one whose Max-Age has run out', () => {
    let now = NOW;
    const jar = new CookieJar(() => now);
    jar.store(['sessionid=s1; Path=/', 'flash=hi; Max-Age=10; Path=/'], '/accounts/login/');
    expect(jar.header('/')).toBe('sessionid=s1; flash=hi');
    jar.store(['sessionid=""; Max-Age=0; Path=/'], '/accounts/logout/');
    expect(jar.get('sessionid')).toBeUndefined();
    now += 10_000;
    expect(jar.header('/')).toBeUndefined();
  });
});
