// What changed between two inventories of an image: the nightly rebuild deploys only when this is not empty.
import { comparePackages, type Package, type PackageType } from './inventory-packages.ts';

export interface PackageChange {
  type: PackageType;
  name: string;
  arch?: string;
  from: string;
  to: string;
}

export interface PackageDiff {
  added: Package[];
  removed: Package[];
  changed: PackageChange[];
}

// Multi-arch dpkg installs the same name once per architecture; those are different packages.
const keyOf = (p: Package) => `${p.type}\0${p.name}\0${p.arch ?? ''}`;

function group(packages: readonly Package[]): Map<string, Package[]> {
  const byKey = new Map<string, Package[]>();
  for (const p of packages) byKey.set(keyOf(p), [...(byKey.get(keyOf(p)) ?? []), p]);
  return byKey;
}

// The same Python distribution can sit in two site-packages at different versions; compare the sets.
const versionsOf = (list: readonly Package[]) => [...new Set(list.map((p) => p.version))].sort().join(', ');

export function diffPackages(before: readonly Package[], after: readonly Package[]): PackageDiff {
  const old = group(before);
  const now = group(after);
  const diff: PackageDiff = { added: [], removed: [], changed: [] };
  for (const [key, list] of now) {
    const previous = old.get(key);
    if (!previous) diff.added.push(...list);
    else if (versionsOf(previous) !== versionsOf(list)) {
      const { type, name, arch } = list[0]!;
      diff.changed.push({ type, name, ...(arch ? { arch } : {}), from: versionsOf(previous), to: versionsOf(list) });
    }
  }
  for (const [key, list] of old) if (!now.has(key)) diff.removed.push(...list);
  diff.added.sort(comparePackages);
  diff.removed.sort(comparePackages);
  diff.changed.sort((a, b) => comparePackages({ ...a, version: '' }, { ...b, version: '' }));
  return diff;
}

export function isEmptyDiff(diff: PackageDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** One line per change, `+ name version`, `- name version`, `~ name old -> new`, as a person reads it. */
export function formatPackageDiff(diff: PackageDiff): string {
  const label = (p: { type: string; name: string }) => `${p.type} ${p.name}`;
  const lines = [
    ...diff.changed.map((c) => `~ ${label(c)} ${c.from} -> ${c.to}`),
    ...diff.added.map((p) => `+ ${label(p)} ${p.version}`),
    ...diff.removed.map((p) => `- ${label(p)} ${p.version}`),
  ];
  return lines.length === 0 ? 'no package changes' : lines.join('\n');
}
