// The bad-input corpus (cases.ts) against the real entries and real stand-ins: each case exits 2, names the file,
// line and field of its mistake (the flag or input where there is no file), and writes nothing to the registry or
// the cluster. Two controls keep the assertions honest: the base project is valid, and the stand-ins do count the
// writes of a run that gets past validation.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pushImage } from '../registry/images.ts';
import { CASES, DEPLOY, KINDS, type Case } from './cases.ts';
import { replace, startCorpus, type Corpus, type Output } from './harness.ts';

let corpus: Corpus;
beforeAll(async () => {
  corpus = await startCorpus({ dir: mkdtempSync(join(inject('sandboxDir'), 'corpus-')), registryHost: inject('registryHost') });
});
afterAll(() => corpus?.stop());

/** The problems a run printed, one per line, as formatProblem wrote them (`file:line:col: field: message`). */
function problemLines(out: Output, action: boolean): string[] {
  if (action) return out.stdout.split('\n').filter((l) => l.startsWith('::error')).map((l) => l.replace(/^::error[^:]*::/, ''));
  return out.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The line a problem at `at` is printed as, up to its message. */
function located(project: string, [file, line, field]: Case['at']): RegExp {
  const where = file === null ? '' : `${escape(join(project, file))}${line === null ? '' : `:${line}(:\\d+)?`}: `;
  return new RegExp(`^${where}${field === null ? '' : `${escape(field)}: `}(?<message>.*)$`);
}

describe('the base project', () => {
  it('is valid, and validating it asks nothing of the registry or the cluster', async () => {
    corpus.reset();
    const out = await corpus.cli(corpus.project('base'), ['validate']);
    expect(out.code, out.stderr).toBe(0);
    expect(corpus.requests()).toEqual({ registry: [], cluster: [] });
  });

  it('deployed past validation, writes to both stand-ins, where the cases must not', async () => {
    // A repository of its own with dev and stg on different digests, so promoting moves the stg tag before the
    // rollout; the API emulator runs no pods, so the rollout times out and the run reverts: writes to both.
    const host = inject('registryHost');
    await pushImage(host, 'corpus/control', 'dev');
    await pushImage(host, 'corpus/control', 'stg');
    const project = corpus.project('control', {
      'rollgate.yml': replace('registry.corpus.test/corpus/web\n', 'registry.corpus.test/corpus/control\n'),
      'k8s/web.yaml': replace('registry.corpus.test/corpus/web:dev', 'registry.corpus.test/corpus/control:dev'),
    });
    corpus.reset();
    const out = await corpus.cli(project, ['promote', '--from', 'dev', '--to', 'stg', '--rollout-timeout', '1s']);
    expect(out.code, out.stderr + out.stdout).toBe(1);
    const writes = corpus.writes();
    expect(writes.registry.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/stg')).length).toBeGreaterThan(0);
    expect(writes.cluster.filter((r) => r.method === 'PATCH' && r.path.includes('/namespaces/corpus-stg/')).length).toBeGreaterThan(0);
  });
});

describe.each(KINDS)('bad %s', (kind) => {
  it.each(CASES.filter((c) => c.kind === kind))('$name', async (c) => {
    const project = corpus.project(c.name, c.files);
    corpus.reset();
    let out: Output;
    if (c.action) {
      const ran = await corpus.action(project, c.action, c.env);
      expect(ran.outputs, 'the outcome output').toMatch(/^outcome<<(.+)\ninvalid\n\1$/m);
      out = ran;
    } else {
      out = await corpus.cli(project, c.argv ?? DEPLOY, c.env);
      expect(out.stderr).toContain('rollgate: invalid input (nothing was changed):');
    }
    const printed = `${out.stderr}${out.stdout}`;
    expect(out.code, printed).toBe(2);
    const pattern = located(project, c.at);
    const messages = problemLines(out, c.action !== undefined).flatMap((line) => pattern.exec(line)?.groups?.message ?? []);
    expect(messages, `no problem at ${JSON.stringify(c.at)} in:\n${printed}`).not.toEqual([]);
    expect(messages.some((m) => m.includes(c.says)), `"${c.says}" in:\n${printed}`).toBe(true);

    expect(corpus.writes(), 'writes').toEqual({ registry: [], cluster: [] });
    const requests = corpus.requests();
    const reads = c.reads ?? [];
    expect(requests.registry.length > 0, 'asked the registry').toBe(reads.includes('registry'));
    expect(requests.cluster.length > 0, 'asked the cluster').toBe(reads.includes('cluster'));
  });
});
