import { describe, expect, it } from 'vitest';
import type { RegistrySettings } from '../../src/config/types.ts';
import { endpointFor, isLoopback, parseRepository } from '../../src/registry/endpoint.ts';

describe('endpointFor', () => {
  const registries: Record<string, RegistrySettings> = {
    'harbor.internal:8443': { insecure: true },
    'ghcr.io': { insecure: false, endpoint: 'https://mirror.example.com/ghcr/' },
    'lab.example': { insecure: true, endpoint: 'https://10-lab.example' },
  };
  it.each([
    ['quay.io', 'https://quay.io', true],
    ['us-docker.pkg.dev', 'https://us-docker.pkg.dev', true],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000', false],
    ['127.1.2.3', 'http://127.1.2.3', false],
    ['localhost:5000', 'http://localhost:5000', false],
    ['[::1]:5000', 'http://[::1]:5000', false],
    ['harbor.internal:8443', 'http://harbor.internal:8443', false],
    ['harbor.internal', 'https://harbor.internal', true], // settings are per host:port as written
    ['128.0.0.1:5000', 'https://128.0.0.1:5000', true],
    ['localhost.example.com', 'https://localhost.example.com', true],
    ['docker.io', 'https://registry-1.docker.io', true],
  ])('%s -> %s (verify TLS: %s)', (host, baseUrl, verifyTls) => {
    expect(endpointFor(host, registries)).toEqual({ baseUrl, verifyTls });
  });

  it('uses a configured endpoint, keeping its path', () => {
    expect(endpointFor('ghcr.io', registries)).toEqual({ baseUrl: 'https://mirror.example.com/ghcr', verifyTls: true });
  });

  it('turns TLS verification off for an https endpoint of an insecure host', () => {
    expect(endpointFor('lab.example', registries)).toEqual({ baseUrl: 'https://10-lab.example', verifyTls: false });
  });

  it('rejects an endpoint that is not http(s)', () => {
    expect(() => endpointFor('x.example', { 'x.example': { insecure: false, endpoint: 'ftp://x.example' } })).toThrow(
      'registries.x.example.endpoint must be an http(s) URL, got ftp://x.example',
    );
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true], ['127.255.0.9:80', true], ['localhost', true], ['LOCALHOST:1', true], ['[::1]', true],
    ['[::1]:5000', true], ['10.0.0.1', false], ['127.0.0.1.nip.io', false], ['[::2]:5000', false],
  ])('%s: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});

describe('parseRepository', () => {
  it.each([
    ['127.0.0.1:5000/acme/web', { host: '127.0.0.1:5000', path: 'acme/web' }],
    ['us-docker.pkg.dev/acme/apps/invoice', { host: 'us-docker.pkg.dev', path: 'acme/apps/invoice' }],
    ['nginx', { host: 'docker.io', path: 'library/nginx' }],
  ])('%s', (repository, expected) => {
    expect(parseRepository(repository)).toEqual(expected);
  });

  it('refuses a repository with a tag', () => {
    expect(() => parseRepository('ghcr.io/acme/web:dev')).toThrow('repository "ghcr.io/acme/web:dev" must not carry a tag or digest (expected ghcr.io/acme/web)');
  });
});
