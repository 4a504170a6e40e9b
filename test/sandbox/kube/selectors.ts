// Label and field selectors, in both forms Kubernetes has: the query-string syntax of `?labelSelector=` and the
// structured metav1.LabelSelector of workload specs (matchLabels / matchExpressions).

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type Labels = Record<string, string> | undefined;

/** A structured selector matches like a real one: an empty selector matches everything. */
export function matchesLabelSelector(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (have[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((req) => matchesRequirement(req, have));
}

function matchesRequirement(req: LabelSelectorRequirement, have: Record<string, string>): boolean {
  const value = have[req.key];
  switch (req.operator) {
    case 'In':
      return value !== undefined && (req.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(req.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** Thrown for a selector string that does not parse; the API answers it with 400 BadRequest. */
export class SelectorError extends Error {
  override name = 'SelectorError';
}

/**
 * Parses the `labelSelector` query syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * joined by commas. Note `a!=b` also matches objects without label `a`, as in Kubernetes.
 */
export function parseLabelSelector(text: string): (labels: Labels) => boolean {
  const tests: Array<(have: Record<string, string>) => boolean> = [];
  for (const term of splitTerms(text)) {
    const setMatch = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (setMatch) {
      const [, key, op, list] = setMatch as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim()).filter((v) => v !== '');
      tests.push((have) => {
        const value = have[key];
        return op === 'in' ? value !== undefined && values.includes(value) : value === undefined || !values.includes(value);
      });
      continue;
    }
    const cmp = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (cmp) {
      const [, key, op, value] = cmp as unknown as [string, string, string, string];
      tests.push(op === '!=' ? (have) => have[key] !== value : (have) => have[key] === value);
      continue;
    }
    const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (exists) {
      const [, not, key] = exists as unknown as [string, string, string];
      tests.push(not ? (have) => have[key] === undefined : (have) => have[key] !== undefined);
      continue;
    }
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(term)}`);
  }
  return (labels) => tests.every((t) => t(labels ?? {}));
}

/** Splits on commas outside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Parses the `fieldSelector` query syntax: `a.b=c`, `a.b==c`, `a.b!=c`, joined by commas. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  return splitTerms(text).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    return { field: field.trim(), op: op === '!=' ? '!=' : '=', value: value.trim() };
  });
}

/** The string value of a dotted field path in an object ('' when absent, as Kubernetes' field sets do). */
export function fieldValue(obj: unknown, path: string): string {
  let at: unknown = obj;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return '';
    at = (at as Record<string, unknown>)[part];
  }
  return at === undefined || at === null ? '' : String(at);
}
