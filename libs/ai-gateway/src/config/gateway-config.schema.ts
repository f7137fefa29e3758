import 'reflect-metadata';
import { Type } from 'class-transformer';
import { BudgetLimitsConfig, BudgetsConfig } from './budget-config.schema';
import { UsageConfig } from './usage-config.schema';
import { ServerConfig } from './server-config.schema';

export { ServerConfig } from './server-config.schema';
import { RouteConfig, RoutingConfig } from './routing-config.schema';

export {
  FALLBACK_REASONS,
  ROUTING_STRATEGIES,
  HedgeConfig,
  RouteConfig,
  RoutingConfig,
} from './routing-config.schema';
export type { FallbackReason, RoutingStrategy } from './routing-config.schema';
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
