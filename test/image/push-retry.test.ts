import { describe, expect, it } from 'vitest';
import { PushFailedError } from '../../src/image/builder.ts';
import { isTransientPushFailure, pushWithRetry } from '../../src/image/push-retry.ts';
import { recordingLogger } from '../kube/tracker-cluster.ts';

const failed = (...output: string[]) => new PushFailedError('web', 'registry.example/acme/web:v2', output, 1);

describe('isTransientPushFailure', () => {
  it.each([
    ['docker, a 503 on the manifest PUT', failed('received unexpected HTTP status: 503 Service Unavailable'), true],
    ['docker, rate limited', failed('toomanyrequests: too many requests'), true],
    ['buildah, a reset connection', failed('writing manifest: read tcp 127.0.0.1:5000: connection reset by peer'), true],
    ['a gateway timing out', failed('received unexpected HTTP status: 504 Gateway Time-out'), true],
    ['refused credentials', failed('unauthorized: authentication required'), false],
    ['a repository that does not exist', failed('name unknown: repository name not known to registry'), false],
    ['a manifest the registry rejects', failed('manifest invalid: manifest invalid'), false],
  ])('%s: %s', (_, err, transient) => {
    expect(isTransientPushFailure(err)).toBe(transient);
  });
});

describe('pushWithRetry', () => {
  const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };

  it('pushes again after transient failures and returns what the push that worked returned, saying so in the log', async () => {
    const log = recordingLogger();
    const answers = [failed('503 Service Unavailable'), failed('503 Service Unavailable'), 'pushed'];
    const result = await pushWithRetry(async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    }, { image: 'web', logger: log, policy });
    expect(result).toBe('pushed');
    expect(log.lines).toEqual([
      expect.stringMatching(/^warning: image web: the push failed for now \(image web: push of registry\.example\/acme\/web:v2 failed \(exit code 1\)\); pushing again in \d+ ms \(attempt 2 of 3\)$/),
      expect.stringMatching(/attempt 3 of 3\)$/),
    ]);
  });

  it('gives up after the last attempt with the last failure', async () => {
    let attempts = 0;
    const last = failed('503 Service Unavailable', 'attempt 3');
    const push = () => Promise.reject(++attempts === 3 ? last : failed('503 Service Unavailable'));
    await expect(pushWithRetry(push, { image: 'web', logger: recordingLogger(), policy })).rejects.toBe(last);
    expect(attempts).toBe(3);
  });

  it('does not repeat a push that failed for good, nor one the run cancelled', async () => {
    let attempts = 0;
    const denied = failed('unauthorized: authentication required');
    await expect(pushWithRetry(() => Promise.reject((attempts++, denied)), { image: 'web', logger: recordingLogger(), policy })).rejects.toBe(denied);
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(pushWithRetry(() => Promise.reject((attempts++, failed('503'))), { image: 'web', logger: recordingLogger(), policy, signal: cancelled.signal })).rejects.toThrow('push of');
    expect(attempts).toBe(2);
  });
});
