import { GatewayError } from '../../errors/gateway.error';
import type { EmbeddingRequest, EmbeddingResponse } from '../../types/unified';
import type { OllamaEmbedRequest, OllamaEmbedResponse } from './ollama.types';

/**
 * Embedding fields carried to Ollama (`keep_alive` and `truncate` are Ollama-native
 * extras); `user` is accepted and ignored, as it never changes the vectors.
 */
const EMBED_FIELDS = new Set([
  'model',
  'input',
  'dimensions',
  'encoding_format',
  'user',
  'keep_alive',
  'truncate',
]);

const present = (value: unknown): boolean => value !== undefined && value !== null;

/** Ollama embeds text only; OpenAI also accepts token-id arrays. */
function isTextInput(input: unknown): input is string | string[] {
  return (
    typeof input === 'string' ||
    (Array.isArray(input) && input.every((item) => typeof item === 'string'))
  );
}

/** An OpenAI embeddings request → an Ollama `/api/embed` body (text input only). */
export function toOllamaEmbedRequest(
  request: EmbeddingRequest,
  provider: string,
): OllamaEmbedRequest {
  for (const [field, value] of Object.entries(request)) {
    if (present(value) && !EMBED_FIELDS.has(field)) {
      throw GatewayError.unsupported(provider, `Ollama cannot carry '${field}'`, field);
    }
  }
  const input: unknown = request.input;
  if (!isTextInput(input))
    throw GatewayError.unsupported(provider, 'Ollama embeds text, not token arrays', 'input');
  const body: OllamaEmbedRequest = { model: request.model, input };
  if (present(request.dimensions)) body.dimensions = request.dimensions!;
  if (typeof request['truncate'] === 'boolean') body.truncate = request['truncate'];
  const keepAlive = request['keep_alive'];
  if (typeof keepAlive === 'string' || typeof keepAlive === 'number') body.keep_alive = keepAlive;
  return body;
}

/** float32 little-endian bytes in base64: what OpenAI sends for `encoding_format: base64`. */
export function encodeFloat32Base64(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return Buffer.from(view.buffer).toString('base64');
}

/** An Ollama `/api/embed` answer → OpenAI's embeddings list. */
export function fromOllamaEmbedResponse(
  response: OllamaEmbedResponse,
  encoding: EmbeddingRequest['encoding_format'],
): EmbeddingResponse {
  const tokens = response.prompt_eval_count ?? 0;
  return {
    object: 'list',
    model: response.model,
    data: response.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      // The SDK types say number[], but with `base64` OpenAI (and its client) send a string.
      embedding: (encoding === 'base64' ? encodeFloat32Base64(vector) : vector) as number[],
    })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
