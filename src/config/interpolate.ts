// `${...}` in rollgate.yml strings: `${env}` is the environment being resolved, `${NAME}` a variable of the process
// environment, `$${` a literal `${`. A variable that is missing or empty is an error, never an empty string:
// an empty secret or context name must stop the run, not deploy somewhere unexpected.

export interface InterpolationScope {
  /**
   * The environment being resolved. `undefined` with `env: 'forbidden'`: the string is shared by every
   * environment, so `${env}` has no single value; `'verbatim'` leaves it as written.
   */
  env: string | undefined;
  /** What to do with `${env}` when `env` is undefined. */
  envMode?: 'forbidden' | 'verbatim';
  variables: Readonly<Record<string, string | undefined>>;
  /**
   * What a missing or empty variable does: an error (the default), or `verbatim`, kept as written, for
   * settings the command will not use (build arguments, when promote or rollback only read the images).
   */
  missing?: 'error' | 'verbatim';
}

export interface Interpolated {
  value: string;
  /** Process environment variables that were substituted, with their values (for redaction). */
  used: Array<{ name: string; value: string }>;
  /** One message per reference that could not be resolved; `value` is meaningless when non-empty. */
  errors: string[];
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolate(text: string, scope: InterpolationScope): Interpolated {
  const used: Interpolated['used'] = [];
  const errors: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    out += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close < 0) {
      errors.push(`"${text.slice(dollar)}" has no closing "}" (write $\${ for a literal \${)`);
      return { value: '', used, errors };
    }
    const name = text.slice(dollar + 2, close);
    i = close + 1;
    if (name === 'env') {
      if (scope.env !== undefined) out += scope.env;
      else if (scope.envMode === 'verbatim') out += '${env}';
      else errors.push('${env} has no value here: this field is shared by every environment; select one with --env');
      continue;
    }
    if (!VARIABLE_NAME.test(name)) {
      errors.push(`"\${${name}}" is not a variable reference; names are letters, digits and _ (write $\${ for a literal \${)`);
      continue;
    }
    const value = scope.variables[name];
    if ((value === undefined || value === '') && scope.missing === 'verbatim') out += `\${${name}}`;
    else if (value === undefined) errors.push(`environment variable ${name} is not set`);
    else if (value === '') errors.push(`environment variable ${name} is empty`);
    else {
      used.push({ name, value });
      out += value;
    }
  }
  out += text.slice(i);
  return { value: out, used, errors };
}
