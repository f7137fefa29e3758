import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest } from '../../types/unified';
import { fromOllamaChatResponse, toOllamaChatRequest } from './ollama.mapper';

const P = 'local-ollama';

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const chat = (extra: Partial<ChatRequest> & Record<string, unknown> = {}): ChatRequest => ({
  model: 'llama3',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('toOllamaChatRequest', () => {
  it('maps prompts, multi-turn tool history and images to Ollama messages', () => {
    const body = toOllamaChatRequest(
      chat({
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'developer', content: [{ type: 'text', text: 'use tools' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              {
                id: 'call_9',
                type: 'function',
                function: { name: 'lookup', arguments: '{"q":"x"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_9', content: 'found x' },
          { role: 'tool', tool_call_id: 'unknown', content: 'orphan' },
        ],
      }),
      P,
      false,
    );
    expect(body).toEqual({
      model: 'llama3',
      stream: false,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'system', content: 'use tools' },
        { role: 'user', content: 'what is this?', images: ['iVBORw0KGgo='] },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'lookup', arguments: { q: 'x' } } }],
        },
        { role: 'tool', content: 'found x', tool_name: 'lookup' },
        { role: 'tool', content: 'orphan' },
      ],
    });
  });

  it('maps sampling fields, stop and max tokens into options', () => {
    const body = toOllamaChatRequest(
      chat({
        temperature: 0.2,
        top_p: 0.9,
        seed: 7,
        stop: 'END',
        max_tokens: 50,
        max_completion_tokens: 40,
        frequency_penalty: 0.5,
        presence_penalty: 0.25,
        options: { num_ctx: 8192 },
        keep_alive: '10m',
        user: 'u-1',
        stream_options: { include_usage: true },
        n: 1,
        parallel_tool_calls: true,
      }),
      P,
      true,
    );
    expect(body.stream).toBe(true);
    expect(body.keep_alive).toBe('10m');
    expect(body.options).toEqual({
      num_ctx: 8192,
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      stop: ['END'],
      num_predict: 40,
      frequency_penalty: 0.5,
      presence_penalty: 0.25,
    });
  });

  it('maps JSON mode to format json and a JSON schema to the schema itself', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(
      toOllamaChatRequest(chat({ response_format: { type: 'json_object' } }), P, false).format,
    ).toBe('json');
    const withSchema = chat({
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } },
    });
    expect(toOllamaChatRequest(withSchema, P, false).format).toEqual(schema);
    expect(
      toOllamaChatRequest(chat({ response_format: { type: 'text' } }), P, false).format,
    ).toBeUndefined();
  });

  it('sends tools for auto and leaves them out for tool_choice none', () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'lookup',
          description: 'find',
          parameters: { type: 'object' },
          strict: true,
        },
      },
    ];
    expect(toOllamaChatRequest(chat({ tools, tool_choice: 'auto' }), P, false).tools).toEqual([
      {
        type: 'function',
        function: { name: 'lookup', description: 'find', parameters: { type: 'object' } },
      },
    ]);
    expect(
      toOllamaChatRequest(chat({ tools, tool_choice: 'none' }), P, false).tools,
    ).toBeUndefined();
  });

  it.each([
    ['tool_choice', { tool_choice: 'required' }],
    ['tool_choice', { tool_choice: { type: 'function', function: { name: 'lookup' } } }],
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['parallel_tool_calls', { parallel_tool_calls: false }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['reasoning_effort', { reasoning_effort: 'high' }],
    ['some_new_field', { some_new_field: 1 }],
  ])('refuses %s it cannot carry as unsupported_feature', (param, extra) => {
    const error = failure(() =>
      toOllamaChatRequest(chat(extra as Record<string, unknown>), P, false),
    );
    expect(error).toMatchObject({ code: GatewayErrorCode.UNSUPPORTED_FEATURE, provider: P, param });
  });

  it.each([
    [
      'messages[0].content[0].image_url.url',
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    ],
    [
      'messages[0].content[0].type',
      {
        role: 'user',
        content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }],
      },
    ],
    ['messages[0].name', { role: 'user', content: 'hi', name: 'bob' }],
    ['messages[0].refusal', { role: 'assistant', content: 'x', refusal: 'I will not' }],
    ['messages[0].role', { role: 'function', name: 'f', content: 'x' }],
  ])('refuses message content it cannot carry (%s)', (param, message) => {
    const error = failure(() =>
      toOllamaChatRequest(chat({ messages: [message as never] }), P, false),
    );
    expect(error).toMatchObject({ code: GatewayErrorCode.UNSUPPORTED_FEATURE, param });
  });

  it('rejects tool-call history whose arguments are not a JSON object as bad_request', () => {
    const error = failure(() =>
      toOllamaChatRequest(
        chat({
          messages: [
            {
              role: 'assistant',
              tool_calls: [
                { id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } },
              ],
            },
          ],
        }),
        P,
        false,
      ),
    );
    expect(error).toMatchObject({
      code: GatewayErrorCode.BAD_REQUEST,
      param: 'messages[0].tool_calls[0].function.arguments',
    });
  });
});

describe('fromOllamaChatResponse', () => {
  const base = { model: 'llama3', created_at: '2024-05-01T10:00:00.123456Z', done: true };

  it('builds a chat.completion with usage and the stop reason', () => {
    const res = fromOllamaChatResponse(
      {
        ...base,
        message: { role: 'assistant', content: 'hello' },
        done_reason: 'stop',
        prompt_eval_count: 12,
        eval_count: 3,
      },
      'chatcmpl-r1',
    );
    expect(res).toEqual({
      id: 'chatcmpl-r1',
      object: 'chat.completion',
      created: 1714557600,
      model: 'llama3',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'hello', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    });
  });

  it('turns tool calls into OpenAI calls with call_<n> ids and tool_calls finish', () => {
    const res = fromOllamaChatResponse(
      {
        ...base,
        done_reason: 'stop',
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [
            { function: { name: 'a', arguments: { x: 1 } } },
            { function: { name: 'b', arguments: {} } },
          ],
        },
      },
      'id',
    );
    const choice = res.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      { id: 'call_0', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
      { id: 'call_1', type: 'function', function: { name: 'b', arguments: '{}' } },
    ]);
    expect(res.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('maps done_reason length to length', () => {
    const res = fromOllamaChatResponse(
      { ...base, message: { role: 'assistant', content: 'x' }, done_reason: 'length' },
      'id',
    );
    expect(res.choices[0].finish_reason).toBe('length');
  });
});
