import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { pathAtLine, syntaxErrorPlace } from '../../src/config/yaml-paths.ts';

const CONFIG = `# comment
images:
  web:
    repository: registry.example/web
environments:
  dev:
    targetTag: dev
    namespace: corpus-dev
smoke:
  target: { service: web, port: 80 }
  steps:
    - name: home page
      path: /
      expect:
        status: 200
    - name: "log in"
      method: POST
list:
- a
- b: c
`;

describe('pathAtLine', () => {
  it.each([
    [1, undefined],
    [2, 'images'],
    [4, 'images.web.repository'],
    [8, 'environments.dev.namespace'],
    [10, 'smoke.target'],
    [12, 'smoke.steps[0].name'],
    [13, 'smoke.steps[0].path'],
    [15, 'smoke.steps[0].expect.status'],
    [17, 'smoke.steps[1].method'],
    [19, 'list[0]'],
    [20, 'list[1].b'],
  ])('line %i is %s', (line, path) => {
    expect(pathAtLine(CONFIG, line)).toBe(path);
  });

  it('does not walk into the document before a ---', () => {
    expect(pathAtLine('kind: A\nspec:\n  x: 1\n---\n  replicas: 2\n', 5)).toBe('replicas');
  });
});

describe('syntaxErrorPlace', () => {
  const place = (text: string) => {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    return syntaxErrorPlace(text, lines, doc.errors[0]!);
  };

  it('names the key of a badly indented line', () => {
    expect(place('env:\n  dev:\n    t: 1\n   ns: x\n')).toEqual({ line: 4, column: 1, field: 'env.dev.ns' });
  });

  it('names the repeated key', () => {
    expect(place('env:\n  dev:\n    ns: 1\n    ns: 2\n')).toEqual({ line: 4, column: 5, field: 'env.dev.ns' });
  });

  it('points an unclosed flow sequence at its own line, not at the key after it', () => {
    expect(place('a: 1\ntags: ["x", "y"\n\nbuilder: docker\n')).toEqual({ line: 2, field: 'tags' });
  });
});
