// The smoke test as rollgate.yml writes it: where to send requests, for how long, and the steps of one round
// (log in, read, write, read back). src/smoke runs it; this module only reads and checks its shape.
import { isSeq } from 'yaml';
import type { Field, ConfigReader } from './yaml-reader.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A Service in the environment's namespace (reached through the API server's service proxy), or a URL. */
export type SmokeTarget = { service: string; port: number } | { url: string };

export interface SmokeExpect {
  /** Accepted status codes; absent: any 2xx or 3xx. */
  status?: number[];
  /** Text the body must contain. */
  body?: string;
  /** A JSON subset the body must contain (objects compared key by key, arrays element by element). */
  json?: unknown;
}

/**
 * One HTTP request. Strings may name values captured by earlier steps as `{name}` (single braces: filled in at
 * run time, unlike `${...}`, which is filled in when the file is loaded).
 */
export interface SmokeRequestStep {
  kind: 'request';
  name: string;
  method: HttpMethod;
  /** Absolute path, appended to the target. */
  path: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  expect: SmokeExpect;
  /**
   * Values to keep for later steps: name -> `json` | `json.<key>...` (dots, `[n]` for list items) |
   * `header.<Name>` | `body` | `cookie.<name>`. Cookies are kept and sent back by the runner on its own (a login
   * step needs no capture); `cookie.<name>` is for echoing one in a header, as Django's CSRF check wants.
   */
  capture: Record<string, string>;
}

/** A program run on the runner; a string goes through `sh -c`, a list is the argv. Exit 0 passes. */
export interface SmokeCommandStep {
  kind: 'command';
  name: string;
  command: string | string[];
}

export type SmokeStep = SmokeRequestStep | SmokeCommandStep;

export interface SmokeSpec {
  target: SmokeTarget;
  /** How long to keep running rounds of all steps (default 60s). */
  durationMs: number;
  /** Time between the starts of two rounds (default 5s). */
  intervalMs: number;
  /** Failed steps tolerated over the whole run (default 0). */
  maxFailures: number;
  /** Upper bound on the 95th percentile request latency, if any. */
  p95Ms?: number;
  steps: SmokeStep[];
  /**
   * Values of process environment variables interpolated into this spec (credentials, mostly): whatever prints
   * requests or results must redact them.
   */
  secrets: string[];
}

export const SMOKE_DEFAULTS = { durationMs: 60_000, intervalMs: 5_000, maxFailures: 0 } as const;

/** A smoke section as written at one level (top-level or an environment's), before the two are merged. */
export interface SmokeSection {
  field: Field;
  target?: SmokeTarget;
  durationMs?: number;
  intervalMs?: number;
  maxFailures?: number;
  p95Ms?: number;
  steps?: SmokeStep[];
  /** Whether `target` is written, right or wrong. */
  targetWritten: boolean;
  intervalField?: Field;
  secrets: string[];
}

const SMOKE_KEYS = ['target', 'duration', 'interval', 'maxFailures', 'p95Ms', 'steps'] as const;
const STEP_KEYS = ['name', 'command', 'method', 'path', 'headers', 'query', 'form', 'json', 'expect', 'capture'] as const;
const REQUEST_KEYS = ['method', 'path', 'headers', 'query', 'form', 'json', 'expect', 'capture'] as const;
const CAPTURE_SOURCE = /^(json(\.[A-Za-z_][\w-]*|\[\d+\])*|header\.[A-Za-z0-9-]+|body|cookie\.[\w.-]+)$/;
const CAPTURE_NAME = /^[A-Za-z_]\w*$/;
// `{name}` not preceded by `$` (a `${...}` left by `$${` escaping is text, not a capture).
const CAPTURE_REF = /(?<!\$)\{([A-Za-z_]\w*)\}/g;

export function readSmokeSection(reader: ConfigReader, field: Field): SmokeSection | undefined {
  if (reader.isAbsent(field)) return undefined;
  const secrets = new Set<string>();
  const r = reader.withScope(reader.scope, (_name, value) => secrets.add(value));
  const f = r.fields(field, SMOKE_KEYS);
  if (!f) return undefined;
  const section: SmokeSection = { field, targetWritten: !r.isAbsent(f.target), secrets: [] };
  const target = readTarget(r, f.target);
  if (target) section.target = target;
  const durationMs = positive(r, f.duration, r.duration(f.duration));
  if (durationMs !== undefined) section.durationMs = durationMs;
  const intervalMs = positive(r, f.interval, r.duration(f.interval));
  if (intervalMs !== undefined) {
    section.intervalMs = intervalMs;
    section.intervalField = f.interval;
  }
  const maxFailures = r.integer(f.maxFailures, { min: 0 });
  if (maxFailures !== undefined) section.maxFailures = maxFailures;
  const p95Ms = r.integer(f.p95Ms, { min: 1 });
  if (p95Ms !== undefined) section.p95Ms = p95Ms;
  if (!r.isAbsent(f.steps)) section.steps = readSteps(r, f.steps);
  section.secrets = [...secrets];
  return section;
}

/**
 * The environment's smoke keys over the top-level ones; undefined when neither level has a smoke section.
 * Problems about the result (no target, no steps) point at the environment's section when it has one.
 */
export function mergeSmoke(reader: ConfigReader, top: SmokeSection | undefined, own: SmokeSection | undefined): SmokeSpec | undefined {
  if (!top && !own) return undefined;
  const section = (own ?? top)!;
  // Point at the `smoke:` key for what is missing from the section as a whole.
  const missing = (key: string): Field => ({ node: undefined, path: `${section.field.path}.${key}`, near: section.field.key ?? section.field.node });
  const target = own?.target ?? top?.target;
  const steps = own?.steps ?? top?.steps;
  const durationMs = own?.durationMs ?? top?.durationMs ?? SMOKE_DEFAULTS.durationMs;
  const intervalMs = own?.intervalMs ?? top?.intervalMs ?? SMOKE_DEFAULTS.intervalMs;
  let ok = true;
  // A target or steps key that was written but wrong is reported where it is written; only a missing one here.
  if (!target && !top?.targetWritten && !own?.targetWritten) {
    reader.report(missing('target'), 'missing; smoke needs a target: { service, port } or { url }');
  }
  if (!target) ok = false;
  if (!steps || steps.length === 0) {
    if (!steps) reader.report(missing('steps'), 'missing; smoke needs at least one step');
    ok = false;
  }
  if (intervalMs > durationMs) {
    const interval = (own?.intervalMs !== undefined ? own.intervalField : top?.intervalField) ?? missing('interval');
    reader.report(interval, `the interval (${intervalMs} ms) is longer than the duration (${durationMs} ms)`);
  }
  if (!ok) return undefined;
  const p95Ms = own?.p95Ms ?? top?.p95Ms;
  return {
    target: target!,
    durationMs,
    intervalMs,
    maxFailures: own?.maxFailures ?? top?.maxFailures ?? SMOKE_DEFAULTS.maxFailures,
    ...(p95Ms !== undefined ? { p95Ms } : {}),
    steps: steps!,
    secrets: [...new Set([...(top?.secrets ?? []), ...(own?.secrets ?? [])])],
  };
}

function readTarget(r: ConfigReader, field: Field): SmokeTarget | undefined {
  const f = r.fields(field, ['service', 'port', 'url'] as const);
  if (!f || r.isAbsent(field)) return undefined;
  const hasUrl = !r.isAbsent(f.url);
  const hasService = !r.isAbsent(f.service) || !r.isAbsent(f.port);
  if (hasUrl && hasService) {
    r.report(field, 'give either service and port, or url, not both');
    return undefined;
  }
  if (hasUrl) {
    const url = r.string(f.url);
    if (url === undefined) return undefined;
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      r.report(f.url, `"${url}" is not an http(s) URL`);
      return undefined;
    }
    return { url };
  }
  const service = r.string(f.service, { required: 'name the Service to test, or give a url instead' });
  const port = r.integer(f.port, { min: 1, max: 65535 });
  if (port === undefined && r.isAbsent(f.port)) r.report(f.port, 'missing; the Service port to send requests to');
  if (service !== undefined && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(service)) {
    r.report(f.service, `"${service}" is not a Service name (lowercase letters, digits and -, at most 63)`);
    return undefined;
  }
  return service !== undefined && port !== undefined ? { service, port } : undefined;
}

