import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_INPUTS } from '../../src/config/inputs.ts';
import { ACTION_OUTPUTS } from '../../src/report/outputs.ts';
import { inputReaders, renderActionYml } from '../../scripts/action-yml.ts';

const root = join(import.meta.dirname, '../..');
const actionYml = readFileSync(join(root, 'action.yml'), 'utf8');

describe('action.yml', () => {
  it('is what the input and output tables generate', () => {
    expect(actionYml).toBe(renderActionYml());
  });

  it('declares exactly the inputs the entry reads, with their defaults', () => {
    const action = parse(actionYml);
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(ACTION_INPUTS).sort());
    for (const [name, input] of Object.entries(ACTION_INPUTS)) expect(action.inputs[name].default).toBe(input.default);
    expect(Object.keys(action.outputs).sort()).toEqual(Object.keys(ACTION_OUTPUTS).sort());
  });

  it('runs on node24 with a main and a post step from the committed bundle', () => {
    expect(parse(actionYml).runs).toMatchObject({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' });
  });

  it('has inputs read only in src/index.ts, and only through the table', () => {
    expect(inputReaders()).toEqual([]);
    const entry = readFileSync(join(root, 'src/index.ts'), 'utf8');
    expect(entry).toMatch(/Object\.keys\(ACTION_INPUTS\)\.map\(\(name\) => \[name, core\.getInput\(name\)\]\)/);
  });
});
