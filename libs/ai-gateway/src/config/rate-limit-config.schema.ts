import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Numeric } from './field-coercion';

/** What a scope does while Redis is unreachable: local limiter (`open`) or 503 (`closed`). */
export const RATE_LIMIT_FAIL_MODES = ['open', 'closed'] as const;
export type RateLimitFailMode = (typeof RATE_LIMIT_FAIL_MODES)[number];

/**
 * The largest per-minute limit: times 60,000 (the buckets count in 1/60,000 of a unit,
 * see `token-bucket.ts`) it stays far inside the exact integers of a double and of Lua.
 */
export const MAX_RATE_LIMIT = 10_000_000_000;

/** The limits of one scope (global, a key, a user, a team, a model, an IP); each one optional. */
export class RateLimitConfig {
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_LIMIT)
  requestsPerMinute?: number;

  /** Prompt tokens plus `max_tokens` are held before the call, corrected to the usage after it. */
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_LIMIT)
  tokensPerMinute?: number;

  /** Requests in flight at once (a crashed instance's slots free themselves after a lease). */
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  concurrentRequests?: number;

  /** Overrides `rateLimits.failMode` for this scope. */
  @IsOptional()
  @IsIn(RATE_LIMIT_FAIL_MODES)
  failMode?: RateLimitFailMode;
}

/**
 * Rate limits (`rateLimits` in the YAML file): requests, tokens and concurrent requests
 * per minute, shared by every gateway instance through Redis. Read on every request,
 * so a reload applies to the next one.
 */
export class RateLimitsConfig {
  /**
   * Gateway instances sharing the limits: while Redis is unreachable each instance
   * limits locally at limit ÷ this, so the fleet stays near the limit.
   */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(10_000)
  expectedInstances = 1;

  /**
   * Requests per minute per caller (its verified key, else its IP) on each admin and usage
   * analytics route (`@nestjs/throttler`, counted in Redis when there is one). Model routes
   * are not counted here: the scopes below limit them.
   */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_LIMIT)
  adminRequestsPerMinute = 120;

  /** Default policy of every scope while Redis is unreachable. */
  @IsIn(RATE_LIMIT_FAIL_MODES)
  failMode: RateLimitFailMode = 'open';

  /** Shared by every request. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitConfig)
  global?: RateLimitConfig;

  /** Gateway keys without limits of their own (a key's own limits replace these). */
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitConfig)
  defaultKey?: RateLimitConfig;

  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitConfig)
  defaultUser?: RateLimitConfig;

  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitConfig)
  defaultTeam?: RateLimitConfig;

  /** By user id (replaces `defaultUser` for that user). */
  @IsObject()
  users: Record<string, RateLimitConfig> = {};

  /** By team id (replaces `defaultTeam` for that team). */
  @IsObject()
  teams: Record<string, RateLimitConfig> = {};

  /** By the model or route name the caller asked for, as written in the request. */
  @IsObject()
  models: Record<string, RateLimitConfig> = {};

  /** Per client IP, for callers without a gateway key. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitConfig)
  ip?: RateLimitConfig;
}
