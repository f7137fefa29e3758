import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { messagesOfItems } from './responses-input.mapper';
import { parseResponsesRequest } from './responses-request.mapper';

function failure(body: unknown): GatewayError {
  try {
    parseResponsesRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe(parseResponsesRequest.name, () => {
  it('maps a string input, instructions and the sampling fields; echoes defaults', () => {
    const call = parseResponsesRequest({
      model: 'openai/gpt-4o-mini',
      input: 'Say hello',
      instructions: 'Be brief.',
      max_output_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u-1',
      metadata: { run: '7' },
      unknown_but_null: null,
    });
    expect(call).toMatchObject({
      model: 'openai/gpt-4o-mini',
      stream: false,
      store: true,
      instructions: 'Be brief.',
      input: [{ type: 'message', role: 'user', content: 'Say hello' }],
      params: { max_completion_tokens: 64, temperature: 0.2, top_p: 0.9, user: 'u-1' },
    });
    expect(call.echo).toEqual({
      instructions: 'Be brief.',
      max_output_tokens: 64,
      metadata: { run: '7' },
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: true,
      temperature: 0.2,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: 0.9,
      user: 'u-1',
    });
  });

  it('maps function tools, a named tool_choice and json_schema output', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    const call = parseResponsesRequest({
      model: 'm',
      input: 'x',
      tools: [{ type: 'function', name: 'weather', parameters: schema, strict: true }],
      tool_choice: { type: 'function', name: 'weather' },
      text: { format: { type: 'json_schema', name: 'out', schema, strict: true } },
      reasoning: { effort: 'low' },
      parallel_tool_calls: false,
    });
    expect(call.params).toEqual({
      tools: [
        { type: 'function', function: { name: 'weather', parameters: schema, strict: true } },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema, strict: true } },
      reasoning_effort: 'low',
      parallel_tool_calls: false,
    });
    const json = parseResponsesRequest({
      model: 'm',
      input: 'x',
      text: { format: { type: 'json_object' } },
    });
    expect(json.params.response_format).toEqual({ type: 'json_object' });
  });

  it.each([
    [{ tools: [{ type: 'web_search_preview' }] }, 'tools[0].type', "'web_search_preview'"],
    [{ tools: [{ type: 'file_search', vector_store_ids: [] }] }, 'tools[0].type', "'file_search'"],
    [{ tool_choice: { type: 'web_search_preview' } }, 'tool_choice', 'web_search_preview'],
    [{ conversation: 'conv_1' }, 'conversation', "'conversation'"],
    [{ include: ['file_search_call.results'] }, 'include', 'include'],
    [{ background: true }, 'background', 'Background'],
    [{ truncation: 'auto' }, 'truncation', 'truncation'],
    [{ reasoning: { summary: 'auto' } }, 'reasoning.summary', 'summaries'],
    [{ input: [{ type: 'file_search_call', id: 'fs_1' }] }, 'input[0].type', "'file_search_call'"],
    [
      { input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] },
      'input[0].content[0].type',
      "'input_file'",
    ],
    [
      { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] },
      'input[0].content[0].image_url',
      'file_id',
    ],
  ])('refuses what it cannot carry (%j) as unsupported_feature naming %s', (extra, param, text) => {
    const error = failure({ model: 'm', input: 'x', ...extra });
    expect(error.code).toBe(GatewayErrorCode.UNSUPPORTED_FEATURE);
    expect(error.param).toBe(param);
    expect(error.message).toContain(text);
  });

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: [] }, 'input'],
    [{ model: 'm', input: 'x', temperature: 3 }, 'temperature'],
    [{ model: 'm', input: 'x', max_output_tokens: 1.5 }, 'max_output_tokens'],
    [{ model: 'm', input: 'x', stream: 'yes' }, 'stream'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name'],
    [
      { model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'o' } } },
      'text.format.schema',
    ],
    [{ model: 'm', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role'],
    [
      { model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] },
      'input[0].call_id',
    ],
    [{ model: 'm', input: 'x', metadata: { a: 1 } }, 'metadata.a'],
  ])('answers a malformed body (%j) with invalid_request naming %s', (body, param) => {
    const error = failure(body);
    expect(error.code).toBe(GatewayErrorCode.INVALID_REQUEST);
    expect(error.param).toBe(param);
  });
});

describe(messagesOfItems.name, () => {
  it('turns messages, images, function calls and their outputs into chat messages', () => {
    const messages = messagesOfItems([
      { role: 'developer', content: 'Use tools.' },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this, and the weather?' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
        ],
      },
      {
        type: 'message',
        id: 'msg_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'A cat. ', annotations: [] }],
      },
      {
        type: 'function_call',
        id: 'fc_1',
        call_id: 'call_1',
        name: 'weather',
        arguments: '{"c":"P"}',
      },
      { type: 'function_call', call_id: 'call_2', name: 'weather', arguments: '{"c":"L"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
      {
        type: 'function_call_output',
        call_id: 'call_2',
        output: [{ type: 'input_text', text: 'rain' }],
      },
      { type: 'reasoning', id: 'rs_1', summary: [] },
    ]);
    expect(messages).toEqual([
      { role: 'developer', content: 'Use tools.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this, and the weather?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: 'A cat. ',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"c":"P"}' } },
          { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"c":"L"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: 'rain' },
    ]);
  });
});
