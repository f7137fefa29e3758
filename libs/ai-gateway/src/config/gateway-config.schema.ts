import 'reflect-metadata';
import { Type } from 'class-transformer';
import { BudgetLimitsConfig, BudgetsConfig } from './budget-config.schema';
import { UsageConfig } from './usage-config.schema';
import type { AuthConfig } from './auth-config.schema';
import type { RateLimitsConfig } from './rate-limit-config.schema';
import type { CacheConfig } from './cache-config.schema';
import type { TasksConfig } from './tasks-config.schema';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  IsNumber,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const PROVIDER_KINDS = [
  'openai',
  'mistral',
  'openai-compatible',
  'anthropic',
  'gemini',
  'ollama',
  'fake',
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Kinds whose upstream needs an API key to answer. */
export const KINDS_NEEDING_KEYS: ReadonlySet<ProviderKind> = new Set([
  'openai',
  'mistral',
  'anthropic',
  'gemini',
]);

export const DEFAULT_BASE_URLS: Readonly<Partial<Record<ProviderKind, string>>> = {
  openai: 'https://api.openai.com/v1',
  mistral: 'https://api.mistral.ai/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  ollama: 'http://127.0.0.1:11434',
};

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

export const MODEL_FEATURES = ['tools', 'json', 'vision'] as const;
export type ModelFeature = (typeof MODEL_FEATURES)[number];

/** Retries on the same provider: exponential backoff with full jitter, Retry-After honoured. */
export class RetryConfig {
  @IsInt()
  @Min(0)
  @Max(60_000)
  baseDelayMs = 250;

  @IsInt()
  @Min(0)
  @Max(300_000)
  maxDelayMs = 8_000;

  /** A provider's Retry-After longer than this is not waited for (fall back instead). */
  @IsInt()
  @Min(0)
  @Max(600_000)
  maxRetryAfterMs = 30_000;

  /** Retry budget: retries may add at most this share of the provider's calls. */
  @IsNumber()
  @Min(0)
  @Max(10)
  budgetRatio = 0.2;

  /** Retries always allowed per second regardless of the budget (so low traffic can retry). */
  @IsInt()
  @Min(0)
  @Max(10_000)
  minRetriesPerSecond = 5;
}

/** Circuit breaker of a provider (and of each of its keys). */
export class BreakerConfig {
  /** Opens after this many consecutive failures. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  failureThreshold = 5;

  /** ...or when the failure share over `windowMs` reaches this (with `minRequests` seen). */
  @IsNumber()
  @Min(0.01)
  @Max(1)
  errorRateThreshold = 0.5;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minRequests = 20;

  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  windowMs = 60_000;

  /** How long the circuit stays open before one half-open probe is let through. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  openMs = 30_000;
}

/** What the router knows about a model: for the cost and capability strategies. */
export class ModelInfoConfig {
  @IsOptional()
  @IsInt()
  @Min(1)
  contextWindow?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  maxOutputTokens?: number;

  /** USD per million input tokens. */
  @IsOptional()
  @IsNumber()
  @Min(0)
  inputCostPerMTok?: number;

  /** USD per million output tokens. */
  @IsOptional()
  @IsNumber()
  @Min(0)
  outputCostPerMTok?: number;

  /** USD per million prompt tokens served from the provider's cache; default: the catalog's, else the input price. */
  @IsOptional()
  @IsNumber()
  @Min(0)
  cachedInputCostPerMTok?: number;

  /** Features the model supports; absent means "unknown, assume yes". */
  @IsOptional()
  @IsArray()
  @IsIn(MODEL_FEATURES, { each: true })
  features?: ModelFeature[];
}

/** One upstream provider: `providers.<name>` in the YAML file. */
export class ProviderConfig {
  /** The map key; also the prefix in `provider/model` names. */
  @IsString()
  @MinLength(1)
  name!: string;

  @IsIn(PROVIDER_KINDS)
  kind!: ProviderKind;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  baseUrl?: string;

  /** One or more keys; required for enabled providers whose kind needs one. */
  @IsArray()
  @IsString({ each: true })
  @ValidateIf((p: ProviderConfig) => p.enabled && KINDS_NEEDING_KEYS.has(p.kind))
  @ArrayNotEmpty({ message: 'at least one key is required for an enabled provider of this kind' })
  @MinLength(1, { each: true, message: 'apiKeys must not contain empty keys' })
  apiKeys: string[] = [];

  /** Models served; empty means "whatever the provider accepts". */
  @IsArray()
  @IsString({ each: true })
  models: string[] = [];

  /** Total time for one attempt, in milliseconds. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  timeoutMs = 60_000;

  /** Time to open a TCP/TLS connection to the provider. */
  @IsInt()
  @Min(1)
  @Max(600_000)
  connectTimeoutMs = 10_000;

  /** Time from sending the request to the first token (streams) or the response (otherwise). */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  firstTokenTimeoutMs = 60_000;

  /** Longest silence between two stream chunks. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  idleTimeoutMs = 30_000;

  @ValidateNested()
  @Type(() => RetryConfig)
  retry: RetryConfig = new RetryConfig();

  @ValidateNested()
  @Type(() => BreakerConfig)
  breaker: BreakerConfig = new BreakerConfig();

  /** A key answering 429 without Retry-After rests this long (with one: that long). */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  keyCooldownMs = 10_000;

  /** A key answering 401/403 is set aside this long (rotate it). */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  keyQuarantineMs = 600_000;

  /** Daily/monthly caps on this provider's spend: over its cap it is skipped, the chain goes on. */
  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetLimitsConfig)
  budget?: BudgetLimitsConfig;

  /** Per-model facts (context window, prices, features), keyed by the provider's model id. */
  @IsObject()
  modelInfo: Record<string, ModelInfoConfig> = {};

  @IsInt()
  @Min(0)
  @Max(10)
  maxRetries = 2;

  /** Lower numbers are tried first when several providers can serve a request. */
  @IsInt()
  priority = 0;

  @IsBoolean()
  enabled = true;

  /** Marks a provider whose answers are not a real model's (the built-in local fake). */
  @IsBoolean()
  fake = false;

  /** Upper bound of pooled keep-alive connections to this provider. */
  @IsInt()
  @Min(1)
  @Max(4096)
  maxConnections = 256;

  /**
   * Calls one gateway key may have in flight to this provider from one instance, so a
   * key holding slow streams cannot take the whole pool. Default: a quarter of
   * `maxConnections` (at least 1).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4096)
  maxConnectionsPerCaller?: number;

  /** Extra headers sent upstream on every call (e.g. OpenRouter's `HTTP-Referer`). */
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}

/** Hedging: start the next candidate when the first is slow to produce its first token. */
export class HedgeConfig {
  @IsBoolean()
  enabled = false;

  /** Fixed delay before hedging; absent = the first candidate's measured p95 time to first token. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600_000)
  delayMs?: number;

  /** Floor for the measured delay, so a fast provider is not hedged on noise. */
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
  @IsBoolean()
  retryBeforeFallback = false;

  /** Total deadline over every attempt and backoff; default `routing.deadlineMs`. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  deadlineMs?: number;

  @ValidateNested()
  @Type(() => HedgeConfig)
  hedge: HedgeConfig = new HedgeConfig();

  /** A rate limit with no room: wait up to this long for it (if it refills by then) instead of 429. */
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

  @IsInt()
  @Min(1)
  @Max(3_600_000)
  deadlineMs = 120_000;
}

/** Shared state (breakers, later limits and budgets) lives in Redis when it is configured. */
export class RedisConfig {
  @IsOptional()
  @IsString()
  url?: string;

  @IsString()
  keyPrefix = 'aigw:';

  /** Redis calls on the request path give up after this; an outage is a fast decision. */
  @IsInt()
  @Min(1)
  @Max(60_000)
  commandTimeoutMs = 200;
}

export class ServerConfig {
  @IsInt()
  @Min(0)
  @Max(65_535)
  port = 8080;

  @IsString()
  host = '0.0.0.0';

  /** Largest request body accepted, in bytes (413 above). */
  @IsInt()
  @Min(1024)
  bodyLimitBytes = 10 * 1024 * 1024;

  /**
   * Time to receive a whole request, headers and body (408 and close past it). Only the
   * request: a long answer or stream is not cut by it.
   */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  requestTimeoutMs = 60_000;

  /** Time to receive a request's headers, and for a new connection to send them (at most requestTimeoutMs). */
  @IsInt()
  @Min(100)
  @Max(600_000)
  headersTimeoutMs = 10_000;

  /** An idle keep-alive connection is closed after this; keep it above the proxy's idle timeout. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  keepAliveTimeoutMs = 72_000;

  /** Open client connections at most; past it new connections are closed at once. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxConnections = 10_000;

  /** Proxies (IPs or CIDRs) whose X-Forwarded-For names the client; none by default. */
  @IsArray()
  @IsString({ each: true })
  trustedProxies: string[] = [];

  /** Failed key checks (401) per client address and minute before it gets 429 (per instance). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  authFailuresPerMinute = 20;

  /** With auth on: `/metrics` needs the admin key or `metricsToken` (`admin`), or none (`public`). */
  @IsIn(['admin', 'public'])
  metricsAccess: 'admin' | 'public' = 'admin';

  /** A read-only bearer token for `/metrics` alone (for Prometheus), besides the admin key. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  metricsToken?: string;
}

export class LoggingConfig {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Prompt and completion text never reach the logs unless this is switched on. */
  @IsBoolean()
  logPrompts = false;
}

/** The whole validated configuration. Read it through `GatewayConfigService.current`. */
export interface GatewayConfig {
  server: ServerConfig;
  logging: LoggingConfig;
  providers: Record<string, ProviderConfig>;
  routes: Record<string, RouteConfig>;
  routing: RoutingConfig;
  budgets: BudgetsConfig;
  rateLimits: RateLimitsConfig;
  cache: CacheConfig;
  usage: UsageConfig;
  auth: AuthConfig;
  /** Present when a Redis URL is configured (`redis.url` or `REDIS_URL`). */
  redis?: RedisConfig;
  /** Resume tasks: models, inline limit, queue, workers, webhooks. */
  tasks: TasksConfig;
  /** Set when the built-in local fake provider was added because nothing else is configured. */
  embeddedFake: boolean;
}
