import { GatewayError } from '../../errors/gateway.error';

/**
 * The deepest nesting of objects and arrays a request may have. Real requests stay far
 * below it (a JSON Schema 25 objects deep is 60 levels); code that walks a body
 * recursively (JSON.stringify, canonical cache keys, SDK mappers) overflows the stack
 * near 10,000 levels, and a RangeError there is a 500 for the caller's mistake.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Members of objects a request body may have in all. Parsing cost grows with them far
 * faster than with text (a 3 MB body of 200,000 keys takes ~250 ms in JSON.parse, one
 * synchronous call nothing else runs beside); real requests stay far below (5,000 chat
 * messages are 10,000 members).
 */
export const MAX_JSON_MEMBERS = 25_000;
/** Values in arrays and objects in all (an embeddings request of 300,000 tokens fits). */
export const MAX_JSON_VALUES = 500_000;

const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * Why JSON text is too complex to parse on the request path — nested deeper than
 * `MAX_JSON_DEPTH`, or more members or values than allowed — or undefined. One pass
 * over the text, skipping strings (escapes included), stopping at the first limit
 * passed: run before parsing, so a hostile body costs a scan, never a deep or wide parse.
 */
export function jsonTextTooComplex(text: string): string | undefined {
  let depth = 0;
  let members = 0;
  let values = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      // Skip the string: its brackets are text.
      for (i++; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) break;
      }
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) return `nested more than ${MAX_JSON_DEPTH} levels deep`;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    } else if (code === COLON) {
      if (++members > MAX_JSON_MEMBERS) return `more than ${MAX_JSON_MEMBERS} object members`;
    } else if (code === COMMA) {
      if (++values > MAX_JSON_VALUES) return `more than ${MAX_JSON_VALUES} values`;
    }
  }
  return undefined;
}

/**
 * Throws `invalid_request` when a value nests objects/arrays deeper than `limit` (or has
 * more than {@link MAX_JSON_VALUES} objects and arrays, counting shared ones each time).
 * Iterative (an explicit stack), so a hostile value cannot overflow the call stack here;
 * the library path needs it because in-process callers hand over objects, not text.
 */
export function assertJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): void {
  if (typeof value !== 'object' || value === null) return;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  // Objects shared by reference (`w = [w, w]`, 60 levels) would be walked 2^60 times.
  let budget = MAX_JSON_VALUES;
  while (stack.length > 0) {
    if (--budget < 0) {
      throw GatewayError.invalidRequest(
        `Invalid request: more than ${MAX_JSON_VALUES} values`,
        'body',
      );
    }
    const node = stack.pop() as object;
    const depth = depths.pop()!;
    if (depth > limit) {
      throw GatewayError.invalidRequest(
        `Invalid request: nested more than ${limit} levels deep`,
        'body',
      );
    }
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (typeof child === 'object' && child !== null) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
}
