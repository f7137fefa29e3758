import 'reflect-metadata';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { Numeric } from './field-coercion';

/** Retries on the same provider: exponential backoff with full jitter, Retry-After honoured. */
export class RetryConfig {
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(60_000)
  baseDelayMs = 250;

  @Numeric()
  @IsInt()
  @Min(0)
  @Max(300_000)
  maxDelayMs = 8_000;

  /** A provider's Retry-After longer than this is not waited for (fall back instead). */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(600_000)
  maxRetryAfterMs = 30_000;

  /** Retry budget: retries may add at most this share of the provider's calls. */
  @Numeric()
  @IsNumber()
  @Min(0)
  @Max(10)
  budgetRatio = 0.2;

  /** Retries always allowed per second regardless of the budget (so low traffic can retry). */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(10_000)
  minRetriesPerSecond = 5;
}

/** Circuit breaker of a provider (and of each of its keys). */
export class BreakerConfig {
  /** Opens after this many consecutive failures. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(10_000)
  failureThreshold = 5;

  /** ...or when the failure share over `windowMs` reaches this (with `minRequests` seen). */
  @Numeric()
  @IsNumber()
  @Min(0.01)
  @Max(1)
  errorRateThreshold = 0.5;

  @Numeric()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minRequests = 20;

  @Numeric()
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  windowMs = 60_000;

  /** How long the circuit stays open before one half-open probe is let through. */
  @Numeric()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  openMs = 30_000;
}
