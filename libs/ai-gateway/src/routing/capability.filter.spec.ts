import type { ModelInfoConfig } from '../config/gateway-config.schema';
import type { ChatRequest } from '../types/unified';
import type { RequestRequirements } from './strategies/strategy.types';
import {
  DEFAULT_OUTPUT_TOKENS,
  IMAGE_TOKENS,
  filterByCapability,
  requirementsOf,
  unmetRequirement,
} from './capability.filter';
import type { Candidate } from './strategies/strategy.types';

const chat = (fields: Partial<ChatRequest>): ChatRequest => ({
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  ...fields,
});

const needs = (fields: Partial<RequestRequirements> = {}): RequestRequirements => ({
  tools: false,
  json: false,
  vision: false,
  promptTokens: 100,
  maxOutputTokens: 100,
  ...fields,
});

const candidate = (name: string, index: number, info?: Partial<ModelInfoConfig>): Candidate => ({
  target: { provider: name, model: 'm' },
  index,
  info: info,
});

describe(requirementsOf.name, () => {
  it('estimates ⌈chars / 4⌉ over every message and defaults the output to 256', () => {
    const request = chat({
      messages: [
        { role: 'system', content: 'abcd' }, // 4
        { role: 'user', content: 'hello world!!' }, // 13
      ],
    });
    expect(requirementsOf(request)).toEqual({
      tools: false,
      json: false,
      vision: false,
      promptTokens: 5, // ⌈17 / 4⌉
      maxOutputTokens: DEFAULT_OUTPUT_TOKENS,
    });
    expect(DEFAULT_OUTPUT_TOKENS).toBe(256);
  });

  it('counts text parts and a flat 765 tokens per image, never the image URL', () => {
    const request = chat({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: '12345678' },
            {
              type: 'image_url',
              image_url: { url: `data:image/png;base64,${'A'.repeat(40_000)}` },
            },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    });
    const needsOf = requirementsOf(request);
    expect(needsOf.vision).toBe(true);
    expect(needsOf.promptTokens).toBe(2 + 2 * IMAGE_TOKENS);
    expect(IMAGE_TOKENS).toBe(765);
  });

  it('counts tool definitions as JSON and assistant tool calls', () => {
    const request = chat({
      messages: [
        { role: 'user', content: 'abcd' }, // 4
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' }, // 11 + 15
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' }, // 5
      ],
      // JSON: 86 characters
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
      ],
    });
    const needsOf = requirementsOf(request);
    expect(needsOf.tools).toBe(true);
    expect(needsOf.promptTokens).toBe(31); // ⌈(4 + 26 + 5 + 86) / 4⌉ = ⌈121 / 4⌉
  });

  it('treats legacy functions as tools and an empty tools list as none', () => {
    expect(requirementsOf(chat({ tools: [] })).tools).toBe(false);
    const legacy = requirementsOf(chat({ functions: [{ name: 'f' }] })); // 2 + 14 chars
    expect(legacy.tools).toBe(true);
    expect(legacy.promptTokens).toBe(4);
  });

  it('needs JSON for json_object and json_schema, counting the schema', () => {
    expect(requirementsOf(chat({ response_format: { type: 'text' } })).json).toBe(false);
    expect(requirementsOf(chat({ response_format: { type: 'json_object' } })).json).toBe(true);
    const schema = requirementsOf(
      chat({
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'r', schema: { type: 'object' } }, // 39 chars
        },
      }),
    );
    expect(schema.json).toBe(true);
    expect(schema.promptTokens).toBe(11); // ⌈(2 + 39) / 4⌉
  });

  it('takes max_completion_tokens over max_tokens, ignoring nonsense', () => {
    expect(requirementsOf(chat({ max_tokens: 500 })).maxOutputTokens).toBe(500);
    expect(
      requirementsOf(chat({ max_tokens: 500, max_completion_tokens: 700 })).maxOutputTokens,
    ).toBe(700);
    expect(requirementsOf(chat({ max_tokens: 0 })).maxOutputTokens).toBe(256);
    expect(requirementsOf(chat({ max_tokens: '9' as unknown as number })).maxOutputTokens).toBe(
      256,
    );
  });
});

describe(filterByCapability.name, () => {
  it('keeps candidates with unknown model info, or no features list, whatever is needed', () => {
    const all = needs({ tools: true, json: true, vision: true, promptTokens: 1e6 });
    const result = filterByCapability(
      [candidate('unknown', 0), candidate('silent', 1, { contextWindow: undefined })],
      all,
    );
    expect(result.kept.map((c) => c.target.provider)).toEqual(['unknown', 'silent']);
    expect(result.skipped).toEqual([]);
  });

  it('gives one reason per dropped candidate and keeps the order of the rest', () => {
    const list = [
      candidate('a', 0, { features: ['json', 'vision'] }),
      candidate('b', 1, { features: ['tools', 'json', 'vision'], contextWindow: 8_192 }),
      candidate('c', 2, { features: ['tools', 'vision'] }),
      candidate('d', 3, { features: ['tools', 'json'] }),
      candidate('e', 4, { features: ['tools', 'json', 'vision'], contextWindow: 1_000 }),
      candidate('f', 5, { features: ['tools', 'json', 'vision'] }),
    ];
    const result = filterByCapability(
      list,
      needs({ tools: true, json: true, vision: true, promptTokens: 900, maxOutputTokens: 200 }),
    );
    expect(result.kept.map((c) => c.target.provider)).toEqual(['b', 'f']);
    expect(result.skipped).toEqual([
      { target: { provider: 'a', model: 'm' }, reason: 'no_tools' },
      { target: { provider: 'c', model: 'm' }, reason: 'no_json' },
      { target: { provider: 'd', model: 'm' }, reason: 'no_vision' },
      { target: { provider: 'e', model: 'm' }, reason: 'context_window' },
    ]);
  });
});

describe(unmetRequirement.name, () => {
  it('fits a window exactly as large as prompt + max output, not one token smaller', () => {
    const request = needs({ promptTokens: 7_000, maxOutputTokens: 1_192 });
    expect(unmetRequirement({ contextWindow: 8_192 }, request)).toBeUndefined();
    expect(unmetRequirement({ contextWindow: 8_191 }, request)).toBe('context_window');
  });

  it('checks features only for what the request uses', () => {
    expect(unmetRequirement({ features: [] }, needs())).toBeUndefined();
    expect(unmetRequirement({ features: [] }, needs({ tools: true }))).toBe('no_tools');
    expect(unmetRequirement(undefined, needs({ tools: true }))).toBeUndefined();
  });
});
