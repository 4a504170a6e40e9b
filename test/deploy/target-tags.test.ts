import { describe, expect, inject, it } from 'vitest';
import { confirmTargetTags, currentManifest, isRestored, previousOf, movesBeforeVerify, moveTargetTag, revertTargetTags, TagMovedError, type TargetTag } from '../../src/deploy/target-tags.ts';
import { RegistryError } from '../../src/registry/registry-error.ts';
import type { Registry, RevertResult } from '../../src/registry/types.ts';
import { OciRegistry } from '../../src/registry/oci-client.ts';
import { startFaultProxy } from '../sandbox/fault-proxy.ts';
import { pushImage, tagDigest, uniqueRepository } from '../registry/images.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;

function tag(over: Partial<TargetTag> = {}): TargetTag {
  return { image: 'web', repository: 'registry.example/acme/web', tag: 'dev', digest: B, previousDigest: A, moved: true, ...over };
}

/** A registry that records the calls the code under test makes; anything else is a test error. */
function fakeRegistry(answers: Partial<Registry>): Registry & { calls: string[] } {
  const calls: string[] = [];
  const unexpected = (name: string) => () => {
    throw new Error(`unexpected call ${name}`);
  };
  return {
    calls,
    resolve: answers.resolve ?? unexpected('resolve'),
    moveTag: async (...args) => {
      calls.push(`moveTag ${args.join(' ')}`);
      return answers.moveTag?.(...args);
    },
    revertTag: async (...args) => {
      calls.push(`revertTag ${args.join(' ')}`);
      return answers.revertTag!(...args);
    },
    listTags: unexpected('listTags'),
    getManifest: answers.getManifest ?? unexpected('getManifest'),
    getBlob: unexpected('getBlob'),
  };
}

describe('movesBeforeVerify', () => {
  it.each([
    ['before-verify', A, true],
    ['before-verify', undefined, false],
    ['after-verify', A, false],
    ['after-verify', undefined, false],
  ] as const)('%s with previous digest %s: %s', (policy, previousDigest, expected) => {
    expect(movesBeforeVerify(policy, previousDigest ? { previousDigest } : {})).toBe(expected);
  });
});

describe('currentManifest', () => {
  it('is the manifest under the tag, or undefined for a 404, and rethrows anything else', async () => {
    const found = fakeRegistry({ getManifest: async () => ({ digest: A, mediaType: 'x', bytes: Buffer.from('{}') }) });
    expect((await currentManifest(found, 'r/web', 'dev'))?.digest).toBe(A);
    expect(previousOf(await currentManifest(found, 'r/web', 'dev'))).toEqual({ previousDigest: A, previousManifest: { mediaType: 'x', bytes: Buffer.from('{}').toString('base64') } });
    const missing = fakeRegistry({ getManifest: async () => Promise.reject(new RegistryError({ host: 'r', request: 'GET', outcome: '404 Not Found', status: 404 })) });
    expect(await currentManifest(missing, 'r/web', 'dev')).toBeUndefined();
    expect(previousOf(undefined)).toEqual({});
    const denied = fakeRegistry({ getManifest: async () => Promise.reject(new RegistryError({ host: 'r', request: 'GET', outcome: '401', status: 401 })) });
    await expect(currentManifest(denied, 'r/web', 'dev')).rejects.toThrow('401');
  });

  it('lets a revert from a new process (a post step, a later job) cost three registry requests, as in the run', async () => {
    const host = inject('registryHost');
    const proxy = await startFaultProxy(`http://${host}`);
    try {
      const path = uniqueRepository('saved-revert');
      const v1 = await pushImage(host, path, 'v1');
      const v2 = await pushImage(host, path, 'v2');
      const repository = `${proxy.host}/${path}`;
      const run = new OciRegistry({});
      await run.moveTag(repository, 'dev', v1.digest);
      // The run records the previous manifest, moves the tag, and saves both in its restore state (JSON).
      const recorded = JSON.parse(JSON.stringify(tag({ repository, digest: v2.digest, ...previousOf(await currentManifest(new OciRegistry({}), repository, 'dev')) }))) as TargetTag;
      await run.moveTag(repository, 'dev', v2.digest);
      proxy.reset();
      const [reverted] = await revertTargetTags([recorded], async () => new OciRegistry({}));
      expect(reverted!.result).toEqual({ status: 'restored', digest: v1.digest });
      expect(proxy.requests.map((r) => r.method)).toEqual(['HEAD', 'PUT', 'HEAD']);
      expect(await tagDigest(host, path, 'dev')).toBe(v1.digest);
    } finally {
      await proxy.close();
    }
  });
});

