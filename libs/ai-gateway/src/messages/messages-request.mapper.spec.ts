import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { toChatRequest, toCountTokensRequest } from './messages-request.mapper';

function refusal(call: () => unknown): GatewayError {
  try {
    call();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const base = { model: 'duo', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

describe(toChatRequest.name, () => {
  it('maps system blocks, turns, sampling, stop sequences and streaming', () => {
    const chat = toChatRequest({
      ...base,
      system: [
        { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Answer in French.' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      stream: true,
      metadata: { user_id: 'ann' },
    });
    expect(chat).toEqual({
      model: 'duo',
      max_tokens: 100,
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Be brief.' },
            { type: 'text', text: 'Answer in French.' },
          ],
        },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop: ['END'],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('turns tool_use into tool_calls and tool_result blocks into tool messages placed first', () => {
    const chat = toChatRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: '…', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Also: thanks.' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: '21 °C' },
                { type: 'text', text: 'sunny' },
              ],
              is_error: false,
            },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
            },
          ],
        },
      ],
    });
    expect(chat.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '21 °C\nsunny' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Also: thanks.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
  });

  it.each([
    [{ type: 'auto', disable_parallel_tool_use: true }, 'auto', false],
    [{ type: 'any' }, 'required', undefined],
    [
      { type: 'tool', name: 'get_weather' },
      { type: 'function', function: { name: 'get_weather' } },
      undefined,
    ],
    [{ type: 'none' }, 'none', undefined],
  ])('maps tool_choice %j', (choice, expected, parallel) => {
    const chat = toChatRequest({
      ...base,
      tools: [{ name: 'get_weather', description: 'd', input_schema: { type: 'object' } }],
      tool_choice: choice,
    });
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'd', parameters: { type: 'object' } },
      },
    ]);
    expect(chat.tool_choice).toEqual(expected);
    expect(chat.parallel_tool_calls).toBe(parallel);
  });

  it('maps output_config to response_format and reasoning_effort; accepts thinking disabled', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const chat = toChatRequest({
      ...base,
      thinking: { type: 'disabled' },
      output_config: { format: { type: 'json_schema', schema }, effort: 'low' },
    });
    expect(chat.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema, strict: true },
    });
    expect(chat.reasoning_effort).toBe('low');
  });

  it.each([
    [{ ...base, max_tokens: undefined }, GatewayErrorCode.INVALID_REQUEST, 'max_tokens'],
    [{ ...base, max_tokens: 1.5 }, GatewayErrorCode.INVALID_REQUEST, 'max_tokens'],
    [{ ...base, temperature: 1.5 }, GatewayErrorCode.INVALID_REQUEST, 'temperature'],
    [{ ...base, messages: [] }, GatewayErrorCode.INVALID_REQUEST, 'messages'],
    [
      { ...base, messages: [{ role: 'system', content: 'x' }] },
      GatewayErrorCode.INVALID_REQUEST,
      'messages[0].role',
    ],
    [{ ...base, service_tier: 'auto' }, GatewayErrorCode.UNSUPPORTED_FEATURE, 'service_tier'],
    [{ ...base, thinking: { type: 'adaptive' } }, GatewayErrorCode.UNSUPPORTED_FEATURE, 'thinking'],
    [
      { ...base, metadata: { tenant: 'x' } },
      GatewayErrorCode.UNSUPPORTED_FEATURE,
      'metadata.tenant',
    ],
    [
      { ...base, tools: [{ type: 'bash_20250124', name: 'bash' }] },
      GatewayErrorCode.UNSUPPORTED_FEATURE,
      'tools[0].type',
    ],
    [
      { ...base, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      GatewayErrorCode.UNSUPPORTED_FEATURE,
      'messages[0].content[0].type',
    ],
    [
      {
        ...base,
        messages: [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 'x' }] }],
      },
      GatewayErrorCode.INVALID_REQUEST,
      'messages[0].content[0].type',
    ],
    [
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'file', file_id: 'f1' } }],
          },
        ],
      },
      GatewayErrorCode.UNSUPPORTED_FEATURE,
      'messages[0].content[0].source.type',
    ],
  ])('refuses %j with %s naming the field', (body, code, param) => {
    const error = refusal(() => toChatRequest(body));
    expect(error.code).toBe(code);
    expect(error.param).toBe(param);
    expect(error.message).toContain(`'${param}'`);
  });
});

describe(toCountTokensRequest.name, () => {
  it('needs no max_tokens and refuses output settings', () => {
    expect(
      toCountTokensRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).toEqual({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(refusal(() => toCountTokensRequest({ ...base })).param).toBe('max_tokens');
  });
});
