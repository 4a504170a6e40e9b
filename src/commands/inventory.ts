// rollgate inventory IMAGE_REF [--json]: the packages inside a pushed image, read through the registry.
// Returns data and its text; printing is the entry's job.
import type { Config } from '../config/types.ts';
import type { Logger } from '../log.ts';
import { readInventory, parsePlatform, DEFAULT_PLATFORM, type ImageInventory, type ImageSource } from '../image/inventory.ts';
import { parseImageRef, repositoryOf } from '../image/ref.ts';

export interface InventoryInput {
  /** An image reference: `repo:tag`, `repo@sha256:...`; a bare repository means `:latest`, as docker has it. */
  ref: string;
  /** For registries' settings (insecure hosts, endpoints); none needed for public TLS registries. */
  config?: Pick<Config, 'registries'>;
  json?: boolean;
  /** `os/arch[/variant]` to pick from a multi-platform image; default linux/amd64. */
  platform?: string;
  logger?: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  /** The registry client; made from `config` when not given. */
  registry?: ImageSource;
}

export interface InventoryResult extends ImageInventory {
  /** The reference as asked for. */
  reference: string;
  /** The inventory as the CLI prints it: a table, or JSON with `json`. */
  text: string;
}

export async function inventory(input: InventoryInput): Promise<InventoryResult> {
  const ref = parseImageRef(input.ref);
  const platform = input.platform ? parsePlatform(input.platform) : DEFAULT_PLATFORM;
  const repository = repositoryOf(ref);
  let registry = input.registry;
  if (!registry) {
    const { registryFor } = await import('../registry/factory.ts');
    registry = await registryFor(repository, { registries: input.config?.registries ?? {} }, {
      ...(input.logger ? { logger: input.logger } : {}),
      ...(input.env ? { env: input.env as NodeJS.ProcessEnv } : {}),
    });
  }
  const found = await readInventory(registry, repository, ref.digest ?? ref.tag ?? 'latest', platform);
  const data = { reference: input.ref, ...found };
  return { ...data, text: input.json ? formatInventoryJson(data) : formatInventory(data) };
}

export function formatInventoryJson(inv: ImageInventory & { reference?: string }): string {
  const { reference, repository, digest, manifestDigest, platform, packages } = inv;
  return `${JSON.stringify({ reference, repository, digest, manifestDigest, platform, packages }, null, 2)}\n`;
}

/** A header line, counts by type, then one aligned row per package. */
export function formatInventory(inv: ImageInventory): string {
  const counts = new Map<string, number>();
  for (const p of inv.packages) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
  const header = [
    `${inv.repository}@${inv.digest}${inv.manifestDigest !== inv.digest ? ` (${inv.platform}: ${inv.manifestDigest})` : ` (${inv.platform})`}`,
    inv.packages.length === 0
      ? 'no packages found (no dpkg, apk or Python package metadata in the image)'
      : `${inv.packages.length} packages: ${[...counts].map(([type, n]) => `${n} ${type}`).join(', ')}`,
  ];
  if (inv.packages.length === 0) return `${header.join('\n')}\n`;
  const rows = [['TYPE', 'NAME', 'VERSION', 'SOURCE'], ...inv.packages.map((p) => [p.type, p.name, p.version, p.source ?? ''])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd());
  return `${[...header, '', ...lines].join('\n')}\n`;
}
