/** `{{field}}` (spaces allowed inside the braces). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** Opening tags of the template (`<invoice>`): caller text may not close them. */
const OPENING_TAG = /<([A-Za-z_][A-Za-z0-9_-]{0,63})>/g;

/**
 * A prompt template compiled at boot: literal text and the input fields it names. It is
 * rendered in one pass over those parts, so text a caller sends is inserted as it is and
 * never read as a template (a `{{field}}` inside an input stays literal).
 */
export interface PromptTemplate {
  readonly parts: ReadonlyArray<string | { field: string }>;
  /** Tags the template opens; a closing one inside a value is broken up (see `render`). */
  readonly tags: readonly string[];
}

/**
 * Compiles `text`; each `{{name}}` must name an input field (`problems` gets `<path>:
 * {{name}} is not an input field` otherwise).
 */
export function compileTemplate(
  text: unknown,
  fields: readonly string[],
  path: string,
  problems: string[],
): PromptTemplate {
  if (typeof text !== 'string' || text.trim() === '') {
    problems.push(`${path}: must be a non-empty text`);
    return { parts: [], tags: [] };
  }
  const parts: Array<string | { field: string }> = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const field = match[1];
    if (!fields.includes(field)) {
      problems.push(`${path}: {{${field}}} is not an input field (fields: ${fields.join(', ')})`);
    }
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ field });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  const tags = [...new Set([...text.matchAll(OPENING_TAG)].map((m) => m[1]))];
  return { parts, tags };
}

/**
 * The template with each field's value in place. Strings go in as they are, lists one
 * item per line (`- item`), numbers and booleans as written, absent fields as nothing. A
 * closing tag of the template's own blocks inside a value (`</invoice>`) is broken up, so
 * a caller's text cannot end its block and pose as instructions.
 */
export function renderTemplate(
  template: PromptTemplate,
  values: Readonly<Record<string, unknown>>,
): string {
  const closing =
    template.tags.length === 0
      ? undefined
      : new RegExp(`</\\s*(${template.tags.map(escapeRegExp).join('|')})\\s*>`, 'gi');
  return template.parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const text = valueText(values[part.field]);
      return closing ? text.replace(closing, '</ $1_>') : text;
    })
    .join('');
}

/** A checked input value (`DefinedInput`): text, a number, a flag or a list of texts. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => `- ${valueText(item)}`).join('\n');
  return '';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
