import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayConfigService } from '../../config/gateway-config.service';
import type { CallOptions } from '../../shared/call-result';
import type { ChatRequest } from '../../types/unified';
import { CacheMetrics } from '../cache.metrics';
import type { KeyRouting } from '../cache-key';
import { semanticInputOf } from '../cache-key';
import type { CachePolicy } from '../cache-policy';
import type { Embedder } from './embedder';
import { LOCAL_EMBEDDER_DEFAULT_THRESHOLD, LocalEmbedder } from './local-embedder';
import type { PromptFeatures } from './prompt-guards';
import { PROMPT_FEATURES_VERSION, featuresConflict, promptFeatures } from './prompt-guards';
import { nfkcWithin } from './prompt-words';
import type { EmbeddingsSource } from './provider-embedder';
import { InjectEmbeddingsSource, ProviderEmbedder } from './provider-embedder';
import type { SemanticScope, SemanticStore } from './semantic-store';
import { SEMANTIC_STORE } from './semantic-store';

/** Threshold of provider embedders unless configured (cosine of normalised vectors). */
export const PROVIDER_EMBEDDER_DEFAULT_THRESHOLD = 0.95;

/** A cache policy that allows the cache (see `cachePolicyOf`). */
export type UsablePolicy = Extract<CachePolicy, { use: true }>;

/** What the semantic layer needs to store an answer it did not serve. */
export interface SemanticPlan {
  scope: SemanticScope;
  vector: Float32Array;
  features: PromptFeatures;
}

/** A near prompt that passed the threshold and the guards: its exact entry may be served. */
export interface SemanticMatch {
  scope: SemanticScope;
  exactKey: string;
  similarity: number;
}

/** What a semantic lookup found: how to store this prompt, and a match to serve if any. */
export interface SemanticFinding {
  plan: SemanticPlan;
  match?: SemanticMatch;
}

/** The request a semantic lookup is for, as the exact layer already keyed it. */
export interface SemanticQuery {
  body: ChatRequest;
  tenant: string;
  /** The request's exact key: a match on the same entry is no semantic hit. */
  key: string;
  policy: UsablePolicy;
  options: CallOptions;
  routing: KeyRouting;
}

/**
 * The semantic layer of the response cache: embeds the prompt (the local embedder, or a
 * provider's model through the embeddings path), finds the nearest prompt of the same
 * scope, and accepts it only above the threshold and when no guard objects (a number, a
 * negation, a named entity that differs). Serving the answer is the exact layer's job.
 */
@Injectable()
export class SemanticLayer {
  private readonly logger = new Logger(SemanticLayer.name);
  private readonly embedders = new Map<string, Embedder>();

  constructor(
    private readonly config: GatewayConfigService,
    @Inject(SEMANTIC_STORE) private readonly store: SemanticStore,
    private readonly metrics: CacheMetrics,
    @InjectEmbeddingsSource() private readonly embeddings: EmbeddingsSource,
  ) {}

  /** Bytes held in process (the index, or the mirror every instance keeps with Redis). */
  get bytes(): number {
    return this.store.bytes;
  }

  get entries(): number {
    return this.store.entries;
  }

  /** Undefined when the prompt cannot be embedded (too long, no input, embedder failed). */
  async find(query: SemanticQuery): Promise<SemanticFinding | undefined> {
    const { body, tenant, key, policy, options, routing } = query;
    const settings = this.config.current.cache.semanticCache;
    const embedder = this.embedder(settings.embedder);
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
    const match = await this.store.nearest(scope, vector);
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
    return { plan, match: { scope, exactKey: match.entry.exactKey, similarity } };
  }

  /** Indexes a stored answer's prompt, pointing at its exact entry. */
  async add(
    plan: SemanticPlan,
    entry: { exactKey: string; requestId: string; expiresAt: number },
    ttlMs: number,
  ): Promise<void> {
    await this.store.add(
      plan.scope,
      plan.vector,
      {
        exactKey: entry.exactKey,
        features: JSON.stringify(plan.features),
        requestId: entry.requestId,
        expiresAt: entry.expiresAt,
      },
      ttlMs,
    );
  }

  /** Drops a prompt whose answer expired or was evicted: it no longer leads anywhere. */
  forget(scope: SemanticScope, exactKey: string): void {
    this.store.forget(scope, exactKey);
  }

  private embedder(name: string): Embedder {
    const known = this.embedders.get(name);
    if (known) return known;
    const embedder =
      name === 'local' ? new LocalEmbedder() : new ProviderEmbedder(name, this.embeddings);
    this.embedders.set(name, embedder);
    return embedder;
  }
}
