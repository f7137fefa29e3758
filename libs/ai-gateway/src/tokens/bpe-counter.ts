import { BpeMerger } from './bpe-merge';
import type { CpuSlicer } from './cpu-slicer';

/** The shape of js-tiktoken's rank files (`js-tiktoken/ranks/<encoding>`). */
export interface BpeRanks {
  /** The pre-tokenisation regular expression (Unicode property classes). */
  pat_str: string;
  /** Lines of `! <first rank> <base64 token> <base64 token>…`; ranks are consecutive. */
  bpe_ranks: string;
}

/** Bounds of the work one step of counting does (see {@link BpeCounter}). */
export interface BpeLimits {
  /** Characters the split pattern runs over at once (default {@link WINDOW_CHARS}). */
  windowChars?: number;
  /** Bytes of a piece merged exactly; longer pieces are merged in chunks of this size. */
  maxPieceBytes?: number;
}

/**
 * Default window: a few milliseconds at most of work on the slowest input measured (random
 * CJK characters: 6 KB of bytes to merge, ~0.1 µs per character for the split pattern);
 * ordinary text always has a safe cut inside.
 */
export const WINDOW_CHARS = 2_048;
/** Default piece bound: far longer than any piece of prose, code or data (words are < 50). */
export const MAX_PIECE_BYTES = 1_024;
/**
 * The error bound of a cut, in tokens: a long piece cut into chunks, or a window cut inside
 * a piece when it has no safe cut. BPE is not local, so this is measured, not proven: over
 * every adversarial input of the spec (runs of letters, punctuation, digits, whitespace,
 * CJK, emoji, marks, surrogates, random bytes) |counted − exact| ≤ CUT_ERROR × cuts, the
 * worst seen 1.5. A cut comes at most once per MAX_PIECE_BYTES − 3 bytes of a piece longer
 * than that, or once per window (≥ 1,024 characters) of text with no safe
 * cut near its end: at most ~2 tokens per KB of such text, mostly an overcount. Text with
 * no piece over 1 KB and a safe cut (a letter before a space, a line start) at least every
 * 1,024 characters — prose, code, formatted data — counts exactly. (A bound that always
 * holds: a text never counts more tokens than its UTF-8 bytes.)
 */
export const CUT_ERROR = 2;

/**
 * How far back from a window's end a safe cut is looked for: prose and code have one
 * every few characters; text without one this long (a run, minified data) is cut inside
 * a piece, whose error is bounded anyway.
 */
const SAFE_CUT_SEARCH = 1_024;
/** Pieces whose count is remembered; the cache is dropped whole when it fills up. */
const PIECE_CACHE_LIMIT = 50_000;
/** Only short pieces (words) are cached: a bounded cache of bounded keys. */
const CACHED_PIECE_CHARS = 64;
/** Chunks of long pieces remembered (a run of one character repeats the same chunk). */
const CHUNK_CACHE_LIMIT = 256;
/** V8 shares the characters of a slice this long with its parent (a SlicedString). */
const SLICED_STRING_MIN = 13;
const NON_ASCII = /[^\x00-\x7f]/;
/** A newline that always ends a piece: the next character starts a new one. */
const LINE_START = /[\r\n](?=[^\s/])/g;

/**
 * The split pattern restricted to ASCII input: V8 runs a pattern without Unicode property
 * classes about three times faster, and on ASCII text the classes mean exactly this
 * (no ASCII character is a mark, a titlecase/modifier/other letter or a non-decimal number).
 * Undefined when the pattern has a class this rewrite does not know.
 */
function asciiPattern(pattern: string): RegExp | undefined {
  const rewritten = pattern
    .split('[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]')
    .join('[A-Z]')
    .split('[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]')
    .join('[a-z]')
    .split('\\p{L}\\p{N}')
    .join('A-Za-z0-9')
    .split('\\p{L}+')
    .join('[A-Za-z]+')
    .split('\\p{N}{1,3}')
    .join('[0-9]{1,3}');
  return rewritten.includes('\\p{') ? undefined : new RegExp(rewritten, 'g');
}

