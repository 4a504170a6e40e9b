// Pull errors as Docker, containerd and registries word them: the image's fault, or the network's?
import { describe, expect, it } from 'vitest';
import { backOffCause, classifyPullError, pullEventCause } from '../../../src/kube/rollout/pull-errors.ts';

describe('classifyPullError', () => {
  it.each([
    ['ErrImagePull', 'rpc error: code = Unknown desc = Error response from daemon: manifest for nginx:1.13-invalid not found: manifest unknown: manifest unknown', 'permanent'],
    ['ErrImagePull', 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found', 'permanent'],
    ['ErrImagePull', 'rpc error: code = Unknown desc = Error response from daemon: pull access denied for invoice, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied', 'permanent'],
    ['ErrImagePull', 'failed to pull and unpack image "us-docker.pkg.dev/acme/apps/invoice:dev": failed to resolve reference: unexpected status from HEAD request: 401 Unauthorized', 'permanent'],
    ['ErrImagePull', 'failed to authorize: failed to fetch oauth token: unexpected status: 403 Forbidden', 'permanent'],
    ['ErrImagePull', 'name unknown: Repository "apps" not found', 'permanent'],
    ['InvalidImageName', 'Failed to apply default image tag "Web:1": couldn\'t parse image name "Web:1": invalid reference format: repository name must be lowercase', 'permanent'],
    ['ErrImageNeverPull', 'Container image "invoice:dev" is not present with pull policy of Never', 'permanent'],
    ['ErrImagePull', 'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading', 'transient'],
    ['ErrImagePull', 'unexpected status code [manifests dev]: 429 Too Many Requests', 'transient'],
    ['ErrImagePull', 'failed to do request: Head "https://registry-1.docker.io/v2/library/busybox/manifests/1.36.1": dial tcp 202.53.137.209:443: i/o timeout', 'transient'],
    ['ErrImagePull', 'read tcp 10.2.0.49:42728->23.20.95.219:443: read: connection reset by peer', 'transient'],
    ['ErrImagePull', 'Get https://registry-1.docker.io/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)', 'transient'],
    ['ErrImagePull', 'received unexpected HTTP status: 503 Service Unavailable', 'transient'],
    ['RegistryUnavailable', 'image pull failed for invoice:dev because the registry is unavailable', 'transient'],
    ['ErrImagePull', 'something nobody has seen before', 'transient'],
    ['ImagePullBackOff', undefined, 'transient'],
  ] as const)('%s %j -> %s', (reason, message, kind) => {
    expect(classifyPullError(reason, message)).toBe(kind);
  });
});

describe('where the cause is written', () => {
  it.each([
    ['Back-off pulling image "nginx:nope"', undefined],
    ['Back-off pulling image "nginx:nope": ErrImagePull: docker.io/library/nginx:nope: not found', 'ErrImagePull: docker.io/library/nginx:nope: not found'],
  ])('backOffCause(%j)', (message, cause) => {
    expect(backOffCause(message)).toBe(cause);
  });

  it('pullEventCause reads the kubelet Failed event', () => {
    expect(pullEventCause('Failed to pull image "nginx:nope": rpc error: code = NotFound desc = not found')).toBe('rpc error: code = NotFound desc = not found');
    expect(pullEventCause('Error: ErrImagePull')).toBeUndefined();
  });
});
