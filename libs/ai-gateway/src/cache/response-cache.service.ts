import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { CacheOutcome, CallOptions, ResponseMeta } from '../shared/call-result';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import type { ChatRequest, ChatResponse } from '../types/unified';
import { CacheMetrics } from './cache.metrics';
import { exactKeyOfAsync, tenantOf } from './cache-key';
import type { CacheSkipReason } from './cache-policy';
import { cachePolicyOf } from './cache-policy';
import type { CachedResponse, ExactCacheStore } from './cached-response';
import { EXACT_CACHE_STORE } from './cached-response';
import type { SemanticPlan, SemanticQuery, UsablePolicy } from './semantic/semantic-layer';
import { SemanticLayer } from './semantic/semantic-layer';

/** How long a failing Redis is left alone before the cache tries it again. */
export const CACHE_BACKOFF_MS = 1_000;

/** The result of a lookup: a hit to serve, or how to store the answer once it exists. */
export interface CacheLookup {
  outcome: CacheOutcome;
  hit?: CachedResponse;
  /** Present when the answer may be stored. */
  store?: { key: string; ttlMs: number; semantic?: SemanticPlan };
}

/**
 * The response cache on the request path: an exact lookup (SHA-256 of the tenant and
 * the request), then, on a miss, a semantic one (nearest prompt of the same scope, served
 * when similar enough and no guard objects). Never fails a request: a backend error
 * bypasses the cache for {@link CACHE_BACKOFF_MS} and is counted.
 */
@Injectable()
export class ResponseCache {
  private readonly logger = new Logger(ResponseCache.name);
  private unavailableUntil = 0;

  constructor(
    private readonly config: GatewayConfigService,
    @Inject(EXACT_CACHE_STORE) private readonly exact: ExactCacheStore,
    private readonly semantic: SemanticLayer,
    private readonly metrics: CacheMetrics,
    @InjectClock() private readonly clock: Clock,
  ) {
    // In-process memory: the memory exact store's, plus the semantic index (with Redis,
    // the mirror every instance keeps of the scopes it searched).
    metrics.measureWith(() => {
      const held = exact.held() ?? { bytes: 0, entries: 0 };
      return {
        bytes: held.bytes + semantic.bytes,
        entries: held.entries,
        semanticEntries: semantic.entries,
      };
    });
  }

  async lookup(body: ChatRequest, options: CallOptions): Promise<CacheLookup> {
    const config = this.config.current.cache;
    const policy = cachePolicyOf(config, body, options.cache);
    if (!policy.use) return this.skipped(policy.reason);
    if (this.unavailable()) return this.skipped('unavailable');
    const tenant = tenantOf(options.caller, config.tenancy, policy.shared);
    const routing = { chain: options.chain, fallback: options.allowFallback };
    const key = await exactKeyOfAsync(body, policy.strategy, tenant, routing);
    // Too deep or too large to canonicalise (library callers pass objects unchecked).
    if (key === undefined) return this.skipped('uncacheable');
    let semantic: SemanticPlan | undefined;
    try {
      if (policy.read) {
        const entry = await this.exact.get(key);
        if (entry && this.fresh(entry, policy)) {
          this.metrics.lookup('exact', 'hit');
          return this.hit(entry, { status: 'hit' });
        }
        this.metrics.lookup('exact', 'miss');
      }
      if (policy.semantic !== 'off' && (policy.read || policy.store)) {
        const query = { body, tenant, key, policy, options, routing };
        const found = await this.semanticLookup(query);
        if (found?.hit) return found.hit;
        semantic = found?.plan;
      }
    } catch (error) {
      this.failed(error, 'lookup');
      return this.skipped('unavailable');
    }
    return {
      outcome: { status: 'miss' },
      store: policy.store ? { key, ttlMs: policy.ttlMs, semantic } : undefined,
    };
  }

  /**
   * Stores a served answer (in the background: the caller never waits). Only complete
   * answers: every choice must have finished; errors never reach here.
   */
  store(lookup: CacheLookup, response: ChatResponse, meta: ResponseMeta): void {
    const plan = lookup.store;
    if (!plan || response.choices.length === 0) return;
    if (response.choices.some((choice) => !choice.finish_reason)) return;
    const now = this.clock.now();
    const entry: CachedResponse = {
      response,
      provider: meta.provider,
      model: meta.model,
      usage: meta.usage,
      costMicroUsd: meta.costMicroUsd,
      storedAt: now,
      requestId: meta.requestId,
      fake: meta.fake || undefined,
    };
    void this.put(plan, entry, now).catch((error: unknown) => this.failed(error, 'store'));
  }

  private async put(
    plan: NonNullable<CacheLookup['store']>,
    entry: CachedResponse,
    now: number,
  ): Promise<void> {
    // The exact entry first: a semantic entry must never point at an answer not yet there.
    await this.exact.set(plan.key, entry, plan.ttlMs);
    this.metrics.stored('exact');
    const semantic = plan.semantic;
    if (!semantic) return;
    const indexed = { exactKey: plan.key, requestId: entry.requestId, expiresAt: now + plan.ttlMs };
    await this.semantic.add(semantic, indexed, plan.ttlMs);
    this.metrics.stored('semantic');
  }

  /** The semantic layer's finding, and its match served when the exact entry is still fresh. */
  private async semanticLookup(
    query: SemanticQuery,
  ): Promise<{ hit?: CacheLookup; plan?: SemanticPlan } | undefined> {
    const found = await this.semantic.find(query);
    const match = found?.match;
    if (!found || !match) return found;
    const entry = await this.exact.get(match.exactKey);
    if (!entry || !this.fresh(entry, query.policy)) {
      // Its answer expired or was evicted: the prompt no longer leads anywhere.
      if (!entry) this.semantic.forget(match.scope, match.exactKey);
      this.metrics.lookup('semantic', 'miss');
      return { plan: found.plan };
    }
    this.metrics.lookup('semantic', 'hit');
    const outcome: CacheOutcome = { status: 'semantic-hit', similarity: match.similarity };
    return { hit: this.hit(entry, outcome), plan: found.plan };
  }

  private hit(entry: CachedResponse, outcome: CacheOutcome): CacheLookup {
    const now = this.clock.now();
    outcome.ageSeconds = Math.max(0, Math.floor((now - entry.storedAt) / 1000));
    outcome.savedMicroUsd = entry.costMicroUsd;
    if (entry.costMicroUsd) this.metrics.savedUsd(entry.costMicroUsd / 1_000_000);
    // The memory store hands out its own object: callers get a copy they may change.
    const response =
      this.exact.kind === 'memory' ? structuredClone(entry.response) : entry.response;
    return { outcome, hit: { ...entry, response } };
  }

  private fresh(entry: CachedResponse, policy: UsablePolicy): boolean {
    return policy.maxAgeMs === undefined || this.clock.now() - entry.storedAt <= policy.maxAgeMs;
  }

  private skipped(reason: CacheSkipReason): CacheLookup {
    this.metrics.skip(reason);
    return { outcome: { status: 'skip', reason } };
  }

  /** True while a failed backend is left alone. */
  private unavailable(): boolean {
    return this.unavailableUntil > this.clock.now();
  }

  private failed(error: unknown, operation: string): void {
    this.metrics.backendError(this.exact.kind, operation);
    const first = !this.unavailable();
    this.unavailableUntil = this.clock.now() + CACHE_BACKOFF_MS;
    if (first) {
      this.logger.warn({
        msg: 'response cache unavailable: bypassed',
        backend: this.exact.kind,
        operation,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