/**
 * Counts tiktoken tokens without producing them: the same regex split and byte-pair
 * merge as js-tiktoken (its `encode(text).length`, checked against it in the spec), made
 * fast and bounded for the request path, where the text is the caller's.
 *
 * Speed: js-tiktoken joins bytes into `"1,2,3"` strings for every rank lookup and rebuilds
 * its regexes on every call (250–2,300 µs per KB). Here ranks are keyed by the piece's
 * bytes as a latin1 string (an ASCII piece is its own key), the regexes are compiled once,
 * ASCII lines use an ASCII-only form of the pattern (3× faster in V8), short pieces are
 * cached by text, and the merge is O(n log n) (bpe-merge.ts).
 *
 * Bounded work, linear in the text: the split pattern runs over windows of at most
 * `windowChars`, cut where a piece always ends (a newline before a non-space, an ASCII
 * letter before a space), so prose, code and data count exactly as one run would. Only a
 * window with no such place near its end (1 MB of one letter, of CJK, of digits) is
 * cut inside a piece; and a piece longer than `maxPieceBytes` is merged in chunks. Both are
 * estimates within {@link CUT_ERROR} tokens per cut of the exact count. {@link countAsync}
 * yields to the event loop between windows.
 *
 * Special tokens (`<|endoftext|>`…) are counted as the plain text they are, which is how
 * the provider APIs treat them in user content; js-tiktoken would throw instead.
 */
export class BpeCounter {
  private readonly ranks = new Map<string, number>();
  private readonly pieces = new Map<string, number>();
  private readonly chunks = new Map<string, number>();
  private readonly pattern: RegExp;
  private readonly asciiPattern: RegExp | undefined;
  private readonly merger: BpeMerger;
  private readonly longestToken: number;
  private readonly windowChars: number;

  constructor(source: BpeRanks, limits: BpeLimits = {}) {
    this.pattern = new RegExp(source.pat_str, 'gu');
    this.asciiPattern = asciiPattern(source.pat_str);
    let longest = 1;
    for (const line of source.bpe_ranks.split('\n')) {
      if (!line) continue;
      const fields = line.split(' ');
      const first = Number.parseInt(fields[1] ?? '', 10);
      for (let i = 2; i < fields.length; i++) {
        const token = Buffer.from(fields[i] ?? '', 'base64').toString('latin1');
        if (token.length > longest) longest = token.length;
        this.ranks.set(token, first + i - 2);
      }
    }
    this.longestToken = longest;
    this.windowChars = Math.max(16, limits.windowChars ?? WINDOW_CHARS);
    this.merger = new BpeMerger(this.ranks, longest, limits.maxPieceBytes ?? MAX_PIECE_BYTES);
  }

  /** Token ids in the vocabulary. */
  get vocabularySize(): number {
    return this.ranks.size;
  }

  /** Tokens `text` encodes to, in one synchronous call (linear; ~20–80 ms per MB). */
  count(text: string): number {
    if (text.length <= this.windowChars) return this.countWindow(text);
    let tokens = 0;
    for (let start = 0; start < text.length;) {
      const end = this.windowEnd(text, start);
      tokens += this.countWindow(text.slice(start, end));
      start = end;
    }
    return tokens;
  }

  /**
   * {@link count}, the same figure, in slices: between windows it lets `slicer` yield to
   * the event loop, so a long text never holds it for more than a slice.
   */
  async countAsync(text: string, slicer: CpuSlicer): Promise<number> {
    let tokens = 0;
    for (let start = 0; start < text.length;) {
      const end = this.windowEnd(text, start);
      tokens += this.countWindow(
        start === 0 && end === text.length ? text : text.slice(start, end),
      );
      start = end;
      await slicer.pause();
    }
    return tokens;
  }

