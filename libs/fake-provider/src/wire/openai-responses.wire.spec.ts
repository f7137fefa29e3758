import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';

describe('openAiResponsesWire', () => {
  let fake: FakeProviderServer;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider();
    client = new OpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: 'sk-resp', maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('answers with a message echoing the last user text, usage and the echoed request', async () => {
    const res = await client.responses.create({
      model: 'fake-chat',
      instructions: 'be brief',
      input: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: [{ type: 'input_text', text: 'hello there' }] },
      ],
      metadata: { run: '7' },
      store: false,
    });
    expect(res).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'fake-chat',
      instructions: 'be brief',
      metadata: { run: '7' },
      store: false,
      previous_response_id: null,
      tools: [],
      tool_choice: 'auto',
    });
    expect(res.id).toMatch(/^resp_/);
    expect(res.output_text).toBe('hello there');
    expect(res.output).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'hello there', annotations: [], logprobs: [] }],
      },
    ]);
    expect(res.usage).toMatchObject({
      output_tokens: 3,
      output_tokens_details: { reasoning_tokens: 0 },
      input_tokens_details: { cached_tokens: 0 },
    });
    expect(res.usage?.total_tokens).toBe((res.usage?.input_tokens ?? 0) + 3);
    expect(fake.requests[0]).toMatchObject({
      format: 'openai',
      operation: 'responses',
      path: '/openai/v1/responses',
      model: 'fake-chat',
      apiKey: 'sk-resp',
      stream: false,
    });
  });

  it('searches the web first when offered the web_search tool, and reasons when asked', async () => {
    fake.enqueue({ text: 'It is sunny.', usage: { prompt: 5, completion: 4, reasoning: 10 } });
    const res = await client.responses.create({
      model: 'fake-reasoner',
      input: 'weather in Paris',
      tools: [{ type: 'web_search' }],
      reasoning: { effort: 'low' },
    });
    expect(res.output.map((item) => item.type)).toEqual([
      'reasoning',
      'web_search_call',
      'message',
    ]);
    expect(res.output[1]).toMatchObject({
      id: expect.stringMatching(/^ws_/),
      status: 'completed',
      action: { type: 'search', query: 'weather in Paris' },
    });
    expect(res.output_text).toBe('It is sunny.');
    expect(res.reasoning).toMatchObject({ effort: 'low' });
    expect(res.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 14,
      output_tokens_details: { reasoning_tokens: 10 },
      total_tokens: 19,
    });
  });

  it('answers scripted tool calls as function_call items, without a message', async () => {
    fake.enqueue({ toolCalls: [{ name: 'lookup', arguments: { q: 'x' }, id: 'call_1' }] });
    const res = await client.responses.create({
      model: 'fake-chat',
      input: [
        { role: 'user', content: 'find x' },
        { type: 'function_call_output', call_id: 'call_0', output: 'earlier result' },
      ],
    });
    expect(res.output).toEqual([
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_1',
        name: 'lookup',
        arguments: '{"q":"x"}',
      }),
    ]);
  });

  it('streams events the SDK assembles, with the web search call and usage at the end', async () => {
    fake.enqueue({ text: 'one two three', usage: { prompt: 6, completion: 3 } });
    const stream = client.responses.stream({
      model: 'fake-chat',
      input: 'news today',
      tools: [{ type: 'web_search_preview' }],
    });
    const events: ResponseStreamEvent[] = [];
    stream.on('event', (event) => events.push(event));
    const final = await stream.finalResponse();

    expect(final.output_text).toBe('one two three');
    expect(final.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);
    expect(final.usage).toMatchObject({ input_tokens: 6, output_tokens: 3, total_tokens: 9 });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.web_search_call.in_progress',
      'response.web_search_call.searching',
      'response.web_search_call.completed',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(fake.requests[0]).toMatchObject({ operation: 'responses', stream: true });
  });

  it('writes named SSE events whose data carries the same type', async () => {
    const res = await fetch(`${fake.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-x' },
      body: JSON.stringify({ model: 'm', input: 'hi', stream: true }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const blocks = (await res.text()).trim().split('\n\n');
    for (const block of blocks) {
      const [event, data] = block.split('\n');
      const parsed = JSON.parse(data.slice('data: '.length)) as { type: string };
      expect(event).toBe(`event: ${parsed.type}`);
    }
    expect(blocks.at(-1)).toContain('"type":"response.completed"');
  });

  it('streams reasoning and function call arguments with create({ stream: true })', async () => {
    fake.enqueue({ text: 'ok', toolCalls: [{ name: 'f', arguments: '{"a":1}' }] });
    const stream = await client.responses.create({
      model: 'm',
      input: 'x',
      stream: true,
      reasoning: { effort: 'medium' },
    });
    const deltas: string[] = [];
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') deltas.push(event.delta);
      if (event.type === 'response.completed') final = event.response;
    }
    expect(deltas.join('')).toBe('{"a":1}');
    expect(final?.output.map((item) => item.type)).toEqual([
      'reasoning',
      'message',
      'function_call',
    ]);
    expect(final?.usage?.output_tokens_details.reasoning_tokens).toBe(16);
  });

  it('cuts the stream after some deltas, with no response.completed', async () => {
    fake.enqueue({ text: 'a b c d e', fault: 'disconnect', faultAfterChunks: 3 });
    const stream = await client.responses.create({ model: 'm', input: 'x', stream: true });
    const types: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) types.push(event.type);
      })(),
    ).rejects.toThrow();
    expect(types.filter((t) => t === 'response.output_text.delta')).toHaveLength(2);
    expect(types).not.toContain('response.completed');
  });

  it('sends an error event inside the 200 stream when scripted', async () => {
    fake.enqueue({ text: 'a b c', fault: 'error-event', faultAfterChunks: 2 });
    const stream = await client.responses.create({ model: 'm', input: 'x', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('error');
    expect(types).not.toContain('response.completed');
  });

  it('answers a scripted status in the OpenAI error shape', async () => {
    fake.enqueue({ status: 429, errorMessage: 'slow down' }, 1, { operation: 'responses' });
    const error = (await client.responses
      .create({ model: 'm', input: 'x' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.message).toContain('slow down');
    expect(fake.requests[0]).toMatchObject({ operation: 'responses', apiKey: 'sk-resp' });
  });

  it('reports an incomplete response when the script stops at the length limit', async () => {
    fake.enqueue({ text: 'cut', finishReason: 'length' });
    const res = await client.responses.create({ model: 'm', input: 'x', max_output_tokens: 16 });
    expect(res).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      max_output_tokens: 16,
    });
  });
});
