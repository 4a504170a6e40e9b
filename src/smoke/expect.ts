// What a step's answer must look like, and which wrong answers are worth another round. Pure.
import { isObject } from './captures.ts';

/** Absent `expect.status` accepts any 2xx or 3xx: a login answering 302 passes without saying so. */
export function statusAccepted(status: number, expected: readonly number[] | undefined): boolean {
  return expected ? expected.includes(status) : status >= 200 && status < 400;
}

export function describeExpectedStatus(expected: readonly number[] | undefined): string {
  return expected ? expected.join(' or ') : '2xx or 3xx';
}

/**
 * Statuses a gateway answers while the app is briefly out of reach: the API server's service proxy says 503 when a
 * Service has no ready endpoints and when dialling the pod fails; load balancers say 502 and 504. 429 is the API
 * server's Priority and Fairness shedding load. Any other unexpected status is the app's own answer, and the same
 * request would get it again: the run ends there.
 */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * Where `actual` differs from the JSON subset `expected`, as `$.path: ...`; undefined when it matches. Objects
 * match key by key (extra keys are fine); arrays element by element from the start (a longer array is fine, so a
 * list may grow); anything else by equality.
 */
export function jsonMismatch(expected: unknown, actual: unknown, at = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at} is ${kind(actual)}, expected an array`;
    if (actual.length < expected.length) return `${at} has ${actual.length} items, expected at least ${expected.length}`;
    for (const [i, item] of expected.entries()) {
      const inner = jsonMismatch(item, actual[i], `${at}[${i}]`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return `${at} is ${kind(actual)}, expected an object`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}.${key} is missing`;
      const inner = jsonMismatch(value, actual[key], `${at}.${key}`);
      if (inner) return inner;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${at} is ${short(actual)}, expected ${short(expected)}`;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${short(value)}`;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
