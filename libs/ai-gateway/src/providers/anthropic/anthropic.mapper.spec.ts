import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest } from '../../types/unified';
import {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  JSON_OBJECT_INSTRUCTION,
  toAnthropicParams,
} from './anthropic.mapper';

const user = (content: string) => ({ role: 'user' as const, content });
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-x',
  messages: [user('hi')],
  ...extra,
});
const map = (extra: Partial<ChatRequest> = {}) => toAnthropicParams('anthropic', request(extra));
const failure = (extra: Partial<ChatRequest>): GatewayError => {
  try {
    map(extra);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected the mapping to fail');
};

const weather = {
  type: 'function' as const,
  function: {
    name: 'weather',
    description: 'Weather by city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
    strict: true,
  },
};

describe('toAnthropicParams', () => {
  it('defaults max_tokens and prefers max_completion_tokens over max_tokens', () => {
    expect(map().max_tokens).toBe(ANTHROPIC_DEFAULT_MAX_TOKENS);
    expect(map({ max_tokens: 100 }).max_tokens).toBe(100);
    expect(map({ max_tokens: 100, max_completion_tokens: 50 }).max_tokens).toBe(50);
  });

  it('hoists system and developer messages into the system prompt, in order', () => {
    const params = map({
      messages: [
        { role: 'system', content: 'rule one' },
        user('hi'),
        { role: 'developer', content: [{ type: 'text', text: 'rule two' }] },
        user('again'),
      ],
    });
    expect(params.system).toEqual([
      { type: 'text', text: 'rule one' },
      { type: 'text', text: 'rule two' },
    ]);
    expect(params.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'text', text: 'again' },
        ],
      },
    ]);
  });

  it('maps a tool round trip: tool_use blocks, then tool_result blocks merged into one user turn', () => {
    const params = map({
      messages: [
        user('weather in Paris and Rome?'),
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'toolu_2',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: 'rainy' }] },
        user('thanks'),
      ],
    });
    expect(params.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            content: [{ type: 'text', text: 'rainy' }],
          },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
  });

  it('rejects assistant tool call arguments that are not a JSON object', () => {
    const error = failure({
      messages: [
        {
          role: 'assistant',
          tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '[1]' } }],
        },
      ],
    });
    expect(error.code).toBe(GatewayErrorCode.INVALID_REQUEST);
    expect(error.param).toBe('messages[0].tool_calls[0].function.arguments');
  });

  it('maps data-URL images to base64 sources and http URLs to url sources, with cache breakpoints', () => {
    const params = map({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'compare', prompt_cache_breakpoint: { mode: 'explicit' } },
            {
              type: 'image_url',
              image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
            },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(params.messages[0].content).toEqual([
      { type: 'text', text: 'compare', cache_control: { type: 'ephemeral' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it.each([
    [
      'an image type Anthropic does not read',
      { type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } },
    ],
    ['audio input', { type: 'input_audio', input_audio: { data: 'AAA=', format: 'wav' } }],
    ['a file part', { type: 'file', file: { file_id: 'file-1' } }],
  ])('rejects %s as unsupported, naming the part', (_what, part) => {
    const error = failure({
      messages: [{ role: 'user', content: [part] }] as ChatRequest['messages'],
    });
    expect(error.code).toBe(GatewayErrorCode.UNSUPPORTED_FEATURE);
    expect(error.param).toBe('messages[0].content[0]');
  });

  it('maps tools to input_schema with strict and keeps a default object schema', () => {
    const params = map({ tools: [weather, { type: 'function', function: { name: 'now' } }] });
    expect(params.tools).toEqual([
      {
        name: 'weather',
        description: 'Weather by city',
        input_schema: weather.function.parameters,
        strict: true,
      },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['none', undefined, { type: 'none' }],
    ['required', undefined, { type: 'any' }],
    [
      { type: 'function', function: { name: 'weather' } },
      undefined,
      { type: 'tool', name: 'weather' },
    ],
    ['required', false, { type: 'any', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, true, undefined],
  ])('maps tool_choice %j with parallel_tool_calls %s', (choice, parallel, expected) => {
    const params = map({
      tools: [weather],
      tool_choice: choice as ChatRequest['tool_choice'],
      parallel_tool_calls: parallel,
    });
    expect(params.tool_choice).toEqual(expected);
  });

  it('leaves out a neutral tool_choice without tools and rejects a named one', () => {
    expect(map({ tool_choice: 'auto' }).tool_choice).toBeUndefined();
    expect(failure({ tool_choice: 'required' }).code).toBe(GatewayErrorCode.INVALID_REQUEST);
  });

  it('maps json_schema to output_config and emulates json_object with a system instruction', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'number' } },
      required: ['a'],
      additionalProperties: false,
    };
    expect(
      map({
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', schema, strict: true },
        },
      }).output_config,
    ).toEqual({
      format: { type: 'json_schema', schema },
    });
    const jsonMode = map({
      messages: [{ role: 'system', content: 'be terse' }, user('hi')],
      response_format: { type: 'json_object' },
    });
    expect(jsonMode.system).toEqual([
      { type: 'text', text: 'be terse' },
      { type: 'text', text: JSON_OBJECT_INSTRUCTION },
    ]);
    expect(jsonMode.output_config).toBeUndefined();
    expect(map({ response_format: { type: 'text' } }).system).toBeUndefined();
  });

  it('maps stop, user and reasoning_effort', () => {
    const params = map({ stop: 'END', user: 'user-42', reasoning_effort: 'high' });
    expect(params.stop_sequences).toEqual(['END']);
    expect(params.metadata).toEqual({ user_id: 'user-42' });
    expect(params.output_config).toEqual({ effort: 'high' });
    expect(map({ stop: ['a', 'b'] }).stop_sequences).toEqual(['a', 'b']);
  });

  it('accepts neutral values, nulls and ignorable fields without sending them', () => {
    const params = map({
      messages: [{ role: 'user', content: 'hi', name: 'bob' }],
      temperature: 1,
      top_p: 1,
      n: 1,
      presence_penalty: 0,
      seed: null,
      stream: true,
      stream_options: { include_usage: true },
      store: false,
      metadata: { tag: 'x' },
    });
    expect(Object.keys(params).sort()).toEqual(['max_tokens', 'messages', 'model']);
    expect(params.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it.each([
    ['temperature', { temperature: 0.2 }],
    ['top_p', { top_p: 0.9 }],
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['seed', { seed: 7 }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['reasoning_effort', { reasoning_effort: 'minimal' }],
    ['tools[0]', { tools: [{ type: 'custom', custom: { name: 'sql' } }] }],
    [
      'messages[0].audio',
      { messages: [{ role: 'assistant', content: 'x', audio: { id: 'audio_1' } }] },
    ],
    ['messages[0]', { messages: [{ role: 'function', name: 'f', content: 'x' }] }],
  ] as const)('rejects %s as unsupported_feature', (param, extra) => {
    const error = failure(extra as Partial<ChatRequest>);
    expect(error.code).toBe(GatewayErrorCode.UNSUPPORTED_FEATURE);
    expect(error.param).toBe(param);
    expect(error.provider).toBe('anthropic');
  });
});
