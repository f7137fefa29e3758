import type {
  EnhancedGenerateContentResponse,
  GenerateContentResponse,
} from '@google/generative-ai';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayError } from '../../errors/gateway.error';
import type { GeminiAnswerMeta } from './gemini-response.mapper';
import {
  toBase64Float32,
  toChatResponse,
  toEmbeddingResponse,
  toFinishReason,
  toUsage,
} from './gemini-response.mapper';
import { GeminiStreamMapper } from './gemini-stream.mapper';

const meta: GeminiAnswerMeta = {
  id: 'chatcmpl-1',
  created: 100,
  model: 'gemini-x',
  provider: 'gem',
  callPrefix: 'call_ab',
};

function response(value: unknown): EnhancedGenerateContentResponse {
  return value as EnhancedGenerateContentResponse;
}

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a throw');
}

describe('toFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['OTHER', false, 'stop'],
    [undefined, true, 'tool_calls'],
  ])('maps %s (calls: %s) to %s', (reason, calls, expected) => {
    expect(toFinishReason(reason, calls)).toBe(expected);
  });
});

describe('toUsage', () => {
  it('counts thinking tokens as completion and reports cached prompt tokens', () => {
    expect(
      toUsage({
        promptTokenCount: 10,
        candidatesTokenCount: 5,
        thoughtsTokenCount: 7,
        totalTokenCount: 22,
        cachedContentTokenCount: 4,
      }),
    ).toEqual({
      prompt_tokens: 10,
      completion_tokens: 12,
      total_tokens: 22,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 7 },
    });
    expect(toUsage(undefined)).toBeUndefined();
  });
});

describe('toChatResponse', () => {
  it('maps every candidate to a choice, calls with per-candidate ids, thoughts left out', () => {
    const res = toChatResponse(
      response({
        candidates: [
          {
            index: 0,
            content: {
              role: 'model',
              parts: [{ text: 'thinking…', thought: true }, { text: 'Hi ' }, { text: 'there' }],
            },
            finishReason: 'STOP',
          },
          {
            index: 1,
            content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 },
      }),
      meta,
    );
    expect(res).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 100,
      model: 'gemini-x',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi there', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
        {
          index: 1,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              {
                id: 'call_ab_1_0',
                type: 'function',
                function: { name: 'f', arguments: '{"a":1}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
  });

  it('throws content_filtered for a blocked prompt and server_error for an empty answer', () => {
    const blocked = thrown(() =>
      toChatResponse(
        response({ promptFeedback: { blockReason: 'SAFETY', safetyRatings: [] } }),
        meta,
      ),
    );
    expect(blocked).toMatchObject({ code: GatewayErrorCode.CONTENT_FILTERED, provider: 'gem' });
    expect(thrown(() => toChatResponse(response({}), meta)).code).toBe(
      GatewayErrorCode.SERVER_ERROR,
    );
  });
});

describe('toEmbeddingResponse', () => {
  it('encodes base64 as little-endian float32', () => {
    expect(toBase64Float32([1, -2])).toBe(
      Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]).toString('base64'),
    );
    const res = toEmbeddingResponse([[0.5], [0.25]], ['abcdefgh', 'x'], 'emb', 'base64');
    expect(res).toEqual({
      object: 'list',
      model: 'emb',
      data: [
        { object: 'embedding', index: 0, embedding: toBase64Float32([0.5]) },
        { object: 'embedding', index: 1, embedding: toBase64Float32([0.25]) },
      ],
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });
});

describe(GeminiStreamMapper.name, () => {
  const chunk = (value: unknown): GenerateContentResponse => value as GenerateContentResponse;

  it('opens with the role, splits whole calls into header and arguments, ends with finish and usage', () => {
    const mapper = new GeminiStreamMapper(meta);
    const out = [
      ...mapper.map(
        chunk({
          candidates: [{ index: 0, content: { parts: [{ text: 'Hel' }] } }],
          usageMetadata: { promptTokenCount: 2, totalTokenCount: 2 },
        }),
      ),
      ...mapper.map(
        chunk({
          candidates: [
            {
              index: 0,
              content: { parts: [{ text: 'lo' }, { functionCall: { name: 'f', args: { q: 1 } } }] },
              finishReason: 'STOP',
            },
          ],
          usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 6, totalTokenCount: 8 },
        }),
      ),
      ...mapper.finish(),
    ];
    expect(out.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hel' },
      { content: 'lo' },
      {
        tool_calls: [
          { index: 0, id: 'call_ab_0', type: 'function', function: { name: 'f', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"q":1}' } }] },
      {},
      null,
    ]);
    expect(out[5].choices[0].finish_reason).toBe('tool_calls');
    expect(out[6]).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 100,
      model: 'gemini-x',
      choices: [],
      usage: { prompt_tokens: 2, completion_tokens: 6, total_tokens: 8 },
    });
  });

  it('finishes candidates the stream left open and keeps candidates apart', () => {
    const mapper = new GeminiStreamMapper(meta);
    mapper.map(
      chunk({
        candidates: [
          { index: 0, content: { parts: [{ text: 'a' }] } },
          { index: 1, content: { parts: [{ text: 'b' }] } },
        ],
      }),
    );
    const closing = mapper.finish();
    expect(closing.map((c) => [c.choices[0].index, c.choices[0].finish_reason])).toEqual([
      [0, 'stop'],
      [1, 'stop'],
    ]);
  });

  it('throws an in-stream error event as an upstream error and an empty stream as server_error', () => {
    const mapper = new GeminiStreamMapper(meta);
    const error = thrown(() =>
      mapper.map(
        chunk({ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }),
      ),
    );
    expect(error).toMatchObject({ code: GatewayErrorCode.RATE_LIMITED, upstreamStatus: 429 });
    expect(thrown(() => new GeminiStreamMapper(meta).finish()).code).toBe(
      GatewayErrorCode.SERVER_ERROR,
    );
  });
});
