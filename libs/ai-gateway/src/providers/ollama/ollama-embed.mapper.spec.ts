import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { EmbeddingRequest } from '../../types/unified';
import {
  encodeFloat32Base64,
  fromOllamaEmbedResponse,
  toOllamaEmbedRequest,
} from './ollama-embed.mapper';

const P = 'local-ollama';

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('ollama embeddings mapping', () => {
  it('maps text input and dimensions, refusing token arrays and unknown fields', () => {
    const request: EmbeddingRequest = {
      model: 'nomic',
      input: ['a', 'b'],
      dimensions: 256,
      user: 'u',
    };
    expect(toOllamaEmbedRequest(request, P)).toEqual({
      model: 'nomic',
      input: ['a', 'b'],
      dimensions: 256,
    });
    expect(failure(() => toOllamaEmbedRequest({ model: 'm', input: [1, 2, 3] }, P))).toMatchObject({
      code: GatewayErrorCode.UNSUPPORTED_FEATURE,
      param: 'input',
    });
    expect(
      failure(() => toOllamaEmbedRequest({ model: 'm', input: 'a', other: true }, P)),
    ).toMatchObject({
      param: 'other',
    });
  });

  it('returns float vectors, or little-endian float32 base64 when asked', () => {
    const answer = { model: 'nomic', embeddings: [[0.5, -1.25]], prompt_eval_count: 3 };
    expect(fromOllamaEmbedResponse(answer, 'float')).toEqual({
      object: 'list',
      model: 'nomic',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, -1.25] }],
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    const encoded = fromOllamaEmbedResponse(answer, 'base64').data[0]
      .embedding as unknown as string;
    const bytes = Buffer.from(encoded, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -1.25]);
    expect(encodeFloat32Base64([1])).toBe('AACAPw==');
  });
});
