import type { ChatResponse } from '../types/unified';
import { replayChunks } from './replayed-stream';
import { StreamAssembler } from './stream-assembler';

const response: ChatResponse = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-x',
  system_fingerprint: 'fp_1',
  choices: [
    {
      index: 0,
      finish_reason: 'stop',
      logprobs: null,
      message: {
        role: 'assistant',
        content:
          'A long enough answer that it has to be cut into several pieces when it is replayed as a stream.',
        refusal: null,
      },
    },
    {
      index: 1,
      finish_reason: 'tool_calls',
      logprobs: null,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
        ],
      },
    },
  ],
  usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
};

describe('stream replay and assembly', () => {
  it('replays a response as OpenAI chunks that assemble back into it', () => {
    const chunks = replayChunks(response, true);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const pieces = chunks.filter((c) => c.choices[0]?.index === 0 && c.choices[0].delta.content);
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    for (const piece of pieces.slice(0, -1))
      expect(piece.choices[0].delta.content!.endsWith(' ')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: response.usage });
    const assembler = new StreamAssembler();
    for (const chunk of chunks) assembler.add(chunk);
    expect(assembler.complete()).toEqual(response);
  });

  it('leaves the usage chunk out unless asked for', () => {
    expect(replayChunks(response, false).some((c) => c.usage)).toBe(false);
  });

  it('gives nothing for a stream that never finished (a cut answer is never stored)', () => {
    const chunks = replayChunks(response, true);
    const assembler = new StreamAssembler();
    // Everything but choice 0's finish chunk.
    for (const chunk of chunks) {
      if (chunk.choices[0]?.index === 0 && chunk.choices[0].finish_reason) continue;
      assembler.add(chunk);
    }
    expect(assembler.complete()).toBeUndefined();
    expect(new StreamAssembler().complete()).toBeUndefined();
  });

  it('merges tool-call deltas split over chunks', () => {
    const assembler = new StreamAssembler();
    const chunk = (delta: object, finish: 'tool_calls' | null = null) => ({
      id: 'c',
      object: 'chat.completion.chunk' as const,
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    assembler.add(chunk({ role: 'assistant' }));
    assembler.add(
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_1',
            type: 'function',
            function: { name: 'get', arguments: '{"a"' },
          },
        ],
      }),
    );
    assembler.add(chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }));
    assembler.add(chunk({}, 'tool_calls'));
    expect(assembler.complete()?.choices[0].message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"a":1}' } },
      ],
    });
  });
});
