import { OllamaChunkMapper } from './ollama-stream.mapper';

describe(OllamaChunkMapper.name, () => {
  it('maps text lines, a whole tool call, the finish and a usage chunk', () => {
    const mapper = new OllamaChunkMapper('chatcmpl-s', 'llama3');
    const line = (extra: object): never =>
      ({ model: 'llama3', created_at: '', done: false, ...extra }) as never;
    const chunks = [
      mapper.start(),
      ...mapper.map(line({ message: { role: 'assistant', content: 'Hi' } })),
      ...mapper.map(
        line({
          message: {
            role: 'assistant',
            content: '',
            tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }],
          },
        }),
      ),
      ...mapper.map(
        line({
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: 'stop',
          prompt_eval_count: 4,
          eval_count: 2,
        }),
      ),
    ];
    expect(mapper.done).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hi' },
      {
        tool_calls: [
          {
            index: 0,
            id: 'call_0',
            type: 'function',
            function: { name: 'f', arguments: '{"a":1}' },
          },
        ],
      },
      {},
      undefined,
    ]);
    expect(chunks[3].choices[0].finish_reason).toBe('tool_calls');
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
    });
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['chatcmpl-s']));
  });
});
