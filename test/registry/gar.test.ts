// The GAR adapter against the emulator and the real registry behind it: tags move through the Artifact Registry
// API, manifests are read through the Docker API by the OCI client, exactly as against us-docker.pkg.dev.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { createGarRegistry } from '../../src/registry/gar.ts';
import { connectTagApi, type TagApi } from '../../src/registry/gar-api.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import type { Registry } from '../../src/registry/types.ts';
import { pushTinyImage, startGarEmulator, type GarEmulator } from '../sandbox/gar-emulator.ts';

const HOST = 'us-docker.pkg.dev';
const TOKEN = 'adapter-token';
const registryHost = inject('registryHost');

let emulator: GarEmulator;
let gar: Registry;

function adapter(env: Record<string, string>, connect?: () => Promise<TagApi>): Registry {
  const registries = { [HOST]: { insecure: false, endpoint: emulator.url, apiEndpoint: emulator.url } };
  const oci = new OciRegistry({ registries, dockerConfigDir: mkdtempSync(join(tmpdir(), 'rollgate-gar-')), env: {} });
  return createGarRegistry({ settings: registries[HOST], logger: silentLogger, oci, env, connect });
}

/** A fresh image in the repository with `v1` and `v2` pushed on two digests. */
async function image(repository = 'apps', nested = '') {
  const name = `${nested}invoice-${randomUUID().slice(0, 8)}`;
  const path = `acme/${repository}/${name}`;
  const v1 = await pushTinyImage(registryHost, path, 'v1', `${name}-1`);
  const v2 = await pushTinyImage(registryHost, path, 'v2', `${name}-2`);
  return { repo: `${HOST}/${path}`, path, v1, v2 };
}

/** Requests the emulator saw (both faces) while `action` ran. */
async function requestsDuring(action: () => Promise<unknown>) {
  const start = emulator.requests.length;
  await action();
  return emulator.requests.slice(start);
}

beforeAll(async () => {
  emulator = await startGarEmulator({
    registryHost,
    accessToken: TOKEN,
    repositories: [
      { project: 'acme', location: 'us', repository: 'apps' },
      { project: 'acme', location: 'us', repository: 'locked', immutableTags: true },
    ],
  });
  gar = adapter({ CLOUDSDK_AUTH_ACCESS_TOKEN: TOKEN });
});

afterAll(async () => {
  await emulator?.stop();
});

