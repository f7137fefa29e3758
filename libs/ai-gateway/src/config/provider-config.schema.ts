import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Flag, Numeric } from './field-coercion';
import { BudgetLimitsConfig } from './budget-config.schema';
import { BreakerConfig, RetryConfig } from './provider-resilience.schema';

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

/** What the router knows about a model: for the cost and capability strategies. */
export class ModelInfoConfig {
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  contextWindow?: number;

  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  maxOutputTokens?: number;

  /** USD per million input tokens. */
  @Numeric()
  @IsOptional()
  @IsNumber()
  @Min(0)
  inputCostPerMTok?: number;

  /** USD per million output tokens. */
  @Numeric()
  @IsOptional()
  @IsNumber()
  @Min(0)
  outputCostPerMTok?: number;

  /** USD per million prompt tokens served from the provider's cache; default: the catalog's, else the input price. */
  @Numeric()
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
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  timeoutMs = 60_000;

  /** Time to open a TCP/TLS connection to the provider. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(600_000)
  connectTimeoutMs = 10_000;

  /** Time from sending the request to the first token (streams) or the response (otherwise). */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  firstTokenTimeoutMs = 60_000;

  /** Longest silence between two stream chunks. */
  @Numeric()
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
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  keyCooldownMs = 10_000;

  /** A key answering 401/403 is set aside this long (rotate it). */
  @Numeric()
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

  @Numeric()
  @IsInt()
  @Min(0)
  @Max(10)
  maxRetries = 2;

  /** Lower numbers are tried first when several providers can serve a request. */
  @Numeric()
  @IsInt()
  priority = 0;

  @Flag()
  @IsBoolean()
  enabled = true;

  /** Marks a provider whose answers are not a real model's (the built-in local fake). */
  @Flag()
  @IsBoolean()
  fake = false;

  /** Upper bound of pooled keep-alive connections to this provider. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(4096)
  maxConnections = 256;

  /**
   * Calls one gateway key may have in flight to this provider from one instance, so a
   * key holding slow streams cannot take the whole pool. Default: a quarter of
   * `maxConnections` (at least 1).
   */
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4096)
  maxConnectionsPerCaller?: number;

  /**
   * Sends the attempt's W3C trace context (`traceparent`, `tracestate`) upstream while
   * tracing is on. Off for a provider that refuses unknown headers.
   */
  @Flag()
  @IsBoolean()
  propagateTrace = true;

  /** Extra headers sent upstream on every call (e.g. OpenRouter's `HTTP-Referer`). */
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}
