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
  MinLength,
  ValidateIf,
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

  @IsInt()
  @Min(1)
  @Max(600_000)
  connectTimeoutMs = 10_000;

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

  /** Extra headers sent upstream on every call (e.g. OpenRouter's `HTTP-Referer`). */
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
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
  /** Set when the built-in local fake provider was added because nothing else is configured. */
  embeddedFake: boolean;
}
