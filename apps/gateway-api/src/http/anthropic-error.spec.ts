import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { toHttpError } from './openai-exception.filter';
import { isMessagesPath, toAnthropicError } from './anthropic-error';

describe(toAnthropicError.name, () => {
  it.each([
    [GatewayErrorCode.INVALID_REQUEST, 400, 'invalid_request_error'],
    [GatewayErrorCode.UNSUPPORTED_FEATURE, 400, 'invalid_request_error'],
    [GatewayErrorCode.INVALID_API_KEY, 401, 'authentication_error'],
    [GatewayErrorCode.MODEL_NOT_ALLOWED, 403, 'permission_error'],
    [GatewayErrorCode.MODEL_NOT_FOUND, 404, 'not_found_error'],
    [GatewayErrorCode.PAYLOAD_TOO_LARGE, 413, 'request_too_large'],
    [GatewayErrorCode.RATE_LIMIT_EXCEEDED, 429, 'rate_limit_error'],
    [GatewayErrorCode.BUDGET_EXCEEDED, 429, 'rate_limit_error'],
    [GatewayErrorCode.SERVER_ERROR, 502, 'api_error'],
    [GatewayErrorCode.TIMEOUT, 504, 'api_error'],
    [GatewayErrorCode.NO_PROVIDER_AVAILABLE, 503, 'overloaded_error'],
    [GatewayErrorCode.INTERNAL, 500, 'api_error'],
  ])('%s → %i %s', (code, status, type) => {
    const error = new GatewayError(code, 'nope', { retryAfterMs: 1500 });
    expect(toAnthropicError(toHttpError(error), 'req-1')).toEqual({
      status,
      body: {
        type: 'error',
        error: { type, message: 'nope', details: { error_code: code, param: null } },
        request_id: 'req-1',
      },
      retryAfterMs: 1500,
    });
  });

  it('answers anything unexpected as a 500 api_error without its details', () => {
    const { status, body } = toAnthropicError(toHttpError(new Error('secret detail')));
    expect(status).toBe(500);
    expect(body.error.type).toBe('api_error');
    expect(body.error.message).not.toContain('secret');
  });
});

describe(isMessagesPath.name, () => {
  it.each([
    ['/v1/messages', true],
    ['/v1/messages/count_tokens', true],
    ['/v1/messages?beta=true', true],
    ['/v1/messagesx', false],
    ['/v1/chat/completions', false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isMessagesPath(url)).toBe(expected);
  });
});
