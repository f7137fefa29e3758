/** How a payload was hidden. */
export type PayloadKind =
  'base64' | 'hex' | 'url' | 'entities' | 'escapes' | 'tags' | 'rot13' | 'reversed';

/** Text found encoded in the input, decoded; `at` is where it starts in the base text. */
export interface DecodedPayload {
  kind: PayloadKind;
  text: string;
  at: number;
}

/** At most this much decoded text is scanned, in all: the rest of a huge payload is not read. */
const MAX_DECODED = 8192;
/** At most this many encoded runs are decoded (a megabyte of short runs is not decoded). */
const MAX_RUNS = 48;
/** An encoded run is decoded only up to this many characters. */
const MAX_RUN = 12_000;
/** A payload shorter than this says nothing (and short runs are mostly ids). */
const MIN_TEXT = 6;

/**
 * Base64 (standard or URL-safe) of at least 16 characters. Identifiers and words are weeded
 * out afterwards: they do not decode to readable text.
 */
const BASE64_RUN = /(?<![A-Za-z0-9+\/_-])[A-Za-z0-9+\/_-]{16,}={0,2}/g;
/**
 * Hex bytes of printable ASCII (each starts with a digit 2–7): `\x69\x67…`, or pairs
 * optionally separated by a space or colon (`69 67 6e`). Starting on a digit, the scan skips
 * words quickly.
 */
const HEX_RUN =
  /(?:\\x[2-7][0-9A-Fa-f]){6,}|(?<![0-9A-Fa-f])(?:0x)?(?:[2-7][0-9A-Fa-f][ :]?){10,}/g;
/**
 * URL-encoding: three or more `%XX` escapes with at most a few plain characters between
 * (the plain characters before the first escape are added back when decoding).
 */
const URL_RUN = /(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~+!*'()-]{0,16}){3,}/g;
/** Plain characters of a URL-encoded run before its first escape. */
const URL_HEAD = /[A-Za-z0-9._~+!*'()-]{1,24}$/;
/** HTML character references: `&#105;&#x67;…`. */
const ENTITY_RUN = /(?:&#(?:[xX][0-9A-Fa-f]{1,6}|\d{1,7});){4,}/g;
/** JavaScript/JSON escapes: `\u0069\u0067…` or `\u{69}…`. */
const ESCAPE_RUN = /(?:\\u(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]{1,6}\})){4,}/g;
/** The text names a Caesar/rot13 cipher, or holds rot13 of the words attacks are made of. */
const ROT13_HINT =
  /\brot[\s-]?13\b|\bcaesar\b|\b(?:vtaber|qvfertneq|cerivbhf|vafgehpgvbaf?|flfgrz|cebzcg|sbetrg|eriryl|cnffjbeq)\b/;
/** Words attacks are made of, written backwards. */
const REVERSED_HINT =
  /\b(?:erongi|dragersid|suoiverp|snoitcurtsni|tpmorp|metsys|tegrof|laever|snoitcirtser)\b|\bdrawkcab\b/;

/**
 * The encoded runs in `cased` (the NFKC text, case kept: base64 needs it) that decode to
 * readable text, plus the tag-character payload and, where the text hints at it, the rot13
 * or reversed reading. Bounded: at most MAX_RUNS runs and MAX_DECODED characters in all.
 */
export function findEncodedPayloads(
  cased: string,
  base: string,
  tagPayload: string,
): DecodedPayload[] {
  const out: DecodedPayload[] = [];
  let budget = MAX_DECODED;
  const add = (kind: PayloadKind, text: string | null, at: number) => {
    if (text === null || budget <= 0) return;
    const kept = text.slice(0, budget);
    if (kept.trim().length < MIN_TEXT) return;
    budget -= kept.length;
    out.push({ kind, text: kept, at });
  };
  if (tagPayload) add('tags', tagPayload, 0);
  const finders: [PayloadKind, RegExp, (run: string) => string | null][] = [
    ['base64', BASE64_RUN, decodeBase64],
    ['hex', HEX_RUN, decodeHex],
    ['url', URL_RUN, decodeUrl],
    ['entities', ENTITY_RUN, decodeEntities],
    ['escapes', ESCAPE_RUN, decodeEscapes],
  ];
  for (const [kind, pattern, decode] of finders) {
    let runs = 0;
    for (const m of cased.matchAll(pattern)) {
      if (budget <= 0 || ++runs > MAX_RUNS) break;
      let run = m[0];
      let at = m.index;
      if (kind === 'url') {
        const head = URL_HEAD.exec(cased.slice(Math.max(0, at - 24), at))?.[0] ?? '';
        run = head + run;
        at -= head.length;
      }
      add(kind, decode(run.slice(0, MAX_RUN)), at);
    }
  }
  const head = base.slice(0, MAX_DECODED);
  if (ROT13_HINT.test(head)) add('rot13', rot13(head), 0);
  if (REVERSED_HINT.test(head)) add('reversed', [...head].reverse().join(''), 0);
  return out;
}

/** The characters readable text is made of (letters of any script, digits, punctuation). */
const PRINTABLE = /[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\r\t]/gu;
const LETTER = /\p{L}/gu;

/**
 * Whether decoded bytes read as text: almost all printable, mostly letters, and with word
 * breaks (binary, hashes and compressed data fail this).
 */
function readableText(text: string): boolean {
  if (text.length < MIN_TEXT || text.includes('\uFFFD')) return false;
  const printable = text.match(PRINTABLE)?.length ?? 0;
  const letters = text.match(LETTER)?.length ?? 0;
  return printable >= text.length * 0.95 && letters >= text.length * 0.5 && /[\s_.,:;]/.test(text);
}

function decodeBase64(run: string): string | null {
  // Words and identifiers are all letters, or lack one case: base64 of text mixes them.
  const upper = run.match(/[A-Z]/g)?.length ?? 0;
  if (upper === 0 || !/[a-z]/.test(run) || (upper < 2 && !/[0-9+\/=_-]/.test(run))) return null;
  const body = run.replace(/=+$/, '');
  const text = Buffer.from(
    body.slice(0, body.length - (body.length % 4 === 1 ? 1 : 0)),
    'base64',
  ).toString('utf8');
  return readableText(text) ? text : null;
}

function decodeHex(run: string): string | null {
  const digits = run.replace(/\\x|^0x|[ :]/g, '');
  const text = Buffer.from(digits.slice(0, digits.length - (digits.length % 2)), 'hex').toString(
    'utf8',
  );
  return readableText(text) ? text : null;
}

function decodeUrl(run: string): string | null {
  try {
    const text = decodeURIComponent(run.replace(/\+/g, ' '));
    return readableText(text) ? text : null;
  } catch {
    return null;
  }
}

function decodeEntities(run: string): string | null {
  return codePoints(run.matchAll(/&#(x?)([0-9a-f]+);/gi), (m) => parseInt(m[2], m[1] ? 16 : 10));
}

function decodeEscapes(run: string): string | null {
  return codePoints(run.matchAll(/\\u\{?([0-9a-f]+)\}?/gi), (m) => parseInt(m[1], 16));
}

function codePoints(
  matches: IterableIterator<RegExpMatchArray>,
  value: (m: RegExpMatchArray) => number,
): string | null {
  let text = '';
  for (const m of matches) {
    const cp = value(m);
    if (cp > 0x10ffff) return null;
    text += String.fromCodePoint(cp);
  }
  return readableText(text) ? text : null;
}

function rot13(text: string): string {
  return text.replace(/[a-z]/g, (c) =>
    String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97),
  );
}