function readSteps(r: ConfigReader, field: Field): SmokeStep[] {
  const steps: SmokeStep[] = [];
  const captured = new Set<string>();
  const names = new Set<string>();
  const items = r.items(field);
  if (items.length === 0 && !r.isAbsent(field)) r.report(field, 'the list is empty; smoke needs at least one step');
  for (const item of items) {
    const step = readStep(r, item, captured);
    if (!step) continue;
    if (names.has(step.name)) r.report({ ...item, path: `${item.path}.name` }, `another step is already named "${step.name}"`);
    names.add(step.name);
    if (step.kind === 'request') for (const name of Object.keys(step.capture)) captured.add(name);
    steps.push(step);
  }
  return steps;
}

function readStep(r: ConfigReader, item: Field, captured: ReadonlySet<string>): SmokeStep | undefined {
  const f = r.fields(item, STEP_KEYS);
  if (!f) return undefined;
  if (r.isAbsent(item)) {
    r.report(item, 'empty step; give it a name and a request (method, path, ...) or a command');
    return undefined;
  }
  const name = r.string(f.name, { required: 'every step needs a name' });
  const refs = (at: Field, text: string | undefined): void => {
    for (const m of text?.matchAll(CAPTURE_REF) ?? []) {
      if (!captured.has(m[1]!)) r.report(at, `{${m[1]}} is not captured by an earlier step`);
    }
  };
  if (!r.isAbsent(f.command)) {
    const extra = REQUEST_KEYS.find((k) => !r.isAbsent(f[k]));
    if (extra) r.report(f[extra], 'a step runs either a command or a request, not both', 'key');
    const command = isSeq(f.command.node) ? r.stringList(f.command) : r.string(f.command);
    if (command === undefined || name === undefined) return undefined;
    if (command.length === 0) {
      r.report(f.command, 'the command is empty');
      return undefined;
    }
    for (const part of typeof command === 'string' ? [command] : command) refs(f.command, part);
    return { kind: 'command', name, command };
  }
  const method = readMethod(r, f.method);
  const path = r.string(f.path, { required: 'a request step needs a path (or give a command instead)' });
  if (path !== undefined && !path.startsWith('/')) r.report(f.path, `"${path}" must start with /`);
  refs(f.path, path);
  const headers = r.stringMap(f.headers, refs);
  const query = r.stringMap(f.query, refs);
  const formAndJson = !r.isAbsent(f.form) && !r.isAbsent(f.json);
  if (formAndJson) r.report(f.json, 'a request sends either form or json, not both', 'key');
  const form = r.isAbsent(f.form) ? undefined : r.stringMap(f.form, refs);
  const json = r.isAbsent(f.json) ? undefined : r.value(f.json, refs);
  const expect = readExpect(r, f.expect);
  const capture = readCapture(r, f.capture);
  if (name === undefined || path === undefined || method === undefined || !path.startsWith('/') || formAndJson) return undefined;
  return {
    kind: 'request',
    name,
    method,
    path,
    headers,
    query,
    ...(form ? { form } : {}),
    ...(json !== undefined ? { json } : {}),
    expect,
    capture,
  };
}

