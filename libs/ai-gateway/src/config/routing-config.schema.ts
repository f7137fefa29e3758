import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  IsNumber,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Flag, Numeric } from './field-coercion';

/** Failure kinds a route may fall back on (`fallbackOn`). Caller errors never fall back. */
export const FALLBACK_REASONS = [
  'rate_limit',
  'timeout',
  'server_error',
  'connection',
  'auth',
  'context_length',
  'content_filter',
] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

export const ROUTING_STRATEGIES = [
  'priority',
  'cost',
  'latency',
  'capability',
  'round-robin',
  'weighted',
] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** Hedging: start the next candidate when the first is slow to produce its first token. */
export class HedgeConfig {
  @Flag()
  @IsBoolean()
  enabled = false;

  /** Fixed delay before hedging; absent = the first candidate's measured p95 time to first token. */
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600_000)
  delayMs?: number;

  /** Floor for the measured delay, so a fast provider is not hedged on noise. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(600_000)
  minDelayMs = 50;
}

/** A named alias: `model: "<route>"` resolves to its targets (`provider/model`). */
export class RouteConfig {
  @IsString()
  @MinLength(1)
  name!: string;

  @IsArray()
  @IsString({ each: true })
  @MinLength(3, { each: true })
  targets: string[] = [];

  @IsIn(ROUTING_STRATEGIES)
  strategy: RoutingStrategy = 'priority';

  /** For `weighted`: one positive weight per target. */
  @Numeric()
  @IsOptional()
  @IsArray()
  @IsNumber({}, { each: true })
  @Min(0, { each: true })
  weights?: number[];

  /** Failure kinds that move to the next target; default `routing.fallbackOn`. */
  @IsOptional()
  @IsArray()
  @IsIn(FALLBACK_REASONS, { each: true })
  fallbackOn?: FallbackReason[];

  /** Retry a failing target (per its provider's retry policy) before falling back. */
  @Flag()
  @IsBoolean()
  retryBeforeFallback = false;

  /** Total deadline over every attempt and backoff; default `routing.deadlineMs`. */
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  deadlineMs?: number;

  @ValidateNested()
  @Type(() => HedgeConfig)
  hedge: HedgeConfig = new HedgeConfig();

  /** A rate limit with no room: wait up to this long for it (if it refills by then) instead of 429. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(30_000)
  rateLimitWaitMs = 0;

  /** A rate limit with no room: serve the request as this model or route instead of 429. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  rateLimitFallback?: string;
}

/** Defaults of every route (and of requests naming one model). */
export class RoutingConfig {
  @IsArray()
  @IsIn(FALLBACK_REASONS, { each: true })
  fallbackOn: FallbackReason[] = [...FALLBACK_REASONS];

  @Numeric()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  deadlineMs = 120_000;
}
