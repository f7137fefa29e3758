import { GatewayErrorCode } from './gateway-error-code';
import { GatewayError } from './gateway.error';
import { codeForUpstreamStatus, parseRetryAfter, upstreamError } from './http-status-error.mapper';

describe(codeForUpstreamStatus.name, () => {
  it.each<[number, string, GatewayErrorCode]>([
    [429, '', GatewayErrorCode.RATE_LIMITED],
    [401, '', GatewayErrorCode.AUTH],
    [403, '', GatewayErrorCode.AUTH],
    [408, '', GatewayErrorCode.TIMEOUT],
    [504, '', GatewayErrorCode.TIMEOUT],
    [500, '', GatewayErrorCode.SERVER_ERROR],
    [502, '', GatewayErrorCode.SERVER_ERROR],
    [503, '', GatewayErrorCode.SERVER_ERROR],
    [529, '', GatewayErrorCode.SERVER_ERROR],
    [400, '', GatewayErrorCode.BAD_REQUEST],
    [404, 'The model `gpt-5` does not exist', GatewayErrorCode.BAD_REQUEST],
    [422, 'stream_options: Extra inputs are not permitted', GatewayErrorCode.BAD_REQUEST],
  ])('maps %i (hint "%s") to %s', (status, hint, code) => {
    expect(codeForUpstreamStatus(status, hint)).toBe(code);
  });

  it.each([
    'invalid_request_error context_length_exceeded',
    "This model's maximum context length is 8192 tokens",
    'prompt is too long: 210000 tokens > 200000 maximum',
    'input length exceeds the context window',
    'max_tokens: 100000 > 8192, which exceeds the limit',
    'Too many tokens in request',
  ])('maps a 400 with context-length wording "%s" to context_length_exceeded', (hint) => {
    expect(codeForUpstreamStatus(400, hint)).toBe(GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED);
  });

  it.each([
    'content_filter',
    'The response was filtered due to the prompt triggering content policy',
    'Response blocked by SAFETY settings',
  ])('maps a 400 with content-filter wording "%s" to content_filtered', (hint) => {
    expect(codeForUpstreamStatus(400, hint)).toBe(GatewayErrorCode.CONTENT_FILTERED);
  });

  it('lets the status win over the wording for 429, auth and 5xx', () => {
    expect(codeForUpstreamStatus(429, 'context_length_exceeded')).toBe(
      GatewayErrorCode.RATE_LIMITED,
    );
    expect(codeForUpstreamStatus(403, 'blocked by content_filter')).toBe(GatewayErrorCode.AUTH);
    expect(codeForUpstreamStatus(500, 'maximum context length')).toBe(
      GatewayErrorCode.SERVER_ERROR,
    );
  });
});

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it.each<[string, number]>([
    ['2', 2000],
    ['0', 0],
    ['120', 120_000],
    ['1.5', 1500],
    ['0.25', 250],
    ['0.0004', 0],
  ])('reads delta-seconds "%s" as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it('reads an HTTP-date relative to the given now', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 May 2024 12:01:00 GMT', now + 10_000)).toBe(50_000);
  });

  it('reads an HTTP-date in the past as 0', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 11:59:00 GMT', now)).toBe(0);
  });

  it.each<[string, string | null | undefined]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['a word', 'soon'],
    ['a duration phrase', 'in 5 seconds'],
    ['Infinity', 'Infinity'],
    ['a negative number', '-3'],
    ['hexadecimal', '0x10'],
    ['blanks', '   '],
    ['garbage Date.parse would accept', 'abc 1'],
    ['a dotted version', '1.2.3'],
  ])('returns undefined for %s', (_case, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe(upstreamError.name, () => {
  it.each<[number, GatewayErrorCode, boolean]>([
    [429, GatewayErrorCode.RATE_LIMITED, true],
    [500, GatewayErrorCode.SERVER_ERROR, true],
    [502, GatewayErrorCode.SERVER_ERROR, true],
    [503, GatewayErrorCode.SERVER_ERROR, true],
    [504, GatewayErrorCode.TIMEOUT, true],
    [529, GatewayErrorCode.SERVER_ERROR, true],
    [408, GatewayErrorCode.TIMEOUT, false],
    [501, GatewayErrorCode.SERVER_ERROR, false],
    [400, GatewayErrorCode.BAD_REQUEST, false],
    [401, GatewayErrorCode.AUTH, false],
    [403, GatewayErrorCode.AUTH, false],
    [404, GatewayErrorCode.BAD_REQUEST, false],
    [422, GatewayErrorCode.BAD_REQUEST, false],
  ])('maps %i to %s with retryable %s', (status, code, retryable) => {
    const error = upstreamError({ provider: 'openai', status });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code, retryable, provider: 'openai', upstreamStatus: status });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('carries Retry-After as retryAfterMs', () => {
    const error = upstreamError({ provider: 'openai', status: 429, retryAfter: '2' });
    expect(error).toMatchObject({ code: GatewayErrorCode.RATE_LIMITED, retryAfterMs: 2000 });
    expect(upstreamError({ provider: 'openai', status: 503, retryAfter: '0.5' }).retryAfterMs).toBe(
      500,
    );
    expect(upstreamError({ provider: 'openai', status: 429, retryAfter: null }).retryAfterMs).toBe(
      undefined,
    );
  });

  it("keeps the provider's message and names the provider and status", () => {
    const error = upstreamError({
      provider: 'mistral',
      status: 400,
      message: "Invalid 'messages[0].role'",
    });
    expect(error.message).toBe("Provider mistral answered 400: Invalid 'messages[0].role'");
    expect(upstreamError({ provider: 'mistral', status: 502 }).message).toBe(
      'Provider mistral answered 502',
    );
  });

  it('classifies with the error type as well as the message', () => {
    expect(
      upstreamError({
        provider: 'openai',
        status: 400,
        type: 'invalid_request_error context_length_exceeded',
        message: 'Please reduce your prompt.',
      }).code,
    ).toBe(GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED);
    expect(
      upstreamError({ provider: 'azure', status: 400, type: 'content_filter', message: 'No.' })
        .code,
    ).toBe(GatewayErrorCode.CONTENT_FILTERED);
  });
});
