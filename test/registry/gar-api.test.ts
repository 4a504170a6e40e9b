import { describe, expect, it } from 'vitest';
import { apiTarget } from '../../src/registry/gar-api.ts';

describe('Artifact Registry API endpoint', () => {
  it.each([
    [undefined, { protocol: 'https', host: 'artifactregistry.googleapis.com', port: 443 }],
    ['us-central1-artifactregistry.googleapis.com', { protocol: 'https', host: 'us-central1-artifactregistry.googleapis.com', port: 443 }],
    ['https://artifactregistry.example.internal:8443/', { protocol: 'https', host: 'artifactregistry.example.internal', port: 8443 }],
    ['http://127.0.0.1:40123', { protocol: 'http', host: '127.0.0.1', port: 40123 }],
    ['http://[::1]:40123', { protocol: 'http', host: '[::1]', port: 40123 }],
  ])('reaches %s as host, port and protocol', (endpoint, expected) => {
    expect(apiTarget(endpoint)).toEqual(expected);
  });

  it.each([
    ['https://proxy.example.com/artifactregistry', /must be a base URL without a path/],
    ['ftp://artifactregistry.googleapis.com', /must be an http\(s\) URL/],
    ['http://', /is not a URL/],
  ])('refuses %s', (endpoint, message) => {
    expect(() => apiTarget(endpoint)).toThrow(message);
  });
});
