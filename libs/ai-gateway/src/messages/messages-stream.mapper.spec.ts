import type { ChatChunk, ChatResponse } from '../types/unified';
import { toAnthropicMessage, toAnthropicUsage } from './messages-response.mapper';
import { MessagesStreamMapper } from './messages-stream.mapper';
import type { MessagesStreamEvent } from './messages.types';

type Delta = ChatChunk['choices'][number]['delta'];

const chunk = (delta: Delta, finish: ChatChunk['choices'][number]['finish_reason'] = null) =>
  ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: finish }],
  }) as ChatChunk;

const usageChunk = (prompt: number, completion: number, cached?: number): ChatChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'gpt-4o-mini',
  choices: [],
  usage: {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
  },
});

function run(chunks: ChatChunk[]): MessagesStreamEvent[] {
  const mapper = new MessagesStreamMapper('msg_1', 'gpt-4o-mini');
  return [...mapper.start(), ...chunks.flatMap((c) => mapper.push(c)), ...mapper.end()];
}

describe(MessagesStreamMapper.name, () => {
  it('writes a text answer as message_start, ping, one text block, message_delta, message_stop', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({}, 'stop'),
      usageChunk(12, 2, 4),
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[3]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Hel' },
    });
    expect(events[6]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 8,
        output_tokens: 2,
        cache_read_input_tokens: 4,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('gives text and each tool call a block of its own, arguments as input_json_delta', () => {
    const events = run([
      chunk({ content: 'Let me check.' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({
        tool_calls: [
          { index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } },
        ],
      }),
      chunk({}, 'tool_calls'),
    ]);
    const starts = events.filter((e) => e.type === 'content_block_start');
    expect(starts).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'call_a', name: 'f', input: {} },
      },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'call_b', name: 'g', input: {} },
      },
    ]);
    const json = events.flatMap((e) =>
      e.type === 'content_block_delta' && e.delta.type === 'input_json_delta'
        ? [[e.index, e.delta.partial_json]]
        : [],
    );
    expect(json).toEqual([
      [1, '{"a":'],
      [1, '1}'],
      [2, '{}'],
    ]);
    // Every block is closed before the next starts, and once.
    expect(events.filter((e) => e.type === 'content_block_stop').map((e) => e.index)).toEqual([
      0, 1, 2,
    ]);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('maps length to max_tokens and an empty stream to end_turn with no block', () => {
    expect(run([chunk({ content: 'x' }, 'length')]).at(-2)).toMatchObject({
      delta: { stop_reason: 'max_tokens' },
    });
    expect(run([]).map((e) => e.type)).toEqual([
      'message_start',
      'ping',
      'message_delta',
      'message_stop',
    ]);
  });
});

describe(toAnthropicMessage.name, () => {
  const response = (message: ChatResponse['choices'][number]['message'], finish: string) =>
    ({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 0,
      model: 'gemini-2.0-flash',
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 },
    }) as ChatResponse;

  it('builds text and tool_use blocks with parsed input and the stop reason', () => {
    const message = toAnthropicMessage(
      response(
        {
          role: 'assistant',
          content: 'Checking.',
          refusal: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":[1,2]}' } },
          ],
        },
        'tool_calls',
      ),
      'msg_abc',
    );
    expect(message).toEqual({
      id: 'msg_abc',
      type: 'message',
      role: 'assistant',
      model: 'gemini-2.0-flash',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { x: [1, 2] } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: toAnthropicUsage({ prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 }),
    });
  });

  it('refuses tool arguments that are not a JSON object as the provider’s failure', () => {
    const bad = response(
      {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }],
      },
      'tool_calls',
    );
    expect(() => toAnthropicMessage(bad, 'msg_x', 'openai')).toThrow(/not a JSON object/);
  });
});