describe('GAR adapter', () => {
  it('creates a target tag, then moves it, in at most three requests each', async () => {
    const img = await image();
    const create = await requestsDuring(() => gar.moveTag(img.repo, 'dev', img.v1));
    expect((await gar.resolve(img.repo, 'dev'))?.digest).toBe(img.v1);
    const move = await requestsDuring(() => gar.moveTag(img.repo, 'dev', img.v2));
    expect((await gar.resolve(img.repo, 'dev'))?.digest).toBe(img.v2);
    expect(create.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']); // repository, tag, create
    expect(move.map((r) => r.method)).toEqual(['GET', 'PATCH']); // the repository check is remembered
    expect(move[1]?.url).toMatch(/\/tags\/dev\?updateMask=version&/);
  });

  it('reverts a moved tag when it still points at what this run set, and confirms through the Docker API', async () => {
    const img = await image();
    await gar.moveTag(img.repo, 'stg', img.v1);
    await gar.moveTag(img.repo, 'stg', img.v2);
    const revert = await requestsDuring(async () => {
      expect(await gar.revertTag(img.repo, 'stg', img.v2, img.v1)).toEqual({ status: 'restored', digest: img.v1 });
    });
    expect(revert.map((r) => `${r.api} ${r.method}`)).toEqual(['artifactregistry GET', 'artifactregistry PATCH', 'docker HEAD']);
    expect((await gar.resolve(img.repo, 'stg'))?.digest).toBe(img.v1);
  });

  it('fails loudly when the previous image is gone and the tag cannot go back', async () => {
    const img = await image();
    await gar.moveTag(img.repo, 'dev', img.v2);
    const removed = await fetch(`http://${registryHost}/v2/${img.path}/manifests/${img.v1}`, { method: 'DELETE' });
    expect(removed.status).toBe(202);
    await expect(gar.revertTag(img.repo, 'dev', img.v2, img.v1)).rejects.toThrow(
      new RegExp(`cannot put .*:dev back on ${img.v1}: .*was the previous image deleted`),
    );
    expect((await gar.resolve(img.repo, 'dev'))?.digest).toBe(img.v2);
  });

  it('removes a target tag that did not exist before the run', async () => {
    const img = await image();
    await gar.moveTag(img.repo, 'prd', img.v2);
    expect(await gar.revertTag(img.repo, 'prd', img.v2, undefined)).toEqual({ status: 'deleted' });
    expect(await gar.resolve(img.repo, 'prd')).toBeUndefined();
    expect(await gar.listTags(img.repo)).toEqual(['v1', 'v2']);
  });

  it('leaves a tag alone that someone else moved after us', async () => {
    const img = await image();
    await gar.moveTag(img.repo, 'dev', img.v2);
    const colleague = adapter({ GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN });
    await colleague.moveTag(img.repo, 'dev', img.v1);
    const revert = await requestsDuring(async () => {
      expect(await gar.revertTag(img.repo, 'dev', img.v2, undefined)).toEqual({ status: 'moved-by-someone-else', current: img.v1 });
    });
    expect(revert.map((r) => r.method)).toEqual(['GET']);
    expect((await gar.resolve(img.repo, 'dev'))?.digest).toBe(img.v1);
  });

  it.each([
    { someone: 'deletes it', tagBefore: true, calls: ['GET', 'GET', 'DELETE', 'PATCH', 'POST'] },
    { someone: 'creates it', tagBefore: false, calls: ['GET', 'GET', 'POST', 'POST', 'PATCH'] },
  ])('still moves the tag when someone $someone between our read and our write', async ({ tagBefore, calls }) => {
    const img = await image();
    if (tagBefore) await gar.moveTag(img.repo, 'dev', img.v1);
    const env = { CLOUDSDK_AUTH_ACCESS_TOKEN: TOKEN };
    const racing = adapter(env, async () => {
      const api = await connectTagApi({ apiEndpoint: emulator.url }, env, silentLogger);
      const interfere = (tag: string) => {
        const pkg = tag.slice(0, tag.indexOf('/tags/'));
        return tagBefore ? api.deleteTag(tag) : api.createTag(pkg, 'dev', `${pkg}/versions/${img.v1}`);
      };
      return {
        getRepository: (n) => api.getRepository(n),
        getTag: async (n) => {
          const seen = await api.getTag(n);
          await interfere(n);
          return seen;
        },
        createTag: (p, t, v) => api.createTag(p, t, v),
        updateTag: (n, v) => api.updateTag(n, v),
        deleteTag: (n) => api.deleteTag(n),
        listTags: (p) => api.listTags(p),
        close: () => api.close(),
      };
    });
    const requests = await requestsDuring(() => racing.moveTag(img.repo, 'dev', img.v2));
    expect(requests.map((r) => r.method)).toEqual(calls);
    expect((await gar.resolve(img.repo, 'dev'))?.digest).toBe(img.v2);
  });

  it('refuses a repository with immutable tags before anything changes', async () => {
    const img = await image('locked');
    const attempt = await requestsDuring(async () => {
      const move = gar.moveTag(img.repo, 'dev', img.v2);
      await expect(move).rejects.toThrow(InputError);
      await expect(move).rejects.toThrow(/us-docker\.pkg\.dev\/acme\/locked has immutable tags/);
    });
    expect(attempt.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['GET /v1/projects/acme/locations/us/repositories/locked']);
    expect(await gar.listTags(img.repo)).toEqual(['v1', 'v2']);
  });

  it('lists the tags of a nested image path', async () => {
    const img = await image('apps', 'team/');
    await gar.moveTag(img.repo, 'dev', img.v1);
    expect((await gar.listTags(img.repo)).sort()).toEqual(['dev', 'v1', 'v2']);
    expect(await gar.listTags(`${HOST}/acme/apps/never-pushed`)).toEqual([]);
  });

  it('rides out a transient API failure', async () => {
    const img = await image();
    emulator.failNext(2, 503);
    await gar.moveTag(img.repo, 'dev', img.v1);
    expect((await gar.resolve(img.repo, 'dev'))?.digest).toBe(img.v1);
  });

  it.each([
    ['a digest the image does not have', (img: { repo: string }) => gar.moveTag(img.repo, 'dev', `sha256:${'0'.repeat(64)}`), /no such image in the repository/],
    ['an invalid tag', (img: { repo: string; v1: string }) => gar.moveTag(img.repo, '-dev', img.v1), /"-dev" is not a valid tag/],
    ['a repository outside Artifact Registry', (img: { v1: string }) => gar.moveTag('ghcr.io/acme/invoice', 'dev', img.v1), /host must be LOCATION-docker\.pkg\.dev/],
    ['a repository that does not exist', (img: { v1: string }) => gar.moveTag(`${HOST}/acme/nope/invoice`, 'dev', img.v1), /acme\/nope .* does not exist/],
  ])('says what is wrong with %s', async (_, move, message) => {
    const img = await image();
    await expect(move(img)).rejects.toThrow(message);
  });

  it('names the API and the resource when the credentials are refused', async () => {
    const img = await image();
    const stranger = adapter({ CLOUDSDK_AUTH_ACCESS_TOKEN: 'someone-elses' });
    await expect(stranger.moveTag(img.repo, 'dev', img.v1)).rejects.toThrow(
      /Artifact Registry getRepository projects\/acme\/locations\/us\/repositories\/apps: .*invalid authentication credentials/,
    );
  });
});
