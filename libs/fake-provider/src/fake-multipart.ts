/** A file part of a multipart body, as the fake records it (its bytes counted, not kept). */
export interface FakeUploadedFile {
  filename: string;
  contentType?: string;
  size: number;
  /** Its first bytes, as text: enough for a test to know which file arrived. */
  head: string;
  /**
   * Its bytes, only when the caller asked to keep them (`keepUpTo`) and the file is no
   * larger. Not enumerable: the recorded body and `GET /_fake/requests` stay as small as
   * for a route that keeps nothing.
   */
  readonly content?: Buffer;
}

/** The record of one file part; its bytes attached (hidden from records) up to `keepUpTo`. */
function uploadedFile(
  filename: string,
  headers: string,
  content: Buffer,
  keepUpTo: number,
): FakeUploadedFile {
  const file: FakeUploadedFile = {
    filename,
    contentType: /^content-type:\s*([^\r\n]+)/im.exec(headers)?.[1],
    size: content.length,
    head: content.subarray(0, 32).toString('utf8'),
  };
  if (content.length <= keepUpTo) {
    // A copy: `content` is a view of the whole request body, which would stay alive with it.
    Object.defineProperty(file, 'content', { value: Buffer.from(content), enumerable: false });
  }
  return file;
}

/**
 * A `multipart/form-data` body as one object: text fields by name, each file part as a
 * {@link FakeUploadedFile}. Enough for what the OpenAI SDKs send (one file, a few
 * fields); undefined when the body is not multipart or has no boundary. `keepUpTo`: keep
 * the bytes of files of at most this size (`POST /v1/files` stores them; default: none).
 */
export function parseMultipart(
  body: Buffer,
  contentType: string | undefined,
  keepUpTo = -1,
): Record<string, string | FakeUploadedFile> | undefined {
  const match = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string | FakeUploadedFile> = {};
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const headersStart = at + delimiter.length + 2; // past CRLF (or "--" on the last one)
    if (body.subarray(at + delimiter.length, at + delimiter.length + 2).toString() === '--') break;
    const headersEnd = body.indexOf('\r\n\r\n', headersStart);
    if (headersEnd === -1) break;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next === -1) break;
    const headers = body.toString('latin1', headersStart, headersEnd);
    const content = body.subarray(headersEnd + 4, next);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) {
      fields[name] =
        filename === undefined
          ? content.toString('utf8')
          : uploadedFile(filename, headers, content, keepUpTo);
    }
    at = next + 2;
  }
  return fields;
}
