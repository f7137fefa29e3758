import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { fromAnthropicMessage, toUsage } from './anthropic-response.mapper';

describe('fromAnthropicMessage', () => {
  const message = (extra: Partial<Message>): Message =>
    ({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [{ type: 'text', text: 'Hello', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_read_input_tokens: null,
        cache_creation_input_tokens: null,
      },
      ...extra,
    }) as Message;

  it('builds a complete chat.completion', () => {
    expect(fromAnthropicMessage(message({}), 1_700_000_000)).toEqual({
      id: 'msg_1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-x',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  });

  it('turns tool_use blocks into tool calls with JSON arguments and a null content', () => {
    const res = fromAnthropicMessage(
      message({
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
        ] as Message['content'],
        stop_reason: 'tool_use',
      }),
    );
    expect(res.choices[0].message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: 'toolu_1',
          type: 'function',
          function: { name: 'weather', arguments: '{"city":"Paris"}' },
        },
      ],
    });
    expect(res.choices[0].finish_reason).toBe('tool_calls');
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    [null, 'stop'],
  ] as const)('maps stop_reason %s to finish_reason %s', (stopReason, finish) => {
    expect(
      fromAnthropicMessage(message({ stop_reason: stopReason })).choices[0].finish_reason,
    ).toBe(finish);
  });
});

describe('toUsage', () => {
  it('counts cache reads and writes into prompt_tokens and reports reads as cached_tokens', () => {
    expect(
      toUsage({
        input_tokens: 10,
        output_tokens: 4,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
      }),
    ).toEqual({
      prompt_tokens: 130,
      completion_tokens: 4,
      total_tokens: 134,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });
});
