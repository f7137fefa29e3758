/** A piece of JSON syntax already written out, as opposed to a value still to serialise. */
class Raw {
  constructor(readonly text: string) {}
}

/**
 * `JSON.stringify(value)` ('' for undefined) that never throws: JSON.stringify recurses
 * and throws RangeError past ~7,000 levels of nesting (a caller's tool schema can be
 * deeper), and TypeError on a cycle or a BigInt. Then the text is written with an explicit
 * stack instead: the same text for parsed JSON, with a repeated object, a cycle or a
 * BigInt written as `null`.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return stacklessJson(value);
  }
}

function stacklessJson(root: unknown): string {
  const out: string[] = [];
  const seen = new Set<object>();
  const work: unknown[] = [root];
  while (work.length > 0) {
    const item = work.pop();
    if (item instanceof Raw) {
      out.push(item.text);
      continue;
    }
    const scalar = scalarJson(item);
    if (scalar !== undefined) {
      out.push(scalar);
      continue;
    }
    const object = item as object;
    if (seen.has(object)) {
      out.push('null');
      continue;
    }
    seen.add(object);
    // Pushed in reverse: the work stack pops the opening bracket first.
    if (Array.isArray(object)) {
      work.push(new Raw(']'));
      for (let i = object.length - 1; i >= 0; i--) {
        const element: unknown = object[i];
        work.push(isSkipped(element) ? null : element);
        if (i > 0) work.push(new Raw(','));
      }
      work.push(new Raw('['));
    } else {
      const entries = Object.entries(object as Record<string, unknown>).filter(
        ([, member]) => !isSkipped(member),
      );
      work.push(new Raw('}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i];
        work.push(member, new Raw(`${JSON.stringify(key)}:`));
        if (i > 0) work.push(new Raw(','));
      }
      work.push(new Raw('{'));
    }
  }
  return out.join('');
}

/** The JSON of a value that has no members, or undefined for an object or array. */
function scalarJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return String(value);
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      // undefined, a function or a symbol at the top; a BigInt anywhere.
      return typeof value === 'bigint' ? 'null' : '';
  }
}

/** Members JSON leaves out of an object (and writes as null in an array). */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
