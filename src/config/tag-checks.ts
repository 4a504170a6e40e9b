// Target tags against version tags: moving a target tag must never overwrite a version tag, or "keep old
// versions" silently stops being true. Pure: templates, a target tag, maybe the version being deployed.
import { InputError } from '../errors.ts';
import { renderVersionTags, type TagContext } from '../image/version-tags.ts';

/** Messages for each way `targetTag` coincides with a version tag template's output. */
export function targetTagCollisions(targetTag: string, templates: readonly string[], ctx?: TagContext): string[] {
  const out: string[] = [];
  for (const template of templates) {
    if (!template.includes('{')) {
      if (template === targetTag) out.push(`"${targetTag}" is also a version tag in tags; moving it would overwrite that tag`);
      continue;
    }
    if (!ctx) continue;
    const rendered = renderOne(template, ctx);
    if (rendered === targetTag) {
      out.push(
        `"${targetTag}" is what tag template "${template}" renders for version ${ctx.version.raw}; ` +
          'moving the target tag would overwrite that version tag',
      );
    }
  }
  return out;
}

/**
 * One template rendered for `ctx`; undefined when it renders nothing for this version (a prerelease) or needs
 * what the context lacks (a sha). Problems with the template itself are validateTagTemplate's to report.
 */
export function renderOne(template: string, ctx: TagContext): string | undefined {
  if (template.includes('{sha}') && !ctx.sha) return undefined;
  try {
    return renderVersionTags([template], ctx)[0];
  } catch (err) {
    if (err instanceof InputError) return undefined;
    throw err;
  }
}

/** Why a template cannot be rendered for this version, if it cannot (e.g. the result is too long). */
export function renderProblem(template: string, ctx: TagContext): string | undefined {
  if (template.includes('{sha}') && !ctx.sha) return undefined;
  try {
    renderVersionTags([template], ctx);
    return undefined;
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
}
