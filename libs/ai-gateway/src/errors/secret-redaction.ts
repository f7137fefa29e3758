/** What a removed secret is replaced with. */
export const REDACTED = '[redacted]';

/** Longest error message passed on: upstream texts can be whole pages, only the gist helps. */
export const MAX_ERROR_MESSAGE_LENGTH = 2048;

/**
 * Text read past the length limit before redacting, so a secret that starts just before
 * the cut is still seen whole (keys are far shorter than this).
 */
const SCAN_SLACK = 1024;

/** Shorter configured "keys" (placeholders of local servers) would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 8;

/** Tokens shorter than this are never key-shaped (keeps the per-token checks off ordinary words). */
const MIN_TOKEN_LENGTH = 12;

/**
 * `Bearer <token>` / `Basic <credentials>` as quoted from a request header. Case-sensitive
 * on purpose: "basic" and "bearer" are ordinary words in prose.
 */
const AUTH_SCHEME = /\b(Bearer|Basic)([ \t]+)([\w\-.~+/=*]+)/g;

/**
 * A named credential: `api_key=…`, `"x-api-key": "…"`, `token: …` (query strings, JSON,
 * headers). The lookbehind fixes where a name may start, and every part after it is a
 * bounded or non-overlapping run, so the scan stays linear in the text's length.
 */
const NAMED_VALUE =
  /(?<![\w-])((?:x-goog-|x-)?api[-_]?key|apikey|(?:access|refresh|id|auth|session)[-_]?token|client[-_]?secret|secret|password|passwd|token|key|signature|sig)(["']?[ \t]{0,3}[:=][ \t]{0,3}["']?)([^\s"'&,;<>()[\]{}]+)/gi;

/** Names that only ever precede a secret: any value of 8+ characters goes. */
const STRONG_NAME = /api|secret|pass|access|refresh|session|auth|^id/i;

/** Runs of characters a key is made of (dots for JWTs, `*` for partly masked keys). */
const TOKEN = /[\w*.-]+/g;

/**
 * Key shapes, each anchored and tested on one token only. Vendor prefixes (OpenAI `sk-`,
 * `sk-proj-`, Anthropic `sk-ant-`, the gateway's own `gk_`, Google `AIza`, Groq, xAI,
 * Hugging Face, GitHub, AWS access key ids…), JWTs, and keys a provider masked partly
 * (`ab****yz`) — the visible ends are still part of a key.
 */
const KEY_SHAPES: readonly RegExp[] = [
  /^(?:sk|rk|pk|gk)[-_][\w*-]{8,}$/,
  /^AIza[\w*-]{10,}$/,
  /^(?:ghp|gho|ghu|ghs|ghr|github_pat|glpat|hf|gsk|xai|pplx|nvapi|r8|xox[abprs])[-_][\w*-]{10,}$/,
  /^A(?:KI|SI)A[A-Z0-9]{16}$/,
  /^eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*$/,
  /^[\w-]{2,}\*{3,}[\w*-]*$/,
];

export interface RedactOptions {
  /** Longest result (default {@link MAX_ERROR_MESSAGE_LENGTH}); longer ones end in `…`. */
  maxLength?: number;
}

/**
 * A text fit to leave the gateway (an error body, an SSE error event, a job error, a log
 * line): every known secret removed (configured provider keys, the admin key…), tokens
 * shaped like keys masked (vendor prefixes, `Bearer …`, `api_key=…`, JWTs), and the
 * length capped. Linear in the text's length (every pattern is free of nested or
 * overlapping repetition) and bounded: at most `maxLength` + 1 KB is ever scanned.
 * Idempotent, so redacting twice is harmless.
 */
export function redactSecrets(
  text: string,
  knownSecrets: Iterable<string> = [],
  options: RedactOptions = {},
): string {
  const maxLength = options.maxLength ?? MAX_ERROR_MESSAGE_LENGTH;
  let out = text.length > maxLength + SCAN_SLACK ? text.slice(0, maxLength + SCAN_SLACK) : text;
  out = removeKnownSecrets(out, knownSecrets);
  out = out.replace(AUTH_SCHEME, (match, scheme: string, gap: string, value: string) =>
    looksGenerated(value, 12) ? `${scheme}${gap}${REDACTED}` : match,
  );
  out = out.replace(NAMED_VALUE, (match, name: string, separator: string, value: string) => {
    const secret = STRONG_NAME.test(name)
      ? value.length >= MIN_SECRET_LENGTH && value !== REDACTED
      : looksGenerated(value, 16);
    return secret ? `${name}${separator}${REDACTED}` : match;
  });
  out = out.replace(TOKEN, maskKeyShaped);
  return out.length > maxLength ? `${out.slice(0, maxLength)}…` : out;
}

/** Characters `encodeURIComponent` changes: only secrets with one need a second search. */
const URL_ENCODED_DIFFERS = /[^\w\-.!~*'()]/;

/** Removes each secret (and its URL-encoded form), longest first so none is left in part. */
function removeKnownSecrets(text: string, knownSecrets: Iterable<string>): string {
  const secrets = longestFirst(knownSecrets);
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (!URL_ENCODED_DIFFERS.test(secret)) continue;
    const encoded = encodeURIComponent(secret);
    if (out.includes(encoded)) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** The secrets longest first; a list already in that order (the registry's) is used as is. */
function longestFirst(secrets: Iterable<string>): readonly string[] {
  const list: readonly string[] = Array.isArray(secrets) ? secrets : [...secrets];
  for (let i = 1; i < list.length; i++) {
    if (list[i].length > list[i - 1].length) return [...list].sort((a, b) => b.length - a.length);
  }
  return list;
}

function maskKeyShaped(token: string): string {
  if (token.length < MIN_TOKEN_LENGTH) return token;
  // A sentence's full stop is not part of the key; a loop, not /\.+$/, which is quadratic.
  let end = token.length;
  while (end > 0 && token.charCodeAt(end - 1) === 0x2e) end--;
  const core = token.slice(0, end);
  return KEY_SHAPES.some((shape) => shape.test(core)) ? REDACTED + token.slice(end) : token;
}

/**
 * A value that reads like generated credentials rather than words: long enough and mixing
 * at least two of lower case, upper case and digits (`value_of_something` does not).
 */
function looksGenerated(value: string, minLength: number): boolean {
  if (value.length < minLength) return false;
  const classes =
    Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) + Number(/\d/.test(value));
  return classes >= 2;
}
