// The cluster guard as a pure function: which kubeconfig selections are refused, and how the refusal reads.
import { describe, expect, it } from 'vitest';
import { BlockedError } from '../../src/errors.ts';
import { checkClusterGuard, normalizeServerUrl } from '../../src/kube/guard.ts';

const inUse = { context: 'gke_acme_us-central1_dev', server: 'https://34.1.2.3' };

describe('checkClusterGuard', () => {
  it.each([
    ['nothing pinned', {}],
    ['the same context', { kubeContext: 'gke_acme_us-central1_dev' }],
    ['the same server, written differently', { apiServer: 'HTTPS://34.1.2.3:443/' }],
    ['context and server both matching', { kubeContext: 'gke_acme_us-central1_dev', apiServer: '34.1.2.3' }],
  ])('lets %s through', (_, pinned) => {
    expect(() => checkClusterGuard({ name: 'dev', ...pinned }, inUse)).not.toThrow();
  });

  it.each([
    [
      'another context',
      { kubeContext: 'gke_acme_us-central1_prd' },
      'cluster guard: environment "prd" expects kubeconfig context "gke_acme_us-central1_prd", but the context in use is "gke_acme_us-central1_dev"',
    ],
    [
      'another server',
      { apiServer: 'https://35.9.9.9' },
      'cluster guard: environment "prd" expects API server https://35.9.9.9, but context "gke_acme_us-central1_dev" points at https://34.1.2.3',
    ],
    [
      'the right server on another port',
      { apiServer: 'https://34.1.2.3:6443' },
      'cluster guard: environment "prd" expects API server https://34.1.2.3:6443, but context "gke_acme_us-central1_dev" points at https://34.1.2.3',
    ],
    [
      'both wrong',
      { kubeContext: 'prd', apiServer: 'https://35.9.9.9' },
      'cluster guard: environment "prd" expects kubeconfig context "prd", but the context in use is "gke_acme_us-central1_dev"; and expects API server https://35.9.9.9, but context "gke_acme_us-central1_dev" points at https://34.1.2.3',
    ],
  ])('refuses %s with BlockedError naming expected and actual', (_, pinned, message) => {
    let thrown: unknown;
    try {
      checkClusterGuard({ name: 'prd', ...pinned }, inUse);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(BlockedError);
    expect((thrown as Error).message).toBe(message);
  });
});

describe('normalizeServerUrl', () => {
  it.each([
    ['https://Example.COM/', 'https://example.com'],
    ['https://example.com:443', 'https://example.com'],
    ['http://example.com:80/', 'http://example.com'],
    ['example.com:6443', 'https://example.com:6443'],
    ['https://[::1]:6443/', 'https://[::1]:6443'],
    ['https://rancher.example.com/k8s/clusters/c-abc12/', 'https://rancher.example.com/k8s/clusters/c-abc12'],
    [' https://127.0.0.1:36443 ', 'https://127.0.0.1:36443'],
  ])('%s -> %s', (given, expected) => {
    expect(normalizeServerUrl(given)).toBe(expected);
  });
});
