import type { ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { formatResetDuration, GatewayError, GatewayErrorCode } from '@ai-gateway/core';

/**
 * `@nestjs/throttler`'s guard for the admin and usage controllers (after the auth
 * guard: see `adminThrottleTracker`). Over the limit it throws the gateway's own
 * `rate_limit_exceeded`, which the exception filter answers as every 429 of the gateway:
 * OpenAI's error shape, Retry-After and retry-after-ms. Model routes never pass here.
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterMs = Math.max(1, detail.timeToBlockExpire) * 1_000;
    const seconds = Math.ceil(detail.ttl / 1_000);
    throw new GatewayError(
      GatewayErrorCode.RATE_LIMIT_EXCEEDED,
      `Rate limit reached for this endpoint: ${detail.limit} requests per ${seconds} s per caller. ` +
        `Try again in ${formatResetDuration(retryAfterMs)}.`,
      { retryable: true, retryAfterMs },
    );
  }
}
