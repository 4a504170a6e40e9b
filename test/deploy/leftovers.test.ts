import { describe, expect, it } from 'vitest';
import { formatLeftovers, tagLeftovers, unrestoredLeftovers } from '../../src/deploy/leftovers.ts';
import type { TagRevert } from '../../src/deploy/target-tags.ts';
import type { Snapshot } from '../../src/kube/apply/snapshot.ts';

const PREV = `sha256:${'a'.repeat(64)}`;
const OURS = `sha256:${'b'.repeat(64)}`;

function revert(result: TagRevert['result'], over: Partial<TagRevert> = {}): TagRevert {
  return { image: 'web', repository: 'us-docker.pkg.dev/acme/apps/invoice', tag: 'dev', digest: OURS, previousDigest: PREV, moved: true, result, ...over };
}

describe('tagLeftovers', () => {
  it('leaves out tags that are back, and tags someone else moved (theirs now)', () => {
    expect(tagLeftovers([revert({ status: 'restored', digest: PREV }), revert({ status: 'moved-by-someone-else', current: PREV }), revert({ status: 'deleted' })])).toEqual([]);
  });

  it('gives the skopeo and crane commands that put a tag back on its previous digest', () => {
    const [left] = tagLeftovers([revert({ status: 'failed', message: 'registry us-docker.pkg.dev: PUT: 503' })]);
    expect(left).toEqual({
      what: `us-docker.pkg.dev/acme/apps/invoice:dev could not be reverted to ${PREV}: registry us-docker.pkg.dev: PUT: 503`,
      commands: [
        `skopeo copy --all docker://us-docker.pkg.dev/acme/apps/invoice@${PREV} docker://us-docker.pkg.dev/acme/apps/invoice:dev`,
        `# or: crane tag us-docker.pkg.dev/acme/apps/invoice@${PREV} dev`,
      ],
    });
  });

  it('adds the tools\' TLS flags for a registry reached without TLS verification', () => {
    const [left] = tagLeftovers([revert({ status: 'failed', message: 'down' }, { repository: '127.0.0.1:5000/web' })], (r) => r.startsWith('127.0.0.1'));
    expect(left!.commands).toEqual([
      `skopeo copy --all --src-tls-verify=false --dest-tls-verify=false docker://127.0.0.1:5000/web@${PREV} docker://127.0.0.1:5000/web:dev`,
      `# or: crane tag --insecure 127.0.0.1:5000/web@${PREV} dev`,
    ]);
  });

  it('says why a tag that did not exist before cannot simply be removed', () => {
    const [left] = tagLeftovers([revert({ status: 'not-removed', current: OURS, reason: 'the Distribution API deletes manifests by digest only' }, { previousDigest: undefined })]);
    expect(left!.what).toContain(`is still on ${OURS}: the Distribution API deletes manifests by digest only`);
    expect(left!.commands).toEqual([expect.stringMatching(/^# the tag did not exist before the run/)]);
  });
});

describe('unrestoredLeftovers', () => {
  const ref = (kind: string, name: string, apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1') => ({ apiVersion, kind, name, namespace: 'invoice-dev' });
  const snapshot: Snapshot = {
    takenAt: '2025-01-01T00:00:00Z',
    entries: [
      { ref: ref('ConfigMap', 'web-config'), previous: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'invoice-dev' } } },
      { ref: ref('Deployment', 'web'), previous: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'invoice-dev' } } },
      { ref: ref('Secret', 'web-token') },
      { ref: ref('Deployment', 'worker') },
    ],
  };

  it('re-applies the saved previous objects, waits for the workloads, and deletes what the run created (never a Secret)', () => {
    expect(unrestoredLeftovers(snapshot, '/tmp/rollgate-restore-dev-x/previous.yaml', 'gke_dev', 'connection refused')).toEqual([
      {
        what: 'the objects this run changed are not restored (connection refused): ConfigMap invoice-dev/web-config, Deployment invoice-dev/web',
        commands: [
          'kubectl --context gke_dev -n invoice-dev apply --server-side --force-conflicts --field-manager=rollgate -f /tmp/rollgate-restore-dev-x/previous.yaml',
          'kubectl --context gke_dev -n invoice-dev rollout status deployment.apps/web',
        ],
      },
      { what: 'objects this run created may still exist: Deployment invoice-dev/worker', commands: ['kubectl --context gke_dev -n invoice-dev delete --ignore-not-found deployment.apps/worker'] },
    ]);
  });

  it('falls back to rollout undo when there is no saved file', () => {
    const [changed] = unrestoredLeftovers(snapshot, undefined, undefined, 'no cluster connection');
    expect(changed!.commands).toEqual(['kubectl -n invoice-dev rollout undo deployment.apps/web']);
  });

  it('prints each leftover with its commands under it', () => {
    expect(formatLeftovers([{ what: 'tag dev not reverted', commands: ['skopeo copy a b'] }])).toBe('The revert did not finish. Left to do, by hand:\n  - tag dev not reverted\n      skopeo copy a b');
  });
});