function readMethod(r: ConfigReader, field: Field): HttpMethod | undefined {
  if (r.isAbsent(field)) return 'GET';
  const s = r.string(field);
  if (s === undefined) return undefined;
  const upper = s.toUpperCase();
  if ((HTTP_METHODS as readonly string[]).includes(upper)) return upper as HttpMethod;
  r.report(field, `"${s}" is not an HTTP method (${HTTP_METHODS.join(', ')})`);
  return undefined;
}

function readExpect(r: ConfigReader, field: Field): SmokeExpect {
  const f = r.fields(field, ['status', 'body', 'json'] as const);
  const out: SmokeExpect = {};
  if (!f) return out;
  if (!r.isAbsent(f.status)) {
    const codes = (isSeq(f.status.node) ? r.items(f.status) : [f.status]).map((s) => r.integer(s, { min: 100, max: 599 }));
    if (codes.every((c) => c !== undefined)) out.status = codes as number[];
  }
  const body = r.string(f.body);
  if (body !== undefined) out.body = body;
  if (!r.isAbsent(f.json)) out.json = r.value(f.json);
  return out;
}

function readCapture(r: ConfigReader, field: Field): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, child] of r.entries(field)) {
    if (!CAPTURE_NAME.test(name)) {
      r.report(child, `"${name}" cannot be a capture name (letters, digits and _)`, 'key');
      continue;
    }
    const source = r.string(child, { required: 'say where the value comes from: json.<key>, header.<Name> or body' });
    if (source === undefined) continue;
    if (!CAPTURE_SOURCE.test(source)) {
      r.report(child, `"${source}" is not a capture source: json, json.<key>[<n>]..., header.<Name> or body`);
      continue;
    }
    out[name] = source;
  }
  return out;
}

function positive(r: ConfigReader, field: Field, ms: number | undefined): number | undefined {
  if (ms === 0) {
    r.report(field, 'must be longer than 0');
    return undefined;
  }
  return ms;
}
