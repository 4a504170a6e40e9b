// One HTTP step of a round: fill in the captures, send with the round's cookies, judge the answer, keep what the
// step captures. A wrong answer from the app is final; a missing answer or a gateway's 502/503/504 is transient.
import type { SmokeRequestStep } from '../config/smoke-schema.ts';
import { connectionErrorCode } from '../registry/retry.ts';
import { encodePathValue, fill, fillJson, readCapture } from './captures.ts';
import { describeExpectedStatus, isTransientStatus, jsonMismatch, statusAccepted } from './expect.ts';
import { isSecretName } from './redact.ts';
import { EXCERPT_CHARS, type FailureDetail, type Round, type RunContext, type StepOutcome } from './step-outcome.ts';
import { UnsendableRequest, type SmokeTransport } from './transport.ts';

export interface RequestContext extends RunContext {
  transport: SmokeTransport;
  requestTimeoutMs: number;
}

export async function runRequestStep(step: SmokeRequestStep, round: Round, ctx: RequestContext): Promise<StepOutcome> {
  const { captures, jar } = round;
  const { redactor, clock } = ctx;
  const path = fill(step.path, captures, encodePathValue);
  const pathOnly = path.split('?')[0]!;
  const filled = (map: Record<string, string>): Array<[string, string]> => Object.entries(map).map(([k, v]) => [k, fill(v, captures)]);
  const query = new URLSearchParams(filled(step.query)).toString();
  const target = query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path;
  const headers = new Headers();
  for (const [name, value] of Object.entries(step.headers)) headers.set(name, fill(value, captures));
  let body: string | undefined;
  if (step.form) {
    body = new URLSearchParams(filled(step.form)).toString();
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
  } else if (step.json !== undefined) {
    body = JSON.stringify(fillJson(step.json, captures));
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const cookies = jar.header(pathOnly);
  if (cookies) headers.set('cookie', headers.has('cookie') ? `${headers.get('cookie')}; ${cookies}` : cookies);

  // Built when a failure is reported, so values learned from the answer itself are hidden too.
  const request = (): FailureDetail['request'] => ({ method: step.method, path: redactor.redact(target), headers: redactor.headers(headers) });
  const noAnswer = (transient: boolean, message: string): StepOutcome => ({ verdict: 'fail', transient, detail: { message: redactor.redact(message), request: request() } });

  const timeout = AbortSignal.timeout(ctx.requestTimeoutMs);
  const started = clock.now();
  let res: Response;
  let text: string;
  try {
    res = await ctx.transport.send({ method: step.method, path: target, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.any([ctx.signal, timeout]) });
    text = await res.text();
  } catch (err) {
    if (ctx.signal.aborted) return { verdict: 'cancelled' };
    if (err instanceof UnsendableRequest) return noAnswer(false, err.message);
    if (timeout.aborted) return noAnswer(true, `no answer within ${ctx.requestTimeoutMs} ms`);
    // A refused or reset connection may be a pod restarting; a certificate or URL mistake is not.
    return noAnswer(connectionErrorCode(err) !== undefined, `no answer: ${errorText(err)}`);
  }
  const latencyMs = clock.now() - started;
  for (const cookie of jar.store(res.headers.getSetCookie(), pathOnly)) redactor.learn(cookie.value);

  const fail = (transient: boolean, message: string): StepOutcome => ({
    verdict: 'fail',
    transient,
    latencyMs,
    detail: { message: redactor.redact(message), request: request(), status: res.status, responseExcerpt: redactor.redact(text).slice(0, EXCERPT_CHARS) },
  });

  if (!statusAccepted(res.status, step.expect.status)) {
    const note = ctx.transport.explain?.(res.status, text);
    return fail(isTransientStatus(res.status), `status ${res.status}, expected ${describeExpectedStatus(step.expect.status)}${note ? `: ${note}` : ''}`);
  }
  if (step.expect.body !== undefined) {
    const wanted = fill(step.expect.body, captures);
    if (!text.includes(wanted)) return fail(false, `the body does not contain "${wanted}"`);
  }
  if (step.expect.json !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(false, 'the body is not JSON');
    }
    const mismatch = jsonMismatch(fillJson(step.expect.json, captures), json);
    if (mismatch) return fail(false, `json: ${mismatch}`);
  }
  for (const [name, source] of Object.entries(step.capture)) {
    const value = readCapture(source, { headers: res.headers, body: text, cookie: (n) => jar.get(n) });
    if (typeof value === 'string') return fail(false, `capture ${name}: ${value}`);
    // A session or CSRF cookie, a `token` capture, anything a "get token" step hands out: a credential.
    if (isSecretName(name) || isSecretName(step.name) || source.startsWith('cookie.')) redactor.learn(value.text);
    captures.set(name, value);
  }
  return { verdict: 'pass', latencyMs };
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message}: ${cause}` : err.message;
}
