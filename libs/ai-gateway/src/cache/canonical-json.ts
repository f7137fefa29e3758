import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';
import { CpuSlicer } from '../tokens/cpu-slicer';

/**
 * Deepest nesting a cache key reads. The HTTP parser bounds bodies too, but library callers
 * (`AiGatewayService.chat()`) hand objects over directly; a body deeper than this (no chat
 * request is: tools' JSON schemas stay well under it) is not cached.
 */
export const MAX_KEY_DEPTH = 128;

/**
 * Values (objects, arrays, leaves) a cache key reads. A chat body holds a few thousand (500
 * turns of text parts, 100 tools with their schemas: ~10,000); past this the body is not
 * cached, so that sorting and hashing a crafted one (a 200,000-key object: ~1 s) never
 * stalls the event loop, and an object graph that shares references (library callers)
 * cannot expand exponentially.
 */
export const MAX_KEY_NODES = 50_000;

/** Text buffered before it is fed to the hash: few native calls, no body-sized string. */
const HASH_CHUNK = 64 * 1024;
/**
 * Strings longer than this are escaped and hashed in chunks of this size by
 * {@link canonicalSha256Async}, with a pause between chunks: escaping and hashing 1 MB of
 * random code points takes ~10 ms, a stall of its own. A chunk takes well under 1 ms.
 */
export const LONG_STRING_CHARS = 32 * 1024;

/** Why canonicalisation gave up: the value is too deep, too large, cyclic or not JSON. */
class NotCanonical extends Error {}

type Write = (text: string) => void;
/** Takes a string value longer than {@link LONG_STRING_CHARS} instead of its JSON text. */
type WriteLong = (value: string) => void;

/**
 * JSON with object keys sorted at every depth: equal values give equal strings. Undefined
 * (never a RangeError) past {@link MAX_KEY_DEPTH} or {@link MAX_KEY_NODES}, on a cycle or
 * on a value JSON cannot hold (a bigint): the caller treats the request as uncacheable.
 */
export function canonicalJson(value: unknown): string | undefined {
  const parts: string[] = [];
  return canonicalise(value, (text) => parts.push(text)) ? parts.join('') : undefined;
}

/**
 * SHA-256 (hex) of `prefix` and the canonical JSON of `value`, streamed into the hash
 * (a 10 MB prompt is never copied into one more string); undefined when
 * {@link canonicalJson} would be.
 */
export function canonicalSha256(prefix: string, value: unknown): string | undefined {
  const hash: Hash = createHash('sha256');
  let buffered = prefix;
  const write: Write = (text) => {
    if (buffered.length + text.length < HASH_CHUNK) {
      buffered += text;
      return;
    }
    hash.update(buffered);
    if (text.length < HASH_CHUNK) buffered = text;
    else {
      hash.update(text);
      buffered = '';
    }
  };
  if (!canonicalise(value, write)) return undefined;
  return hash.update(buffered).digest('hex');
}

/**
 * {@link canonicalSha256}, the same hash, without a long stall: the structure is walked at
 * once (bounded by {@link MAX_KEY_NODES}), but string values longer than
 * {@link LONG_STRING_CHARS} — the bulk of a large prompt — are escaped and hashed in chunks,
 * and `slicer` yields to the event loop between them (sharing the per-turn budget of the
 * token counters). Chunks never split a surrogate pair, so their JSON text is exactly that
 * of the whole string.
 */
export async function canonicalSha256Async(
  prefix: string,
  value: unknown,
  slicer: CpuSlicer = new CpuSlicer(),
): Promise<string | undefined> {
  const parts: Array<string | { long: string }> = [];
  let buffered = prefix;
  const write: Write = (text) => {
    if (buffered.length + text.length >= HASH_CHUNK) {
      parts.push(buffered);
      buffered = '';
    }
    buffered += text;
  };
  const writeLong: WriteLong = (long) => {
    parts.push(buffered, { long });
    buffered = '';
  };
  if (!canonicalise(value, write, writeLong)) return undefined;
  parts.push(buffered);
  await slicer.pause();
  const hash: Hash = createHash('sha256');
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part) hash.update(part);
      continue;
    }
    const text = part.long;
    hash.update('"');
    for (let start = 0; start < text.length;) {
      let end = Math.min(text.length, start + LONG_STRING_CHARS);
      // Never between the halves of a pair: a lone half would be escaped as \udXXX.
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      hash.update(JSON.stringify(text.slice(start, end)).slice(1, -1));
      start = end;
      await slicer.pause();
    }
    hash.update('"');
  }
  return hash.digest('hex');
}

function canonicalise(value: unknown, write: Write, writeLong?: WriteLong): boolean {
  try {
    writeValue(value, 0, { nodes: MAX_KEY_NODES }, write, writeLong);
    return true;
  } catch (error) {
    if (error instanceof NotCanonical) return false;
    throw error;
  }
}

/** Depth-bounded recursion: at most MAX_KEY_DEPTH frames, whatever the input. */
function writeValue(
  input: unknown,
  depth: number,
  budget: { nodes: number },
  write: Write,
  writeLong?: WriteLong,
): void {
  if (--budget.nodes < 0 || depth > MAX_KEY_DEPTH) throw new NotCanonical();
  let value = input;
  // As JSON.stringify would send it (a Date as its ISO string), not as its own keys.
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (typeof value === 'bigint') throw new NotCanonical();
  if (typeof value === 'string' && value.length > LONG_STRING_CHARS && writeLong) {
    writeLong(value);
    return;
  }
  if (value === null || typeof value !== 'object') {
    write(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    write('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) write(',');
      writeValue(value[i], depth + 1, budget, write, writeLong);
    }
    write(']');
    return;
  }
  const keys = Object.keys(value);
  // Counted before sorting: the sort is the costly part of a wide object.
  budget.nodes -= keys.length;
  if (budget.nodes < 0) throw new NotCanonical();
  keys.sort();
  write('{');
  let first = true;
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) continue;
    write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    writeValue(field, depth + 1, budget, write, writeLong);
  }
  write('}');
}