describe('moveTargetTag', () => {
  const at = (digest: string | undefined): Partial<Registry> => ({ resolve: async () => (digest ? { digest, mediaType: 'x', size: 2 } : undefined) });

  it('moves a tag still where the run found it and marks it moved; a tag already on the digest is not touched', async () => {
    const registry = fakeRegistry(at(A));
    const elsewhere = tag({ moved: false });
    await moveTargetTag(registry, elsewhere);
    const already = tag({ moved: false, previousDigest: B });
    await moveTargetTag(registry, already);
    expect(registry.calls).toEqual([`moveTag registry.example/acme/web dev ${B}`]);
    expect([elsewhere.moved, already.moved]).toEqual([true, false]);
  });

  it('creates the tag of a first deploy only while it still does not exist', async () => {
    const registry = fakeRegistry(at(undefined));
    const first = tag({ moved: false, previousDigest: undefined });
    await moveTargetTag(registry, first);
    expect(registry.calls).toEqual([`moveTag registry.example/acme/web dev ${B}`]);
    expect(first.moved).toBe(true);
  });

  it.each([
    ['moved elsewhere', A, C, C],
    ['deleted', A, undefined, 'nothing (deleted)'],
    ['created by someone else on a first deploy', undefined, C, C],
  ] as const)('leaves a tag %s since the run recorded it alone, naming where it points', async (_, previousDigest, current, named) => {
    const registry = fakeRegistry(at(current));
    const mine = tag({ moved: false, previousDigest });
    const error = await moveTargetTag(registry, mine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TagMovedError);
    expect((error as Error).message).toBe(`registry.example/acme/web:dev was moved by someone else to ${named} during the run; it is left to them`);
    expect(registry.calls).toEqual([]);
    expect(mine.moved).toBe(false);
  });
});

describe('confirmTargetTags', () => {
  it('passes when every tag the run moved still points at its digest, asking only about those', async () => {
    const asked: string[] = [];
    const registry = fakeRegistry({ resolve: async (repository) => (asked.push(repository), { digest: B, mediaType: 'x', size: 2 }) });
    await confirmTargetTags([tag({ repository: 'r/web' }), tag({ repository: 'r/worker', moved: false })], async () => registry);
    expect(asked).toEqual(['r/web']);
  });

  it('throws TagMovedError for a tag moved elsewhere since the run moved it', async () => {
    const registry = fakeRegistry({ resolve: async () => ({ digest: C, mediaType: 'x', size: 2 }) });
    await expect(confirmTargetTags([tag()], async () => registry)).rejects.toThrow(new TagMovedError(tag(), C));
  });
});

describe('revertTargetTags', () => {
  it('reverts only the tags this run moved, each by compare-and-swap, and reports a failure per tag instead of throwing', async () => {
    const answers: Record<string, () => Promise<RevertResult>> = {
      'acme/web': async () => ({ status: 'restored', digest: A }),
      'acme/worker': async () => ({ status: 'moved-by-someone-else', current: A }),
      'acme/jobs': async () => Promise.reject(new Error('registry down')),
    };
    const registry = fakeRegistry({ revertTag: (repository) => answers[repository.replace('registry.example/', '')]!() });
    const tags = [
      tag({ repository: 'registry.example/acme/web' }),
      tag({ image: 'worker', repository: 'registry.example/acme/worker' }),
      tag({ image: 'jobs', repository: 'registry.example/acme/jobs' }),
      tag({ image: 'cron', repository: 'registry.example/acme/cron', moved: false }),
    ];
    const reverts = await revertTargetTags(tags, async () => registry);
    expect(registry.calls.sort()).toEqual(['acme/jobs', 'acme/web', 'acme/worker'].map((r) => `revertTag registry.example/${r} dev ${B} ${A}`));
    expect(reverts.map((r) => [r.image, r.result.status, isRestored(r)])).toEqual([
      ['web', 'restored', true],
      ['worker', 'moved-by-someone-else', false],
      ['jobs', 'failed', false],
    ]);
    expect(reverts[2]!.result).toEqual({ status: 'failed', message: 'registry down' });
  });
});
