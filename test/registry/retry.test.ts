import { describe, expect, it } from 'vitest';
import { backoffDelay, connectionErrorCode, isRetryableStatus, parseRetryAfter } from '../../src/registry/retry.ts';

describe('isRetryableStatus', () => {
  it.each([
    [429, true], [500, true], [502, true], [503, true], [504, true],
    [501, false], [505, false], [400, false], [401, false], [403, false], [404, false], [409, false], [200, false],
  ])('%i: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    ['Wed, 01 Jan 2025 00:00:07 GMT', 7000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s -> %s ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('backoffDelay', () => {
  const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  it.each([
    [1, 0, 50], [1, 1, 100], [2, 0, 100], [2, 1, 200], [3, 1, 400], [5, 1, 1000], [9, 0, 500],
  ])('attempt %i with random %d waits %i ms', (attempt, random, ms) => {
    expect(backoffDelay({ ...policy, random: () => random }, attempt)).toBe(ms);
  });

  it('follows Retry-After, up to the longest wait allowed', () => {
    expect(backoffDelay(policy, 1, 700)).toBe(700);
    expect(backoffDelay(policy, 1, 60_000)).toBe(1000);
  });
});

describe('connectionErrorCode', () => {
  const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
  it.each([
    ['a refused connection', fetchFailed(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED'],
    ['undici closing the socket', fetchFailed(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })), 'UND_ERR_SOCKET'],
    ['node:https hanging up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    ['happy eyeballs giving up', fetchFailed(new AggregateError([Object.assign(new Error('x'), { code: 'ETIMEDOUT' })])), 'ETIMEDOUT'],
    ['our own timeout', new DOMException('timed out', 'TimeoutError'), 'ETIMEDOUT'],
    ['a certificate problem', fetchFailed(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })), undefined],
    ['an unknown host', fetchFailed(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })), undefined],
  ])('%s', (_, err, code) => {
    expect(connectionErrorCode(err)).toBe(code);
  });
});
