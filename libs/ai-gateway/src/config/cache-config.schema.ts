import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Flag, Numeric } from './field-coercion';

/** Where exact entries live: `auto` = Redis when one is configured, else memory. */
export const CACHE_BACKENDS = ['auto', 'redis', 'memory', 'disabled'] as const;
export type CacheBackend = (typeof CACHE_BACKENDS)[number];

/**
 * What the exact key hashes: the messages only (`content`), the messages and the model
 * or route named (`content+model`), or every field that can change the answer
 * (`full_request`: messages, model, tools, response_format, sampling parameters, …).
 */
export const CACHE_HASH_STRATEGIES = ['content', 'content+model', 'full_request'] as const;
export type CacheHashStrategy = (typeof CACHE_HASH_STRATEGIES)[number];

/** `on` serves semantic hits; `shadow` only logs and counts them; `off` never looks. */
export const SEMANTIC_MODES = ['off', 'shadow', 'on'] as const;
export type SemanticMode = (typeof SEMANTIC_MODES)[number];

/** Which text of a request is embedded. */
export const SEMANTIC_INPUTS = ['last_user_message', 'all_user_messages'] as const;
export type SemanticInput = (typeof SEMANTIC_INPUTS)[number];

/** Whose entries a tenant may be served: its gateway key's (else its user's), or its team's. */
export const CACHE_TENANCY = ['key', 'team'] as const;
export type CacheTenancy = (typeof CACHE_TENANCY)[number];

/** Settings a route may override (`routes.<name>.cache`); absent fields inherit `cache`. */
export class RouteCacheConfig {
  @Flag()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  ttlSeconds?: number;

  @IsOptional()
  @IsIn(CACHE_HASH_STRATEGIES)
  hashStrategy?: CacheHashStrategy;

  /** Every tenant shares this route's entries (public, non-personal prompts only). */
  @Flag()
  @IsOptional()
  @IsBoolean()
  shared?: boolean;

  /** Cache requests that carry tools (their answer is a tool call to replay). */
  @Flag()
  @IsOptional()
  @IsBoolean()
  allowTools?: boolean;

  /** Only temperature 0 or a fixed seed is cached (the answer is meant to be stable). */
  @Flag()
  @IsOptional()
  @IsBoolean()
  requireDeterministic?: boolean;

  @IsOptional()
  @IsIn(SEMANTIC_MODES)
  semantic?: SemanticMode;

  /** Cosine similarity a semantic hit needs; default the embedder's calibrated one. */
  @Numeric()
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(1)
  semanticThreshold?: number;
}

/** The semantic layer (`cache.semanticCache`). */
export class SemanticCacheConfig {
  /**
   * `local` (built-in, no network) or a `provider/model` (or route) serving embeddings,
   * called through the gateway's own provider layer.
   */
  @IsString()
  @MinLength(1)
  embedder = 'local';

  /** Threshold for provider embedders (the local one has its own calibrated default). */
  @Numeric()
  @IsOptional()
  @IsNumber()
  @Min(0.5)
  @Max(1)
  threshold?: number;

  @IsIn(SEMANTIC_INPUTS)
  input: SemanticInput = 'last_user_message';

  /** Entries kept per scope (least recently used leave first). */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxEntriesPerScope = 10_000;

  /** Scopes kept in this instance's index (least recently used leave first). */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxScopes = 10_000;

  /**
   * Scopes one tenant may hold in this instance's index (its own least recently used leave
   * first). A scope is a system prompt, model and parameters: a tenant sending endless
   * distinct ones recycles its own scopes and never evicts another tenant's.
   */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxScopesPerTenant = 500;

  /**
   * Entries in one scope from which the nearest-neighbour search is approximate (HNSW,
   * re-ranked exactly); default: where an exact scan would cost ~1M multiply-adds
   * (2,605 entries at the local embedder's 384 dimensions).
   */
  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(10_000_000)
  annFrom?: number;

  /**
   * Longest text embedded, in characters after NFKC normalisation (longer prompts are not
   * semantically cached). Bounds the CPU the embedder and the prompt guards spend on one
   * request, about linear in it: ~3 ms at 8,000 characters of the most expensive text
   * found (random punctuation, Arabic script, ordinals), ~8 ms at 16,000 (the maximum).
   */
  @Numeric()
  @IsInt()
  @Min(16)
  @Max(16_000)
  maxInputChars = 8_000;
}

/**
 * The response cache (`cache` in the YAML file). Exact entries are keyed by a SHA-256 of
 * the tenant and the hash strategy's fields; semantic entries point at exact ones.
 * Read on every request, so a reload applies to the next one.
 */
export class CacheConfig {
  @IsIn(CACHE_BACKENDS)
  backend: CacheBackend = 'auto';

  /** Memory backend: entries are evicted (least recently used first) above this size. */
  @Numeric()
  @IsNumber()
  @Min(0.01)
  @Max(1_000_000)
  maxSizeMb = 128;

  @IsIn(CACHE_TENANCY)
  tenancy: CacheTenancy = 'key';

  @Flag()
  @IsBoolean()
  enabled = true;

  @Numeric()
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  ttlSeconds = 3_600;

  @IsIn(CACHE_HASH_STRATEGIES)
  hashStrategy: CacheHashStrategy = 'full_request';

  @Flag()
  @IsBoolean()
  shared = false;

  @Flag()
  @IsBoolean()
  allowTools = false;

  @Flag()
  @IsBoolean()
  requireDeterministic = true;

  @IsIn(SEMANTIC_MODES)
  semantic: SemanticMode = 'off';

  @ValidateNested()
  @Type(() => SemanticCacheConfig)
  semanticCache: SemanticCacheConfig = new SemanticCacheConfig();

  /** Per route or model name (`routes` entries or `provider/model`): overrides of the above. */
  @IsOptional()
  routes?: Record<string, RouteCacheConfig>;
}
