// Values a step keeps for later steps, and `{name}` placeholders filled from them. Pure.

/** A captured value: its text, and the JSON value itself when it came out of a JSON body as a non-string. */
export interface Captured {
  text: string;
  json?: unknown;
}

export type Captures = Map<string, Captured>;

/** What a capture reads from: the answer of the step that captures. */
export interface CaptureSource {
  headers: Headers;
  body: string;
  cookie(name: string): string | undefined;
}

// Same grammar as the config's check of references: `{name}`, not `${...}` (that is load-time interpolation).
const REF = /(?<!\$)\{([A-Za-z_]\w*)\}/g;
const WHOLE_REF = /^\{([A-Za-z_]\w*)\}$/;

/** `text` with every `{name}` that is captured replaced by its value (through `encode` when given). */
export function fill(text: string, captures: Captures, encode: (value: string) => string = (v) => v): string {
  return text.replace(REF, (whole, name: string) => {
    const value = captures.get(name);
    return value === undefined ? whole : encode(value.text);
  });
}

/**
 * A value placed in a path, escaped only where a path cannot hold it as is. `/`, `?` and `%` stay: a captured
 * Location (`{next}`) is a path itself, and may already be escaped.
 */
export function encodePathValue(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (c) => encodeURIComponent(c));
}

/**
 * A JSON value with its strings filled. A string that is exactly one placeholder becomes the captured JSON value
 * itself, so `{ id: "{id}" }` sends (and expects) the number the create step answered, not its text.
 */
export function fillJson(value: unknown, captures: Captures): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_REF.exec(value);
    const captured = whole ? captures.get(whole[1]!) : undefined;
    if (captured && 'json' in captured) return captured.json;
    return fill(value, captures);
  }
  if (Array.isArray(value)) return value.map((v) => fillJson(v, captures));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, captures)]));
  }
  return value;
}

/** Reads one capture source (`json.items[0].id`, `header.Location`, `body`, `cookie.csrftoken`); a string says why not. */
export function readCapture(source: string, from: CaptureSource): Captured | string {
  if (source === 'body') return { text: from.body };
  if (source.startsWith('header.')) {
    const name = source.slice('header.'.length);
    const value = from.headers.get(name);
    return value === null ? `the response has no ${name} header` : { text: value };
  }
  if (source.startsWith('cookie.')) {
    const name = source.slice('cookie.'.length);
    const value = from.cookie(name);
    return value === undefined ? `no cookie ${name} has been set` : { text: value };
  }
  let value: unknown;
  try {
    value = JSON.parse(from.body);
  } catch {
    return 'the response is not JSON';
  }
  for (const key of jsonPath(source)) {
    const next = typeof key === 'number' ? (Array.isArray(value) ? value[key] : undefined) : isObject(value) ? value[key] : undefined;
    if (next === undefined) return `${source} is not in the response`;
    value = next;
  }
  return typeof value === 'string' ? { text: value } : { text: JSON.stringify(value), json: value };
}

/** `json.items[0].id` -> ['items', 0, 'id'] (the config has checked the grammar). */
export function jsonPath(source: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const m of source.slice('json'.length).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
    keys.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return keys;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