  /**
   * Where the window from `start` ends: the last safe cut in its last SAFE_CUT_SEARCH
   * characters (and second half), where the pieces on either side are the same as in the
   * whole text, else its full length (a cut inside a piece, never between the halves of a
   * surrogate pair).
   */
  private windowEnd(text: string, start: number): number {
    const limit = start + this.windowChars;
    if (limit >= text.length) return text.length;
    const floor = Math.max(start + (this.windowChars >> 1), limit - SAFE_CUT_SEARCH);
    for (let at = limit; at > floor; at--) {
      const before = text.charCodeAt(at - 1);
      const after = text.charCodeAt(at);
      // A letter run ends at a space (no pattern continues a word with one), and a space
      // only joins the piece after it.
      if (after === 0x20 && isAsciiLetter(before)) return at;
      // LINE_START: a newline before a visible ASCII character other than "/".
      if ((before === 0x0a || before === 0x0d) && after > 0x20 && after < 0x7f && after !== 0x2f) {
        return at;
      }
    }
    const last = text.charCodeAt(limit - 1);
    return last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit;
  }

  private countWindow(text: string): number {
    if (text.length === 0) return 0;
    const ascii = this.asciiPattern;
    if (ascii === undefined) return this.countRun(text, this.pattern, false);
    if (!NON_ASCII.test(text)) return this.countRun(text, ascii, true);
    // Mixed text: line by line, so that only the lines with non-ASCII characters pay for
    // the Unicode pattern. A newline followed by a character other than whitespace or "/"
    // always ends a piece in tiktoken's patterns, and matching only looks ahead, so the
    // pieces are the same as those of the whole text.
    let tokens = 0;
    let start = 0;
    LINE_START.lastIndex = 0;
    for (let line = LINE_START.exec(text); line !== null; line = LINE_START.exec(text)) {
      const end = line.index + 1;
      tokens += this.countLine(text.slice(start, end), ascii);
      start = end;
    }
    return tokens + this.countLine(text.slice(start), ascii);
  }

  private countLine(line: string, ascii: RegExp): number {
    return NON_ASCII.test(line)
      ? this.countRun(line, this.pattern, false)
      : this.countRun(line, ascii, true);
  }

  private countRun(text: string, pattern: RegExp, ascii: boolean): number {
    pattern.lastIndex = 0;
    let tokens = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const piece = match[0];
      const key = ascii || isAscii(piece) ? piece : Buffer.from(piece, 'utf8').toString('latin1');
      if (key.length <= this.longestToken && this.ranks.has(key)) {
        tokens += 1;
      } else if (piece.length > CACHED_PIECE_CHARS) {
        tokens += this.mergePiece(key);
      } else {
        let merged = this.pieces.get(key);
        if (merged === undefined) {
          merged = this.mergePiece(key);
          if (this.pieces.size >= PIECE_CACHE_LIMIT) this.pieces.clear();
          this.pieces.set(ownCopy(key), merged);
        }
        tokens += merged;
      }
    }
    return tokens;
  }

  /** Merges a piece's bytes: exactly up to maxBytes, beyond in chunks of maxBytes. */
  private mergePiece(bytes: string): number {
    const max = this.merger.maxBytes;
    if (bytes.length <= max) return this.merger.count(bytes);
    let tokens = 0;
    for (let start = 0; start < bytes.length;) {
      let end = Math.min(bytes.length, start + max);
      // Cut between characters: never before a UTF-8 continuation byte (10xxxxxx).
      while (end < bytes.length && end > start + 1 && (bytes.charCodeAt(end) & 0xc0) === 0x80) {
        end--;
      }
      const chunk = bytes.slice(start, end);
      let merged = this.chunks.get(chunk);
      if (merged === undefined) {
        merged = this.merger.count(chunk);
        if (this.chunks.size >= CHUNK_CACHE_LIMIT) this.chunks.clear();
        this.chunks.set(ownCopy(chunk), merged);
      }
      tokens += merged;
      start = end;
    }
    return tokens;
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * A cache key that does not keep the request's text alive: a regex match of 13 characters
 * or more is a view into the whole string it was found in (V8's SlicedString), so caching
 * it as is would retain every prompt that contributed a word. Concatenating and slicing
 * flattens it into a copy of its own.
 */
function ownCopy(key: string): string {
  return key.length < SLICED_STRING_MIN ? key : ` ${key}`.slice(1);
}
