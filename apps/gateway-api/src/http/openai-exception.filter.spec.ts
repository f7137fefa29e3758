import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { toHttpError } from './openai-exception.filter';

describe('toHttpError', () => {
  it("answers @nestjs/throttler's ThrottlerException as a 429 rate_limit_exceeded", () => {
    expect(toHttpError(new ThrottlerException())).toEqual({
      status: 429,
      body: {
        error: {
          message: 'Too many requests to this endpoint; retry later',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    });
    expect(toHttpError(new HttpException('slow down', 429)).body.error.code).toBe(
      'rate_limit_exceeded',
    );
  });

  it('keeps the Retry-After of a rate_limit_exceeded GatewayError (the admin throttler)', () => {
    const error = new GatewayError(GatewayErrorCode.RATE_LIMIT_EXCEEDED, 'Rate limit reached', {
      retryAfterMs: 60_000,
    });
    expect(toHttpError(error)).toEqual({
      status: 429,
      body: {
        error: {
          message: 'Rate limit reached',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      retryAfterMs: 60_000,
    });
  });
});
