import type { ChatResponse, UsageTokens } from '../types/unified';

/** A stored answer: the complete response and what is needed to report a hit on it. */
export interface CachedResponse {
  response: ChatResponse;
  /** Provider (config name) and model id that produced it. */
  provider: string;
  model: string;
  usage?: UsageTokens;
  /** What producing it cost (micro-dollars), the saving of every hit; absent when unpriced. */
  costMicroUsd?: number;
  /** Epoch ms when it was stored. */
  storedAt: number;
  /** The request that produced it (for shadow-mode comparisons). */
  requestId: string;
  fake?: boolean;
}

/**
 * Holds exact entries by key. The memory store is bounded by size (least recently used
 * leave first), the Redis one by its TTLs and Redis's own memory policy.
 */
export interface ExactCacheStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, entry: CachedResponse, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** What this process holds (the memory store); undefined when the entries live elsewhere. */
  held(): { bytes: number; entries: number } | undefined;
}

/** Injection token of the {@link ExactCacheStore} chosen from `cache.backend`. */
export const EXACT_CACHE_STORE = Symbol('EXACT_CACHE_STORE');
