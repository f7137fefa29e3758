import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ChatChunk } from '../types/unified';
import { ResponseEventBuilder } from './response-events';
import { parseResponsesRequest } from './responses-request.mapper';
import type { ResponseStreamEvent } from './responses.types';

const call = parseResponsesRequest({ model: 'route-a', input: 'hi' });

function chunk(delta: Record<string, unknown>, finish: string | null = null): ChatChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'upstream-model',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  } as ChatChunk;
}

const usageChunk = {
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'upstream-model',
  choices: [],
  usage: {
    prompt_tokens: 12,
    completion_tokens: 5,
    total_tokens: 17,
    prompt_tokens_details: { cached_tokens: 4 },
    completion_tokens_details: { reasoning_tokens: 2 },
  },
} as ChatChunk;

function run(chunks: ChatChunk[]): {
  events: ResponseStreamEvent[];
  builder: ResponseEventBuilder;
} {
  const builder = new ResponseEventBuilder('resp_1', call, 1_700_000_000);
  const events = [...builder.start(chunks[0]?.model)];
  for (const c of chunks) events.push(...builder.chunk(c));
  const { events: closing, response } = builder.finish();
  events.push(...closing, builder.final(response));
  return { events, builder };
}

describe(ResponseEventBuilder.name, () => {
  it('streams text as OpenAI does: created, item, part, deltas, the done events, completed', () => {
    const { events } = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello ' }),
      chunk({ content: 'world' }),
      chunk({}, 'stop'),
      usageChunk,
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0]).toMatchObject({
      response: { id: 'resp_1', status: 'in_progress', model: 'upstream-model', output: [] },
    });
    expect(events[6]).toMatchObject({ text: 'Hello world', output_index: 0, content_index: 0 });
    const completed = events[9].response;
    expect(completed).toMatchObject({
      status: 'completed',
      output: [
        {
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hello world', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 12,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 2 },
        total_tokens: 17,
      },
    });
    // Items in earlier events are snapshots: later text never changes what was sent.
    expect(events[2]).toMatchObject({ item: { status: 'in_progress', content: [] } });
  });

  it('streams function calls with argument deltas, one item after the other', () => {
    const { events } = run([
      chunk({ content: 'Checking.' }),
      chunk({
        tool_calls: [{ index: 0, id: 'call_a', function: { name: 'weather', arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({
        tool_calls: [{ index: 1, id: 'call_b', function: { name: 'time', arguments: '{}' } }],
      }),
      chunk({}, 'tool_calls'),
    ]);
    const types = events.map((e) => e.type);
    expect(types.slice(2)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const done = events.filter((e) => e.type === 'response.function_call_arguments.done');
    expect(done).toMatchObject([
      { output_index: 1, name: 'weather', arguments: '{"city":"Paris"}' },
      { output_index: 2, name: 'time', arguments: '{}' },
    ]);
    expect(events.at(-1)?.response).toMatchObject({
      status: 'completed',
      output: [
        { type: 'message' },
        { type: 'function_call', call_id: 'call_a', name: 'weather', status: 'completed' },
        { type: 'function_call', call_id: 'call_b', arguments: '{}' },
      ],
    });
  });

  it('ends a cut-off answer (finish_reason length) with response.incomplete', () => {
    const { events } = run([chunk({ content: 'Once upon' }), chunk({}, 'length')]);
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('reports a failure after the start as response.failed with the output so far', () => {
    const builder = new ResponseEventBuilder('resp_2', call, 1);
    builder.start('m');
    builder.chunk(chunk({ content: 'partial' }));
    const failed = builder.failed(
      new GatewayError(GatewayErrorCode.STREAM_INTERRUPTED, 'The provider closed the stream'),
    );
    expect(failed).toMatchObject({
      type: 'response.failed',
      sequence_number: 5,
      response: {
        status: 'failed',
        error: { code: 'stream_interrupted', message: 'The provider closed the stream' },
        output: [{ type: 'message', status: 'in_progress' }],
      },
    });
    expect(builder.nextSequence()).toBe(6);
  });
});
