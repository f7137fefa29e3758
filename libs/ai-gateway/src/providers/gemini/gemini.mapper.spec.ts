import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest } from '../../types/unified';
import {
  IGNORED_CHAT_FIELDS,
  MAPPED_CHAT_FIELDS,
  toGeminiChatRequest,
  toGeminiEmbeddingPlan,
} from './gemini.mapper';

const P = 'gem';
const base: ChatRequest = {
  model: 'gemini-2.0-flash',
  messages: [{ role: 'user', content: 'hi' }],
};
const weather = {
  type: 'function' as const,
  function: {
    name: 'weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};
const clock = {
  type: 'function' as const,
  function: { name: 'clock', parameters: { type: 'object', properties: {} } },
};

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a throw');
}

describe('toGeminiChatRequest', () => {
  it('maps sampling, limits, stop, n, seed and penalties into generationConfig', () => {
    const out = toGeminiChatRequest(
      {
        ...base,
        temperature: 0,
        top_p: 0.5,
        max_tokens: 10,
        max_completion_tokens: 20,
        stop: ['a', 'b'],
        n: 2,
        seed: 7,
        presence_penalty: 0.1,
        frequency_penalty: 0.2,
        stream_options: { include_usage: true },
        user: 'u',
        store: false,
        logprobs: false,
        parallel_tool_calls: true,
        top_logprobs: null,
      },
      P,
    );
    expect(out.generationConfig).toEqual({
      temperature: 0,
      topP: 0.5,
      maxOutputTokens: 20,
      stopSequences: ['a', 'b'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
    });
  });

  it('leaves generationConfig out when nothing is set and keeps max_tokens as a fallback', () => {
    expect(toGeminiChatRequest(base, P).generationConfig).toBeUndefined();
    expect(toGeminiChatRequest({ ...base, max_tokens: 9, n: 1 }, P).generationConfig).toEqual({
      maxOutputTokens: 9,
    });
  });

  it('maps JSON mode to a MIME type and a json_schema to a response schema', () => {
    expect(
      toGeminiChatRequest({ ...base, response_format: { type: 'json_object' } }, P)
        .generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
    });
    const out = toGeminiChatRequest(
      {
        ...base,
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'person',
            strict: true,
            schema: {
              type: 'object',
              properties: { age: { type: ['integer', 'null'] } },
              additionalProperties: false,
            },
          },
        },
      },
      P,
    );
    expect(out.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { age: { type: 'integer', nullable: true } } },
    });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'function', function: { name: 'weather' } },
      { mode: 'ANY', allowedFunctionNames: ['weather'] },
    ],
    [
      {
        type: 'allowed_tools',
        allowed_tools: {
          mode: 'required',
          tools: [{ type: 'function', function: { name: 'clock' } }],
        },
      },
      { mode: 'ANY', allowedFunctionNames: ['clock'] },
    ],
  ])('maps tool_choice %j to functionCallingConfig', (choice, expected) => {
    const out = toGeminiChatRequest(
      { ...base, tools: [weather, clock], tool_choice: choice as ChatRequest['tool_choice'] },
      P,
    );
    expect(out.toolConfig).toEqual({ functionCallingConfig: expected });
  });

  it('declares functions, without parameters for argument-less ones', () => {
    const out = toGeminiChatRequest({ ...base, tools: [weather, clock] }, P);
    expect(out.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
          { name: 'clock' },
        ],
      },
    ]);
    expect(out.toolConfig).toBeUndefined();
  });

  it('keeps only the allowed tools when they are allowed in auto mode', () => {
    const out = toGeminiChatRequest(
      {
        ...base,
        tools: [weather, clock],
        tool_choice: {
          type: 'allowed_tools',
          allowed_tools: {
            mode: 'auto',
            tools: [{ type: 'function', function: { name: 'clock' } }],
          },
        },
      },
      P,
    );
    expect(out.tools).toEqual([{ functionDeclarations: [{ name: 'clock' }] }]);
    expect(out.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it.each([
    ['logit_bias', { logit_bias: { '1': 1 } }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['reasoning_effort', { reasoning_effort: 'low' }],
    ['functions', { functions: [{ name: 'f' }] }],
    ['prediction', { prediction: { type: 'content', content: 'x' } }],
    ['some_vendor_field', { some_vendor_field: 1 }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { top_logprobs: 2 }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['parallel_tool_calls', { parallel_tool_calls: false }],
  ])('throws unsupported_feature naming %s', (param, extra) => {
    const error = thrown(() => toGeminiChatRequest({ ...base, ...extra } as ChatRequest, P));
    expect(error).toMatchObject({ code: GatewayErrorCode.UNSUPPORTED_FEATURE, param, provider: P });
  });

  it('throws for custom tools', () => {
    const error = thrown(() =>
      toGeminiChatRequest({ ...base, tools: [{ type: 'custom', custom: { name: 'grammar' } }] }, P),
    );
    expect(error).toMatchObject({ code: GatewayErrorCode.UNSUPPORTED_FEATURE, param: 'tools[0]' });
  });

  it('documents mapped and ignored fields as disjoint lists', () => {
    expect(MAPPED_CHAT_FIELDS.filter((f) => IGNORED_CHAT_FIELDS.includes(f))).toEqual([]);
    expect(IGNORED_CHAT_FIELDS).toEqual(
      expect.arrayContaining(['user', 'store', 'stream_options', 'metadata']),
    );
  });
});

describe('toGeminiEmbeddingPlan', () => {
  it('plans one call for a string and a batch for an array', () => {
    expect(toGeminiEmbeddingPlan({ model: 'm', input: 'a', dimensions: 8, user: 'u' }, P)).toEqual({
      texts: ['a'],
      single: true,
      outputDimensionality: 8,
      encoding: 'float',
    });
    expect(
      toGeminiEmbeddingPlan({ model: 'm', input: ['a', 'b'], encoding_format: 'base64' }, P),
    ).toEqual({
      texts: ['a', 'b'],
      single: false,
      encoding: 'base64',
    });
  });

  it('refuses token ids and unknown fields', () => {
    expect(thrown(() => toGeminiEmbeddingPlan({ model: 'm', input: [1, 2] }, P))).toMatchObject({
      param: 'input',
    });
    expect(
      thrown(() => toGeminiEmbeddingPlan({ model: 'm', input: 'a', task: 'x' }, P)),
    ).toMatchObject({
      code: GatewayErrorCode.UNSUPPORTED_FEATURE,
      param: 'task',
    });
  });
});
