import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { validateChatRequest, validateEmbeddingRequest } from './request.validator';

/** The GatewayError a validator throws for `body`. */
function rejection(validate: (body: unknown) => void, body: unknown): GatewayError {
  let thrown: unknown;
  try {
    validate(body);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GatewayError);
  return thrown as GatewayError;
}

const user = { role: 'user', content: 'hello' };
const chat = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'gpt-4o',
  messages: [user],
  ...extra,
});

describe(validateChatRequest.name, () => {
  it.each<[string, unknown, string]>([
    ['a body that is not an object', [chat()], 'body'],
    ['a null body', null, 'body'],
    ['a missing model', { messages: [user] }, 'model'],
    ['an empty model', chat({ model: '' }), 'model'],
    ['a blank model', chat({ model: '   ' }), 'model'],
    ['a numeric model', chat({ model: 4 }), 'model'],
    ['a model of 257 characters', chat({ model: 'm'.repeat(257) }), 'model'],
    ['missing messages', { model: 'gpt-4o' }, 'messages'],
    ['messages as an object', chat({ messages: { 0: user } }), 'messages'],
    ['no messages', chat({ messages: [] }), 'messages'],
    ['a message that is not an object', chat({ messages: [user, 'hi'] }), 'messages[1]'],
    [
      'an unknown role',
      chat({ messages: [user, { role: 'robot', content: 'x' }] }),
      'messages[1].role',
    ],
    ['a missing role', chat({ messages: [{ content: 'x' }] }), 'messages[0].role'],
    ['numeric content', chat({ messages: [{ role: 'user', content: 42 }] }), 'messages[0].content'],
    [
      'null user content',
      chat({ messages: [{ role: 'user', content: null }] }),
      'messages[0].content',
    ],
    [
      'null assistant content without tool calls',
      chat({ messages: [user, { role: 'assistant', content: null }] }),
      'messages[1].content',
    ],
    [
      'a tool message without tool_call_id',
      chat({ messages: [user, { role: 'tool', content: '{"ok":true}' }] }),
      'messages[1].tool_call_id',
    ],
    [
      'a numeric tool_call_id',
      chat({ messages: [user, { role: 'tool', content: 'x', tool_call_id: 7 }] }),
      'messages[1].tool_call_id',
    ],
    ['stream as text', chat({ stream: 'yes' }), 'stream'],
    ['stream as a number', chat({ stream: 1 }), 'stream'],
    ['stream_options as text', chat({ stream_options: 'usage' }), 'stream_options'],
    ['stream_options as an array', chat({ stream_options: [] }), 'stream_options'],
    ['temperature above 2', chat({ temperature: 2.5 }), 'temperature'],
    ['negative temperature', chat({ temperature: -0.1 }), 'temperature'],
    ['temperature as text', chat({ temperature: '0.7' }), 'temperature'],
    ['temperature NaN', chat({ temperature: NaN }), 'temperature'],
    ['top_p above 1', chat({ top_p: 1.01 }), 'top_p'],
    ['max_tokens of 0', chat({ max_tokens: 0 }), 'max_tokens'],
    ['fractional max_tokens', chat({ max_tokens: 10.5 }), 'max_tokens'],
    ['max_completion_tokens of 0', chat({ max_completion_tokens: 0 }), 'max_completion_tokens'],
    ['n of 0', chat({ n: 0 }), 'n'],
    ['n above 128', chat({ n: 129 }), 'n'],
    ['fractional n', chat({ n: 1.5 }), 'n'],
    ['presence_penalty below -2', chat({ presence_penalty: -3 }), 'presence_penalty'],
    ['frequency_penalty above 2', chat({ frequency_penalty: 2.1 }), 'frequency_penalty'],
    ['stop as a number', chat({ stop: 5 }), 'stop'],
    ['stop with a non-string', chat({ stop: ['END', 3] }), 'stop'],
    ['tools as an object', chat({ tools: { type: 'function' } }), 'tools'],
    ['a tool that is not an object', chat({ tools: ['lookup'] }), 'tools[0]'],
    [
      'a function tool without a function',
      chat({ tools: [{ type: 'function', function: { name: 'ok' } }, { type: 'function' }] }),
      'tools[1].function.name',
    ],
    [
      'a function tool with an empty name',
      chat({ tools: [{ type: 'function', function: { name: '' } }] }),
      'tools[0].function.name',
    ],
    ['response_format as text', chat({ response_format: 'json' }), 'response_format'],
    ['response_format without a type', chat({ response_format: {} }), 'response_format'],
  ])('rejects %s naming param %s', (_case, body, param) => {
    const error = rejection(validateChatRequest, body);
    expect(error).toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param,
      retryable: false,
    });
    expect(error.message).toContain(`'${param}'`);
  });

  it('names the bounds of a number out of range', () => {
    expect(rejection(validateChatRequest, chat({ top_p: 2 })).message).toBe(
      "Invalid request: 'top_p' must be between 0 and 1",
    );
    expect(rejection(validateChatRequest, chat({ n: 200 })).message).toBe(
      "Invalid request: 'n' must be between 1 and 128",
    );
  });

  it('reports the first bad field when several are wrong', () => {
    const error = rejection(
      validateChatRequest,
      chat({ messages: [{ role: 'user', content: 1 }], temperature: 9 }),
    );
    expect(error.param).toBe('messages[0].content');
  });

  it('accepts a minimal request', () => {
    const body = chat();
    validateChatRequest(body);
    expect(body.model).toBe('gpt-4o');
  });

  it('accepts unknown extra fields and leaves them in place', () => {
    const body = chat({
      logit_bias: { '50256': -100 },
      seed: 7,
      top_k: 40,
      vendor_extension: { nested: [1, 2] },
      messages: [
        { role: 'user', content: 'hi', name: 'alice', cache_control: { type: 'ephemeral' } },
      ],
    });
    const before = JSON.stringify(body);
    validateChatRequest(body);
    expect(JSON.stringify(body)).toBe(before);
  });

  it.each([
    [
      'tool_calls',
      { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    ],
    ['a legacy function_call', { function_call: { name: 'f', arguments: '{}' } }],
  ])('accepts assistant messages with %s and null or absent content', (_what, calls) => {
    const body = chat({
      messages: [
        user,
        { role: 'assistant', content: null, ...calls },
        { role: 'assistant', ...calls },
        { role: 'tool', content: '{"ok":true}', tool_call_id: 'c1' },
      ],
    });
    validateChatRequest(body);
    expect((body.messages as unknown[]).length).toBe(4);
  });

  it('accepts every role, content parts and all fields at their bounds', () => {
    const body = chat({
      messages: [
        { role: 'system', content: 's' },
        { role: 'developer', content: 'd' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'function', name: 'f', content: 'r' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0,
      top_p: 1,
      max_tokens: 1,
      max_completion_tokens: 10_000_000,
      n: 128,
      presence_penalty: -2,
      frequency_penalty: 2,
      stop: 'END',
      tools: [
        { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
        { type: 'web_search' },
      ],
      response_format: { type: 'json_object' },
    });
    validateChatRequest(body);
    expect(body.n).toBe(128);
  });

  it('treats null optional fields as absent', () => {
    const body = chat({
      stream: null,
      stream_options: null,
      temperature: null,
      max_tokens: null,
      stop: null,
      tools: null,
      response_format: null,
    });
    validateChatRequest(body);
    expect(body.temperature).toBeNull();
  });
});

describe(validateEmbeddingRequest.name, () => {
  const embed = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    model: 'text-embedding-3-small',
    input: 'hello',
    ...extra,
  });

  it.each<[string, unknown, string]>([
    ['a body that is not an object', 'hello', 'body'],
    ['a missing model', { input: 'x' }, 'model'],
    ['an empty model', embed({ model: '' }), 'model'],
    ['a missing input', { model: 'text-embedding-3-small' }, 'input'],
    ['an empty string input', embed({ input: '' }), 'input'],
    ['an empty array input', embed({ input: [] }), 'input'],
    ['a numeric input', embed({ input: 42 }), 'input'],
    ['mixed strings and numbers', embed({ input: ['a', 1] }), 'input'],
    [
      'a token array with a string',
      embed({
        input: [
          [1, 2],
          [3, 'x'],
        ],
      }),
      'input',
    ],
    ['an object input', embed({ input: { text: 'x' } }), 'input'],
    ['an unknown encoding_format', embed({ encoding_format: 'binary' }), 'encoding_format'],
    ['dimensions of 0', embed({ dimensions: 0 }), 'dimensions'],
    ['fractional dimensions', embed({ dimensions: 256.5 }), 'dimensions'],
    ['dimensions above 65536', embed({ dimensions: 65_537 }), 'dimensions'],
    ['dimensions as text', embed({ dimensions: '256' }), 'dimensions'],
  ])('rejects %s naming param %s', (_case, body, param) => {
    const error = rejection(validateEmbeddingRequest, body);
    expect(error).toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param,
      retryable: false,
    });
    expect(error.message).toContain(`'${param}'`);
  });

  it.each<[string, unknown]>([
    ['a string', 'hello'],
    ['strings', ['a', 'b']],
    ['tokens', [1, 2, 3]],
    ['token arrays', [[1, 2], [3]]],
  ])('accepts %s as input', (_case, input) => {
    const body = embed({ input });
    validateEmbeddingRequest(body);
    expect(body.input).toEqual(input);
  });

  it('accepts both encodings, dimensions and unknown fields', () => {
    for (const encoding_format of ['float', 'base64']) {
      const body = embed({ encoding_format, dimensions: 256, user: 'u-1', vendor_extra: true });
      validateEmbeddingRequest(body);
      expect(body).toMatchObject({ encoding_format, dimensions: 256, vendor_extra: true });
    }
  });
});
