/** Most of an upstream error body ever read: enough for any real error, never a whole dump. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A response body as undici hands it out (a Readable of Buffers). */
interface ErrorBodyStream extends AsyncIterable<unknown> {
  destroy(error?: Error): unknown;
}

/**
 * The text of an upstream error body, read up to `maxBytes` and then dropped: a provider
 * (or a proxy in front of it) answering an error with a huge page must not make the
 * gateway buffer it. A body that breaks while read yields what arrived.
 */
export async function readErrorBody(
  body: ErrorBodyStream,
  maxBytes = MAX_ERROR_BODY_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      if (size >= maxBytes) break;
    }
  } catch {
    // Body lost mid-way: the status and what arrived still classify the failure.
  } finally {
    // Leaving the loop early would keep the rest of the body flowing into the socket.
    if (size >= maxBytes) body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
