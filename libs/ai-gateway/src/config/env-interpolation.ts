/** A `${VAR}` that had neither a value nor a default. */
export interface MissingVariable {
  path: string;
  variable: string;
}

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` inside every string of a parsed YAML tree.
 * Works on values, not on the file's text, so a variable can never inject YAML.
 * A string that is exactly one variable whose value is numeric or boolean-like keeps
 * its string form; the schema coerces known numeric fields.
 */
export function interpolateEnv(
  node: unknown,
  env: Readonly<Record<string, string | undefined>>,
  missing: MissingVariable[],
  path = '',
): unknown {
  if (typeof node === 'string') {
    return node.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      missing.push({ path, variable: name });
      return '';
    });
  }
  if (Array.isArray(node)) {
    return node.map((item, index) => interpolateEnv(item, env, missing, `${path}[${index}]`));
  }
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = interpolateEnv(value, env, missing, path ? `${path}.${key}` : key);
    }
    return out;
  }
  return node;
}
