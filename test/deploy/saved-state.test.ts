import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadSavedDeploy, SavedState } from '../../src/deploy/saved-state.ts';
import { InputError } from '../../src/errors.ts';
import type { Snapshot } from '../../src/kube/apply/snapshot.ts';

const temp = mkdtempSync(join(tmpdir(), 'rollgate-saved-state-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const base = { environment: 'dev', namespace: 'invoice-dev', context: 'gke_dev', server: 'https://10.0.0.1', startedAt: '2025-01-01T00:00:00.000Z', tags: [] };
const snapshot: Snapshot = {
  takenAt: '2025-01-01T00:00:01.000Z',
  entries: [
    { ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'web-config', namespace: 'invoice-dev' }, previous: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'invoice-dev' }, data: { greeting: 'hi' } } },
    { ref: { apiVersion: 'v1', kind: 'Secret', name: 'web-token', namespace: 'invoice-dev' }, previous: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-token', namespace: 'invoice-dev' }, data: { token: 'czNjcmV0' } } },
    { ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker', namespace: 'invoice-dev' } },
  ],
};

describe('SavedState', () => {
  it('writes state.json 0600 in a 0700 folder of RUNNER_TEMP, and previous.yaml for kubectl without Secrets', async () => {
    const state = await SavedState.create(base, { RUNNER_TEMP: temp });
    const file = await state.save({ snapshot, applying: true });

    expect(dirname(dirname(file))).toBe(temp);
    expect(statSync(state.dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(state.previousObjectsFile).mode & 0o777).toBe(0o600);
    expect(await loadSavedDeploy(file)).toEqual({ version: 1, ...base, snapshot, applying: true });
    const docs = parseAllDocuments(readFileSync(state.previousObjectsFile, 'utf8')).map((d) => d.toJS());
    expect(docs).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'invoice-dev' }, data: { greeting: 'hi' } }]);
    await state.remove();
  });

  it('refuses a temp folder inside the workspace, where a build context could pick up Secret data', async () => {
    await expect(SavedState.create(base, { RUNNER_TEMP: join(temp, 'ws', 'tmp'), GITHUB_WORKSPACE: join(temp, 'ws') })).rejects.toThrow(InputError);
  });

  it('says what is wrong with a file that is not a saved state', async () => {
    await expect(loadSavedDeploy(join(temp, 'nowhere.json'))).rejects.toThrow(/cannot read the saved restore state .*nowhere\.json/);
  });
});
