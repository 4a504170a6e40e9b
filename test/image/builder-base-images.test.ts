import { describe, expect, it } from 'vitest';
import { baseImageHosts, baseImages } from '../../src/image/builder-base-images.ts';

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG BASE_IMAGE=docker.io/library/python:3.12-slim
ARG NODE=node:20
FROM --platform=$BUILDPLATFORM \${NODE} AS assets
RUN npm ci

FROM \${BASE_IMAGE} AS build
RUN pip wheel \\
    --wheel-dir /wheels -r requirements.txt

from build as test
FROM scratch AS empty
FROM \${REGISTRY:-127.0.0.1:5000}/tools/migrate:2 AS migrate
FROM build
COPY --from=assets /app/dist /app/static
`;

describe('baseImages', () => {
  it('lists the images FROM lines pull, with build arguments and ARG defaults substituted', () => {
    expect(baseImages(DOCKERFILE, { BASE_IMAGE: 'reg.example/base/python:3.12' })).toEqual([
      'node:20',
      'reg.example/base/python:3.12',
      '127.0.0.1:5000/tools/migrate:2',
    ]);
  });
});

describe('baseImageHosts', () => {
  it('gives each registry once, docker.io for short names', () => {
    expect(baseImageHosts(DOCKERFILE)).toEqual(['docker.io', '127.0.0.1:5000']);
  });
});
