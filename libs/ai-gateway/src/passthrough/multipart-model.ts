import { Readable } from 'node:stream';
import { GatewayError } from '../errors/gateway.error';

/** A multipart upload read as far as its `model` field; the rest still to come. */
export interface MultipartUpload {
  /** The `model` field's value, as sent. */
  readonly model: string;
  /** The caller's content type, boundary included: the upstream gets the same. */
  readonly contentType: string;
  /** The whole upload with the `model` field set to `model`: what was read, then the rest. */
  withModel(model: string): Readable;
  /** Reads and drops what is left (a refused upload), so the connection stays usable. */
  discard(): void;
}

/** Where the `model` field's value lies in the bytes read so far. */
type Search =
  | { kind: 'found'; start: number; end: number }
  /** Not in what was read: search again from `from` when more has arrived. */
  | { kind: 'more'; from: number };

/** Bytes read between searches: the head is joined at most once per doubling. */
const MIN_SEARCH_STEP = 16 * 1024;

/**
 * Reads a `multipart/form-data` upload only as far as its `model` field, which the gateway
 * needs to route it. Clients usually send `model` before the file; when the file comes
 * first it is held in memory up to the field (the upload stream itself enforces the
 * body limit). The rest is never read here: `withModel` streams it on unread.
 *
 * A part starts at `--boundary` + CRLF: the boundary never occurs inside content (the
 * client chose it so), so only real part headers are ever examined.
 */
export async function readMultipartModel(
  upload: Readable,
  contentType: string | undefined,
): Promise<MultipartUpload> {
  const boundary = boundaryOf(contentType);
  const chunks = upload[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let from = 0;
  for (;;) {
    const next = await chunks.next();
    if (!next.done) {
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
    if (!next.done && pendingBytes < Math.max(MIN_SEARCH_STEP, head.length)) continue;
    head = Buffer.concat([head, ...pending]);
    pending = [];
    pendingBytes = 0;
    const search = findModelField(head, boundary, from);
    if (search.kind === 'found') {
      return uploadOf(chunks, head, search, next.done === true, contentType ?? '');
    }
    if (next.done) {
      throw GatewayError.invalidRequest(
        "Invalid request: the multipart body has no 'model' field",
        'model',
      );
    }
    from = search.from;
  }
}

/** The `model` field of `head`, searching part headers from `from`. */
export function findModelField(head: Buffer, boundary: string, from: number): Search {
  const delimiter = Buffer.from(`--${boundary}\r\n`);
  let at = head.indexOf(delimiter, from);
  while (at !== -1) {
    const headersStart = at + delimiter.length;
    const headersEnd = head.indexOf('\r\n\r\n', headersStart);
    if (headersEnd === -1) return { kind: 'more', from: at };
    const headers = head.toString('latin1', headersStart, headersEnd);
    if (/^content-disposition:[^\r\n]*;\s*name="model"\s*(;|\r|$)/im.test(headers)) {
      const start = headersEnd + 4;
      const end = head.indexOf(`\r\n--${boundary}`, start);
      if (end === -1) return { kind: 'more', from: at };
      return { kind: 'found', start, end };
    }
    at = head.indexOf(delimiter, headersEnd);
  }
  // A delimiter may straddle what was read and what comes next.
  return { kind: 'more', from: Math.max(0, head.length - delimiter.length) };
}

function boundaryOf(contentType: string | undefined): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || !/^multipart\/form-data/i.test(contentType ?? '')) {
    throw GatewayError.invalidRequest(
      'Invalid request: send the file as multipart/form-data with a boundary',
      'content-type',
    );
  }
  return boundary;
}

function uploadOf(
  chunks: AsyncIterator<Buffer>,
  head: Buffer,
  field: { start: number; end: number },
  ended: boolean,
  contentType: string,
): MultipartUpload {
  return {
    model: head.toString('utf8', field.start, field.end).trim(),
    contentType,
    withModel: (model) => {
      const rewritten = Buffer.concat([
        head.subarray(0, field.start),
        Buffer.from(model, 'utf8'),
        head.subarray(field.end),
      ]);
      return Readable.from(rest(rewritten, ended ? undefined : chunks), { objectMode: false });
    },
    discard: () => void drain(ended ? undefined : chunks),
  };
}

async function* rest(
  head: Buffer,
  chunks: AsyncIterator<Buffer> | undefined,
): AsyncGenerator<Buffer> {
  yield head;
  if (!chunks) return;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
}

/**
 * Reads the rest and drops it. Never `return()` on the iterator: that would destroy the
 * request stream, and its socket with it, before the refusal is sent.
 */
async function drain(chunks: AsyncIterator<Buffer> | undefined): Promise<void> {
  if (!chunks) return;
  try {
    for (let next = await chunks.next(); !next.done; next = await chunks.next());
  } catch {
    // An upload that fails while dropped (over the cap, the client gone) has nothing to say.
  }
}
