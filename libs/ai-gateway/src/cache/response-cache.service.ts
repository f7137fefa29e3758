import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { CacheOutcome, CallOptions, ResponseMeta } from '../pipeline/call-result';
import type { Clock } from '../resilience/clock';
import { CLOCK } from '../resilience/clock';
import type { ChatRequest, ChatResponse } from '../types/unified';
import { CacheMetrics } from './cache.metrics';
import type { KeyRouting } from './cache-key';
import { exactKeyOfAsync, semanticInputOf, tenantOf } from './cache-key';
import type { CachePolicy, CacheSkipReason } from './cache-policy';
import { cachePolicyOf } from './cache-policy';
import type { CachedResponse, ExactCacheStore } from './cached-response';
import { EXACT_CACHE_STORE } from './cached-response';
import type { Embedder } from './semantic/embedder';
import { LOCAL_EMBEDDER_DEFAULT_THRESHOLD, LocalEmbedder } from './semantic/local-embedder';
import type { PromptFeatures } from './semantic/prompt-guards';
import {
  PROMPT_FEATURES_VERSION,
  featuresConflict,
  promptFeatures,
} from './semantic/prompt-guards';
import type { EmbeddingsCall } from './semantic/provider-embedder';
import { ProviderEmbedder } from './semantic/provider-embedder';
import { nfkcWithin } from './semantic/prompt-words';
import type { SemanticScope, SemanticStore } from './semantic/semantic-store';
import { SEMANTIC_STORE } from './semantic/semantic-store';

/** How long a failing Redis is left alone before the cache tries it again. */
export const CACHE_BACKOFF_MS = 1_000;

/** Threshold of provider embedders unless configured (cosine of normalised vectors). */
export const PROVIDER_EMBEDDER_DEFAULT_THRESHOLD = 0.95;

/** What the semantic layer needs to store an answer it did not serve. */
interface SemanticPlan {
  scope: SemanticScope;
  vector: Float32Array;
  features: PromptFeatures;
}

/** The result of a lookup: a hit to serve, or how to store the answer once it exists. */
export interface CacheLookup {
  outcome: CacheOutcome;
  hit?: CachedResponse;
  /** Present when the answer may be stored. */
  store?: { key: string; ttlMs: number; semantic?: SemanticPlan };
}

type Usable = Extract<CachePolicy, { use: true }>;

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
  private readonly embedders = new Map<string, Embedder>();
  private embeddings?: EmbeddingsCall;

  constructor(
    private readonly config: GatewayConfigService,
    @Inject(EXACT_CACHE_STORE) private readonly exact: ExactCacheStore,
    @Inject(SEMANTIC_STORE) private readonly semantic: SemanticStore,
    private readonly metrics: CacheMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
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

  /** How provider embedders are called (the pipeline's embeddings path). */
  embedWith(call: EmbeddingsCall): void {
    this.embeddings = call;
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
        const found = await this.semanticLookup(body, tenant, key, policy, options, routing);
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
    await this.semantic.add(
      semantic.scope,
      semantic.vector,
      {
        exactKey: plan.key,
        features: JSON.stringify(semantic.features),
        requestId: entry.requestId,
        expiresAt: now + plan.ttlMs,
      },
      plan.ttlMs,
    );
    this.metrics.stored('semantic');
  }

  private async semanticLookup(
    body: ChatRequest,
    tenant: string,
    key: string,
    policy: Usable,
    options: CallOptions,
    routing: KeyRouting,
  ): Promise<{ hit?: CacheLookup; plan?: SemanticPlan } | undefined> {
    const settings = this.config.current.cache.semanticCache;
    const embedder = this.embedder(settings.embedder);
    if (!embedder) return undefined;
    // The guards' version scopes entries too: stored features always match the code.
    const input = semanticInputOf(
      body,
      settings.input,
      tenant,
      `${embedder.id}/features-v${PROMPT_FEATURES_VERSION}`,
      routing,
    );
    if (!input) return undefined;
    // Longer texts are not semantically cached: the embedder and the guards are linear in
    // the normalised text, and `maxInputChars` bounds their work (~3 ms at 8,000 chars).
    const text = nfkcWithin(input.text, settings.maxInputChars);
    if (text === undefined) return undefined;
    let vector: Float32Array;
    let features: PromptFeatures;
    try {
      vector = await embedder.embed(text);
      features = promptFeatures(text);
    } catch (error) {
      // A provider embedder that fails (or a prompt the guards cannot read) costs the
      // semantic layer of this request: never the request, nor the cache of other tenants
      // (an error past here would bypass the whole cache for the back-off).
      this.metrics.backendError('embedder', 'embed');
      this.logger.warn({ msg: 'semantic cache: embedding failed', error: String(error) });
      return undefined;
    }
    const scope: SemanticScope = { key: input.scope, tenant };
    const plan: SemanticPlan = { scope, vector, features };
    if (!policy.read) return { plan };
    const match = await this.semantic.nearest(scope, vector);
    const threshold =
      policy.semanticThreshold ??
      settings.threshold ??
      (embedder instanceof LocalEmbedder
        ? LOCAL_EMBEDDER_DEFAULT_THRESHOLD
        : PROVIDER_EMBEDDER_DEFAULT_THRESHOLD);
    if (!match || match.entry.exactKey === key || match.similarity < threshold) {
      this.metrics.lookup('semantic', 'miss');
      return { plan };
    }
    const conflict = featuresConflict(
      plan.features,
      JSON.parse(match.entry.features) as PromptFeatures,
    );
    if (conflict) {
      this.metrics.refused(conflict);
      this.metrics.lookup('semantic', 'guarded');
      return { plan };
    }
    const similarity = Math.round(match.similarity * 10_000) / 10_000;
    if (policy.semantic === 'shadow') {
      this.metrics.lookup('semantic', 'shadow_hit');
      this.logger.log({
        msg: 'semantic cache: shadow hit (not served)',
        requestId: options.requestId,
        matchedRequestId: match.entry.requestId,
        similarity,
        ...(this.config.current.logging.logPrompts ? { prompt: text } : {}),
      });
      return { plan };
    }
    const entry = await this.exact.get(match.entry.exactKey);
    if (!entry || !this.fresh(entry, policy)) {
      // Its answer expired or was evicted: the prompt no longer leads anywhere.
      if (!entry) this.semantic.forget(scope, match.entry.exactKey);
      this.metrics.lookup('semantic', 'miss');
      return { plan };
    }
    this.metrics.lookup('semantic', 'hit');
    return { hit: this.hit(entry, { status: 'semantic-hit', similarity }), plan };
  }

  private embedder(name: string): Embedder | undefined {
    const known = this.embedders.get(name);
    if (known) return known;
    let embedder: Embedder;
    if (name === 'local') embedder = new LocalEmbedder();
    else if (this.embeddings) embedder = new ProviderEmbedder(name, this.embeddings);
    else return undefined;
    this.embedders.set(name, embedder);
    return embedder;
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

  private fresh(entry: CachedResponse, policy: Usable): boolean {
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
