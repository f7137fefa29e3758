/**
 * Splits a byte stream into NDJSON lines as the bytes arrive. A line (or a multi-byte
 * character) may straddle network chunks, so the tail of each chunk is kept until its
 * newline shows up. Blank lines are skipped; a last line without a newline is still
 * yielded, so the parser sees a truncated line instead of silently losing it.
 */
export async function* readNdjsonLines(
  source: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(start, newline).trim();
      if (line !== '') yield line;
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  const rest = (pending + decoder.decode()).trim();
  if (rest !== '') yield rest;
}
