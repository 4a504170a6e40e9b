import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateInConfig } from '../../src/config/locate.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollgate-locate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'rollgate.yml');
writeFileSync(file, `images:
  web: { repository: reg.example.com/team/web }
tags: ["{version}"]
environments:
  dev:
    namespace: app-dev
  "odd name":
    namespace: odd
`);

describe('locateInConfig', () => {
  it.each([
    ['environments.dev.namespace', 6, 5],
    ['images.web', 2, 3],
    ['tags', 3, 1],
    // The deepest key the file has: dev lists no manifests of its own.
    ['environments.dev.manifests', 5, 3],
    ['environments["odd name"].namespace', 8, 5],
  ])('finds %s at line %i', (field, line, column) => {
    expect(locateInConfig([{ field, message: 'm' }], file)).toEqual([{ field, message: 'm', file, line, column }]);
  });

  it('leaves alone what is not in the file, and what is already located', () => {
    const problems = [{ field: 'version', message: 'm' }, { message: 'no field' }, { file: 'k8s/web.yaml', line: 3, field: 'metadata.name', message: 'm' }];
    expect(locateInConfig(problems, file)).toEqual(problems);
  });
});
