const UNSAFE = /[^\t\x20-\x7e]/;
const UNSAFE_RUNS = /[^\t\x20-\x7e]+/g;

/**
 * A header value that Node will send: characters outside visible ASCII (a model id of
 * `any/😀`, a control character) become percent-encoded UTF-8, as in a URL. Node refuses
 * such values outright, which used to turn a caller's odd model id into a 500 — or, on a
 * stream, into no answer at all.
 */
export function headerValue(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_RUNS, (run) => {
    let encoded = '';
    // Buffer turns a lone surrogate into U+FFFD where encodeURIComponent would throw.
    for (const byte of Buffer.from(run, 'utf8')) {
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return encoded;
  });
}
