import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';

/** A file id a request names, and where (`input[0].content[1].file_id`). */
export interface FileReference {
  id: string;
  param: string;
}

/** How deep a body is searched (bodies are already bounded in depth at admission). */
const MAX_DEPTH = 32;

/**
 * Every file id a request body names: `file_id` strings (file and image parts, Responses
 * `input_file` / `input_image`) and `file_ids` lists (a code interpreter's container).
 * Such ids are files in a provider account that several keys share, so each must be one
 * of the caller's own before the body goes anywhere.
 */
export function fileReferencesOf(body: unknown): FileReference[] {
  const found: FileReference[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (key === 'file_id' && typeof inner === 'string') found.push({ id: inner, param: at });
      else if (key === 'file_ids' && Array.isArray(inner)) {
        inner.forEach((id, i) => {
          if (typeof id === 'string') found.push({ id, param: `${at}[${i}]` });
        });
      } else walk(inner, at, depth + 1);
    }
  };
  walk(body, '', 0);
  return found;
}

/**
 * The file ids of a chat request's `file` parts (`messages[i].content[j].file.file_id`):
 * a loop over the parts only, cheap enough for every chat request.
 */
export function chatFileReferencesOf(body: unknown): FileReference[] {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return [];
  const found: FileReference[] = [];
  messages.forEach((message: unknown, i) => {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) return;
    content.forEach((part: unknown, j) => {
      if ((part as { type?: unknown } | null)?.type !== 'file') return;
      const id = (part as { file?: { file_id?: unknown } | null }).file?.file_id;
      if (typeof id === 'string') {
        found.push({ id, param: `messages[${i}].content[${j}].file.file_id` });
      }
    });
  });
  return found;
}

/**
 * Provider-side objects the gateway does not keep per key (vector stores, stored
 * conversations): naming one could reach another key's data in the shared provider
 * account, so a request that does is refused, naming the field.
 */
export function assertNoUnownedStores(body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  const record = body as Record<string, unknown>;
  if (record.conversation !== undefined && record.conversation !== null) {
    throw unowned('conversation', "OpenAI's stored conversations");
  }
  const tools = record.tools;
  if (!Array.isArray(tools)) return;
  tools.forEach((tool: unknown, i) => {
    const ids = (tool as { vector_store_ids?: unknown } | null)?.vector_store_ids;
    if (Array.isArray(ids) && ids.length > 0) {
      throw unowned(`tools[${i}].vector_store_ids`, 'vector stores');
    }
  });
}

function unowned(param: string, what: string): GatewayError {
  return new GatewayError(
    GatewayErrorCode.UNSUPPORTED_FEATURE,
    `${what[0].toUpperCase()}${what.slice(1)} are not kept per key by the gateway, so a request cannot name them: '${param}'`,
    { param },
  );
}
