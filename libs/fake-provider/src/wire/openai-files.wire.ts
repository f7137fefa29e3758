import type { FakeExchange } from '../fake-exchange';
import { sendJson } from '../fake-exchange';
import { fakeId } from '../fake-content';
import type { FakeUploadedFile } from '../fake-multipart';
import type { FakeStoredFile } from '../fake-state';
import { openAiErrorBody, openAiWire } from './openai.wire';
import type { FakeRoute, WireFormat } from './wire-format';

/** The largest upload the fake keeps (OpenAI takes 512 MB; a test needs far less). */
export const FAKE_FILE_LIMIT = 8 * 1024 * 1024;

/** Purposes `POST /v1/files` accepts (the SDK's `FilePurpose`). */
const PURPOSES = new Set(['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals']);

/** The File object the API shows for a stored file. */
export function fileObject(file: FakeStoredFile): Record<string, unknown> {
  return {
    id: file.id,
    object: 'file',
    bytes: file.content.length,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    expires_at: file.expiresAt,
    status_details: null,
  };
}

/** OpenAI's answer for an id it does not know (404, `param` naming the id). */
export function sendNotFound(ex: FakeExchange, message: string, param = 'id'): void {
  sendJson(ex.res, 404, openAiErrorBody(message, 'invalid_request_error', null, param));
}

/** A 400 in OpenAI's shape, naming the offending field. */
export function sendInvalid(ex: FakeExchange, message: string, param: string | null): void {
  sendJson(ex.res, 400, openAiErrorBody(message, 'invalid_request_error', null, param));
}

/**
 * A cursor page as OpenAI lists objects: `limit` of them after the one named by `after`,
 * with `first_id`, `last_id` and `has_more` (the SDK pages on them).
 */
export function listPage<T extends { id: string }>(
  newestFirst: T[],
  url: URL,
  defaultLimit: number,
  show: (entry: T) => unknown,
): unknown {
  const after = url.searchParams.get('after');
  const limit = Number(url.searchParams.get('limit') ?? defaultLimit);
  const start = after ? newestFirst.findIndex((entry) => entry.id === after) + 1 : 0;
  const page = newestFirst.slice(start, start + (limit > 0 ? limit : defaultLimit));
  return {
    object: 'list',
    data: page.map(show),
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: start + page.length < newestFirst.length,
  };
}

/** The stored file named by the path, or a 404 sent. */
function storedFile(ex: FakeExchange): FakeStoredFile | undefined {
  const id = ex.params[0];
  const file = ex.state.files.get(id);
  if (!file) sendNotFound(ex, `No such File object: ${id}`);
  return file;
}

/** `POST /v1/files`: multipart `file` + `purpose` (+ `expires_after[seconds]`), bytes kept. */
function upload(ex: FakeExchange): void {
  const fields = (ex.body ?? {}) as Record<string, string | FakeUploadedFile | undefined>;
  const { file, purpose } = fields;
  if (typeof file !== 'object') {
    sendInvalid(ex, "Missing required parameter: 'file'.", 'file');
    return;
  }
  if (typeof purpose !== 'string') {
    sendInvalid(ex, "Missing required parameter: 'purpose'.", 'purpose');
    return;
  }
  if (!PURPOSES.has(purpose)) {
    const known = [...PURPOSES].join(', ');
    sendInvalid(ex, `Invalid 'purpose': '${purpose}'. Supported values are: ${known}.`, 'purpose');
    return;
  }
  if (!file.content) {
    sendJson(
      ex.res,
      413,
      openAiErrorBody(
        `File is larger than the fake provider keeps (${FAKE_FILE_LIMIT} bytes).`,
        'invalid_request_error',
        null,
        'file',
      ),
    );
    return;
  }
  const createdAt = Math.floor(Date.now() / 1000);
  const seconds = Number(fields['expires_after[seconds]']);
  const stored: FakeStoredFile = {
    id: fakeId('file-'),
    filename: file.filename,
    purpose,
    createdAt,
    expiresAt: Number.isFinite(seconds) && seconds > 0 ? createdAt + seconds : null,
    content: file.content,
  };
  ex.state.putFile(stored);
  sendJson(ex.res, 200, fileObject(stored));
}

/** `GET /v1/files`: newest first (`order=asc` for oldest), by `purpose`, `limit`, `after`. */
function list(ex: FakeExchange): void {
  const purpose = ex.url.searchParams.get('purpose');
  let files = [...ex.state.files.values()].filter((f) => !purpose || f.purpose === purpose);
  if (ex.url.searchParams.get('order') !== 'asc') files = files.reverse();
  sendJson(ex.res, 200, listPage(files, ex.url, 10_000, fileObject));
}

function retrieve(ex: FakeExchange): void {
  const file = storedFile(ex);
  if (file) sendJson(ex.res, 200, fileObject(file));
}

/** `GET /v1/files/{id}/content`: the bytes as uploaded (or as a batch wrote them). */
function content(ex: FakeExchange): void {
  const file = storedFile(ex);
  if (!file) return;
  ex.res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': file.content.length,
  });
  ex.res.end(file.content);
}

function remove(ex: FakeExchange): void {
  const file = storedFile(ex);
  if (!file) return;
  ex.state.deleteFile(file.id);
  sendJson(ex.res, 200, { id: file.id, object: 'file', deleted: true });
}

const route = (
  method: FakeRoute['method'],
  pattern: RegExp,
  handle: FakeRoute['handle'],
): FakeRoute => ({ method, pattern, operation: 'files', handle });

/**
 * OpenAI's Files API over a store kept per fake server (see `fake-state.ts`): upload,
 * list, retrieve, download and delete, as the SDK's `client.files` calls them. Uploads up
 * to {@link FAKE_FILE_LIMIT} are kept; unknown ids get OpenAI's 404. Same keys and error
 * shape as the OpenAI wire; routed with it.
 */
export const openAiFilesWire: WireFormat = {
  name: 'openai',
  routes: [
    { ...route('POST', /^\/v1\/files$/, upload), keepUploadBytes: FAKE_FILE_LIMIT },
    route('GET', /^\/v1\/files$/, list),
    route('GET', /^\/v1\/files\/([^/]+)$/, retrieve),
    route('GET', /^\/v1\/files\/([^/]+)\/content$/, content),
    route('DELETE', /^\/v1\/files\/([^/]+)$/, remove),
  ],
  apiKey: (ex) => openAiWire.apiKey(ex),
  sendError: (ex, status, message, type) => openAiWire.sendError(ex, status, message, type),
};
