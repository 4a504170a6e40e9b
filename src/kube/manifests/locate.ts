// Where in the manifests the API server's complaint points: the object's file, and the line of the field its Status
// names (`details.causes[].field`). Field paths come in the API server's notation: `spec.selector`,
// `spec.template.spec.containers[0].image`, `metadata.labels[app]`, and for apply conflicts
// `.spec.template.spec.containers[name="web"].image` (a list item by its key).
import type { Problem } from '../../errors.ts';
import type { ObjectRef } from '../cluster.ts';
import { objectKey } from './identity.ts';
import type { Manifest } from './validate.ts';

/** The file and line of `ref` among the manifests, at the first field the server named; undefined when not there. */
export function locateInManifests(manifests: readonly Manifest[], ref: ObjectRef, fields: readonly string[] = []): Omit<Problem, 'message'> | undefined {
  const key = objectKey(ref);
  const manifest = manifests.find((m) => objectKey(m.object) === key);
  if (!manifest) return undefined;
  const field = fields.find((f) => f.trim() !== '');
  if (field === undefined) return { file: manifest.source.file, line: manifest.source.line };
  const name = field.replace(/^\./, '');
  return { file: manifest.source.file, line: manifest.source.lineOf(fieldPath(name, manifest.object)), field: name };
}

/**
 * `spec.containers[name="web"].image` as a path into `object`: `['spec', 'containers', 0, 'image']`. A segment the
 * object does not have ends the path there: the line is then the nearest enclosing field's.
 */
export function fieldPath(field: string, object: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let at: unknown = object;
  for (const token of field.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    let step: string | number | undefined;
    if (!token.startsWith('[')) step = token;
    else {
      const inner = token.slice(1, -1);
      const keyed = /^([^=]+)="?(.*?)"?$/.exec(inner);
      if (/^\d+$/.test(inner)) step = Number(inner);
      else if (keyed && Array.isArray(at)) {
        const index = at.findIndex((item) => String((item as Record<string, unknown> | null)?.[keyed[1]!]) === keyed[2]);
        step = index >= 0 ? index : undefined;
      } else step = inner;
    }
    if (step === undefined) break;
    path.push(step);
    at = at !== null && typeof at === 'object' ? (at as Record<string | number, unknown>)[step] : undefined;
  }
  return path;
}
