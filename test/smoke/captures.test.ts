import { describe, expect, it } from 'vitest';
import { encodePathValue, fill, fillJson, readCapture, type Captures } from '../../src/smoke/captures.ts';
import { jsonMismatch, statusAccepted, isTransientStatus } from '../../src/smoke/expect.ts';
import { Redactor, REDACTED } from '../../src/smoke/redact.ts';

const captures: Captures = new Map([
  ['id', { text: '42', json: 42 }],
  ['token', { text: 'tok/en+1' }],
  ['tags', { text: '["a"]', json: ['a'] }],
]);

describe('placeholders', () => {
  it.each([
    ['/api/invoices/{id}/', '/api/invoices/42/'],
    ['Bearer {token}', 'Bearer tok/en+1'],
    ['{missing} stays', '{missing} stays'],
    ['${id} is load-time interpolation, not a capture', '${id} is load-time interpolation, not a capture'],
  ])('fill %j', (text, filled) => {
    expect(fill(text, captures)).toBe(filled);
  });

  it.each([
    ['42', '/api/invoices/42/'],
    ['Smoke Test #1', '/api/invoices/Smoke%20Test%20%231/'],
    ['Zoë', '/api/invoices/Zo%C3%AB/'],
    ['/invoices/?page=2', '/api/invoices//invoices/?page=2/'],
    ['a%2Fb', '/api/invoices/a%2Fb/'],
  ])('escapes %j placed in a path only where a path cannot hold it', (value, path) => {
    expect(fill('/api/invoices/{v}/', new Map([['v', { text: value }]]), encodePathValue)).toBe(path);
  });

  it('puts the captured JSON value itself where a string is exactly one placeholder', () => {
    expect(fillJson({ id: '{id}', label: 'invoice {id}', tags: '{tags}', token: '{token}', n: 3, list: ['{id}'] }, captures)).toEqual({
      id: 42, label: 'invoice 42', tags: ['a'], token: 'tok/en+1', n: 3, list: [42],
    });
  });
});

describe('capture sources', () => {
  const answer = {
    headers: new Headers({ Location: '/invoices/', 'X-Request-Id': 'r-1' }),
    body: JSON.stringify({ id: 7, number: 'INV-7', lines: [{ sku: 'A', qty: 2 }], paid: false }),
    cookie: (name: string) => (name === 'csrftoken' ? 'c5rf' : undefined),
  };
  it.each([
    ['json.id', { text: '7', json: 7 }],
    ['json.number', { text: 'INV-7' }],
    ['json.lines[0].qty', { text: '2', json: 2 }],
    ['json.lines', { text: '[{"sku":"A","qty":2}]', json: [{ sku: 'A', qty: 2 }] }],
    ['json.paid', { text: 'false', json: false }],
    ['header.location', { text: '/invoices/' }],
    ['cookie.csrftoken', { text: 'c5rf' }],
    ['body', { text: answer.body }],
    ['json.missing', 'json.missing is not in the response'],
    ['json.lines[3]', 'json.lines[3] is not in the response'],
    ['header.ETag', 'the response has no ETag header'],
    ['cookie.sessionid', 'no cookie sessionid has been set'],
  ])('%s', (source, expected) => {
    expect(readCapture(source, answer)).toEqual(expected);
  });

  it('says so when a JSON capture meets a body that is not JSON', () => {
    expect(readCapture('json.id', { ...answer, body: '<html>' })).toBe('the response is not JSON');
  });
});

describe('expectations', () => {
  it.each([
    [200, undefined, true], [302, undefined, true], [404, undefined, false], [500, undefined, false], [302, [302], true], [200, [302], false], [503, [200, 503], true],
  ])('status %i against %j: %s', (status, expected, accepted) => {
    expect(statusAccepted(status, expected)).toBe(accepted);
  });

  it.each([[502, true], [503, true], [504, true], [429, true], [500, false], [404, false], [403, false], [400, false]])('status %i is transient: %s', (status, transient) => {
    expect(isTransientStatus(status)).toBe(transient);
  });

  const actual = { id: 7, customer: { name: 'ACME' }, lines: [{ sku: 'A' }, { sku: 'B' }], paid: false, note: null };
  it.each([
    [{ id: 7 }, undefined],
    [{ customer: { name: 'ACME' }, lines: [{ sku: 'A' }] }, undefined],
    [{ note: null, paid: false }, undefined],
    [{ id: '7' }, '$.id is 7, expected "7"'],
    [{ customer: { name: 'Acme' } }, '$.customer.name is "ACME", expected "Acme"'],
    [{ total: 1 }, '$.total is missing'],
    [{ lines: [{ sku: 'B' }] }, '$.lines[0].sku is "A", expected "B"'],
    [{ lines: [{}, {}, {}] }, '$.lines has 2 items, expected at least 3'],
    [{ customer: ['ACME'] }, '$.customer is an object, expected an array'],
    [{ id: { n: 7 } }, '$.id is number 7, expected an object'],
  ])('JSON subset %j: %s', (expected, mismatch) => {
    expect(jsonMismatch(expected, actual)).toBe(mismatch);
  });
});

describe('redaction', () => {
  it('hides secrets as written and as a URL, a form or JSON would echo them', () => {
    const r = new Redactor(['p@ss word"1']);
    expect(r.redact('pw=p@ss word"1 url=p%40ss%20word%221 form=p%40ss+word%221 json="p@ss word\\"1"')).toBe(`pw=${REDACTED} url=${REDACTED} form=${REDACTED} json="${REDACTED}"`);
  });

  it('hides learned values from then on, except ones too short to be credentials', () => {
    const r = new Redactor();
    r.learn('en');
    r.learn('8f14e45fceea167a');
    expect(r.redact('lang=en; sessionid=8f14e45fceea167a')).toBe(`lang=en; sessionid=${REDACTED}`);
  });

  it('hides credential headers whole and secrets inside the others', () => {
    const r = new Redactor(['hunter22']);
    expect(r.headers(new Headers({ Cookie: 'a=b', 'X-CSRFToken': 'c', Authorization: 'Bearer x', 'X-Note': 'pw hunter22', Accept: 'application/json' }))).toEqual({
      accept: 'application/json', authorization: REDACTED, cookie: REDACTED, 'x-csrftoken': REDACTED, 'x-note': `pw ${REDACTED}`,
    });
  });
});
