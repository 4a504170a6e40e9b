// The copied recordings are the shared ones, byte for byte, and each keeps its provenance row.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, loadOne, provenance, substituteNow } from './fixtures.ts';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [relative(FIXTURES, join(dir, e.name))],
  );
}

const recordings = files(FIXTURES).filter((f) => f !== 'README.md' && f !== 'PROVENANCE.tsv');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(join(FIXTURES, path))).digest('hex');
const recordedSha = new Map(
  readFileSync(join(FIXTURES, 'PROVENANCE.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).map((c) => [c[0], c.at(-1)]),
);

describe('test/fixtures/kube', () => {
  it.each(recordings)('%s is the recorded file, with its origin', (path) => {
    expect(['Apache-2.0', 'MIT']).toContain(provenance(path).license);
    expect(sha256(path)).toBe(recordedSha.get(path));
  });

  it('@now placeholders become times relative to the tests\' present', () => {
    const now = Date.parse('2030-01-01T12:00:00Z');
    expect(substituteNow('a: "@now-5m"\nb: "@now"\nc: "@now+1d"', now)).toBe(
      'a: "2030-01-01T11:55:00.000Z"\nb: "2030-01-01T12:00:00.000Z"\nc: "2030-01-02T12:00:00.000Z"',
    );
    const pod = loadOne('is-healthy/Pod/pod-crashed-once.yaml', now);
    expect(pod.status.containerStatuses[1].lastState.terminated.finishedAt).toBe('2030-01-01T11:55:00.000Z');
  });
});
