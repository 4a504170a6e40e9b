// The base images a Dockerfile pulls (its FROM lines, with build arguments substituted), so a builder without
// a daemon-wide insecure list (buildah) can be told which of those registries are plain-HTTP or loopback, and
// no other.
import { parseImageRef } from './ref.ts';

/** Logical lines: continuations joined, comments and blank lines dropped. */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of dockerfile.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (current === '' && (line.startsWith('#') || line === '')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(`${current}${line}`.trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const value = vars[(braced ?? bare)!];
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}

/** Image references of the FROM lines that name images (not `scratch`, not earlier stages). */
export function baseImages(dockerfile: string, buildArgs: Readonly<Record<string, string>> = {}): string[] {
  const globals: Record<string, string> = {};
  const stages = new Set<string>();
  const images: string[] = [];
  let seenFrom = false;
  for (const line of instructions(dockerfile)) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && !seenFrom) {
      // Only ARGs before the first FROM can be used in FROM lines.
      for (const decl of rest) {
        const eq = decl.indexOf('=');
        const name = eq === -1 ? decl : decl.slice(0, eq);
        const value = buildArgs[name] ?? (eq === -1 ? undefined : decl.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
        if (value !== undefined) globals[name] = value;
      }
    } else if (upper === 'FROM') {
      seenFrom = true;
      const words = rest.filter((w) => !w.startsWith('--'));
      const image = substitute(words[0] ?? '', globals);
      if (image && image !== 'scratch' && !stages.has(image.toLowerCase())) images.push(image);
      if (words[1]?.toUpperCase() === 'AS' && words[2]) stages.add(words[2].toLowerCase());
    }
  }
  return images;
}

/** Registry hosts of the base images; references that do not parse are left to the builder to report. */
export function baseImageHosts(dockerfile: string, buildArgs: Readonly<Record<string, string>> = {}): string[] {
  const hosts = new Set<string>();
  for (const image of baseImages(dockerfile, buildArgs)) {
    try {
      hosts.add(parseImageRef(image).registry);
    } catch {
      /* the build will say what is wrong with it */
    }
  }
  return [...hosts];
}
