import { describe, expect, it } from 'vitest';
import { diffPackages, formatPackageDiff, isEmptyDiff } from '../../src/image/inventory-diff.ts';
import type { Package } from '../../src/image/inventory-packages.ts';

const deb = (name: string, version: string, arch = 'amd64'): Package => ({ type: 'deb', name, version, arch });
const py = (name: string, version: string): Package => ({ type: 'python', name, version });

describe('diffPackages', () => {
  it('reports a patched package as changed, old -> new', () => {
    const diff = diffPackages([deb('libssl3', '3.0.11-1~deb12u1'), deb('bash', '5.2.15-2+b2')], [deb('bash', '5.2.15-2+b2'), deb('libssl3', '3.0.11-1~deb12u2')]);
    expect(diff).toEqual({ added: [], removed: [], changed: [{ type: 'deb', name: 'libssl3', arch: 'amd64', from: '3.0.11-1~deb12u1', to: '3.0.11-1~deb12u2' }] });
    expect(formatPackageDiff(diff)).toBe('~ deb libssl3 3.0.11-1~deb12u1 -> 3.0.11-1~deb12u2');
  });

  it('reports added and removed packages', () => {
    const diff = diffPackages([deb('curl', '7.88.1-10')], [py('requests', '2.31.0')]);
    expect(diff.added).toEqual([py('requests', '2.31.0')]);
    expect(diff.removed).toEqual([deb('curl', '7.88.1-10')]);
    expect(formatPackageDiff(diff)).toBe('+ python requests 2.31.0\n- deb curl 7.88.1-10');
  });

  it('keeps the same name under two architectures apart', () => {
    const before = [deb('libc6', '2.36-9', 'amd64'), deb('libc6', '2.36-9', 'i386')];
    const diff = diffPackages(before, [deb('libc6', '2.36-9', 'amd64')]);
    expect(diff.removed).toEqual([deb('libc6', '2.36-9', 'i386')]);
    expect(diff.changed).toEqual([]);
  });

  it('compares the versions of a Python package installed twice as a set', () => {
    expect(isEmptyDiff(diffPackages([py('pip', '23.0'), py('pip', '24.0')], [py('pip', '24.0'), py('pip', '23.0')]))).toBe(true);
    expect(diffPackages([py('pip', '23.0'), py('pip', '24.0')], [py('pip', '24.0')]).changed).toEqual([
      { type: 'python', name: 'pip', from: '23.0, 24.0', to: '24.0' },
    ]);
  });

  it('finds nothing between identical inventories', () => {
    const diff = diffPackages([deb('bash', '5.2')], [deb('bash', '5.2')]);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(formatPackageDiff(diff)).toBe('no package changes');
  });
});
