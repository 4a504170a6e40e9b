import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from '../../src/config/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['300ms', 300],
    ['5s', 5_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['500us', 0.5],
    ['0', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['5', /no unit; write 5s, 5m or 5ms/],
    ['5 minutes', /not a duration/],
    ['-1s', /negative/],
    ['', /empty/],
    ['1d', /not a duration/],
    ['5s5', /not a duration/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [90_000, '1m30s'],
    [300, '300ms'],
    [3_600_000, '1h'],
    [0, '0s'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
