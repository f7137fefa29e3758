import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatChunk } from '../../types/unified';
import { AnthropicStreamMapper } from './anthropic-stream.mapper';

const usage = {
  input_tokens: 12,
  output_tokens: 1,
  cache_read_input_tokens: 30,
  cache_creation_input_tokens: 0,
};
const events = [
  {
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [],
      stop_reason: null,
      usage,
    },
  },
  {
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'thinking', thinking: '', signature: '' },
  },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
  { type: 'content_block_stop', index: 0 },
  {
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'text', text: '', citations: null },
  },
  { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hel' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'lo' } },
  { type: 'content_block_stop', index: 1 },
  {
    type: 'content_block_start',
    index: 2,
    content_block: { type: 'tool_use', id: 'toolu_a', name: 'weather', input: {} },
  },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } },
  {
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '{"city":' },
  },
  {
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
  },
  { type: 'content_block_stop', index: 2 },
  {
    type: 'content_block_start',
    index: 3,
    content_block: { type: 'tool_use', id: 'toolu_b', name: 'time', input: {} },
  },
  {
    type: 'content_block_delta',
    index: 3,
    delta: { type: 'input_json_delta', partial_json: '{}' },
  },
  { type: 'future_event', payload: 1 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 20, input_tokens: null },
  },
  { type: 'message_stop' },
] as unknown as RawMessageStreamEvent[];

describe(AnthropicStreamMapper.name, () => {
  const run = (
    list: RawMessageStreamEvent[],
  ): { mapper: AnthropicStreamMapper; chunks: ChatChunk[] } => {
    const mapper = new AnthropicStreamMapper('requested-model', 1_700_000_000);
    return { mapper, chunks: list.flatMap((event) => mapper.push(event)) };
  };

  it('translates a full stream into OpenAI deltas with running tool indexes, finish and usage', () => {
    const { mapper, chunks } = run(events);
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hel' },
      { content: 'lo' },
      {
        tool_calls: [
          {
            index: 0,
            id: 'toolu_a',
            type: 'function',
            function: { name: 'weather', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {
        tool_calls: [
          { index: 1, id: 'toolu_b', type: 'function', function: { name: 'time', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      {},
      null,
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null).slice(-2)).toEqual([
      'tool_calls',
      null,
    ]);
    expect(chunks[chunks.length - 1]).toEqual({
      id: 'msg_1',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'claude-x',
      choices: [],
      usage: {
        prompt_tokens: 42,
        completion_tokens: 20,
        total_tokens: 62,
        prompt_tokens_details: { cached_tokens: 30 },
      },
    });
    expect(chunks.every((c) => c.id === 'msg_1' && c.object === 'chat.completion.chunk')).toBe(
      true,
    );
    expect(mapper.complete).toBe(true);
    expect(mapper.finishReason).toBe('tool_calls');
  });

  it('is not complete until message_stop arrives', () => {
    const { mapper, chunks } = run(events.slice(0, 7));
    expect(mapper.complete).toBe(false);
    expect(chunks).toHaveLength(3);
  });

  it('maps a refusal to content_filter', () => {
    const { chunks } = run([
      events[0],
      {
        type: 'message_delta',
        delta: { stop_reason: 'refusal', stop_sequence: null },
        usage: { output_tokens: 0 },
      },
    ] as unknown as RawMessageStreamEvent[]);
    expect(chunks[1].choices[0].finish_reason).toBe('content_filter');
  });
});
