import { Injectable } from '@nestjs/common';
import { GatewayConfigService } from './config/gateway-config.service';
import type { CallOptions, ChatResult, ChatStream, EmbedResult } from './pipeline/call-result';
import { ChatPipeline } from './pipeline/chat-pipeline.service';
import type { ProviderBreakerStatus } from './resilience/circuit-breaker.service';
import { CircuitBreakerService } from './resilience/circuit-breaker.service';
import type { LatencyEstimate } from './routing/latency-tracker.service';
import { LatencyTracker } from './routing/latency-tracker.service';
import type { ChatRequest, EmbeddingRequest, GatewayModel } from './types/unified';
import { UsageAnalytics } from './usage/analytics/usage-analytics.service';

/** One provider's health as `GET /v1/providers/status` shows it. */
export interface ProviderStatusReport extends Omit<
  ProviderBreakerStatus,
  'openUntil' | 'lastErrorAt' | 'keys'
> {
  kind: string;
  fake: boolean;
  /** ISO time until which the circuit stays open. */
  openUntil?: string;
  lastErrorAt?: string;
  /** Length of the window the request and failure counts cover. */
  windowMs: number;
  keys: Array<
    Omit<ProviderBreakerStatus['keys'][number], 'openUntil' | 'lastErrorAt'> & {
      openUntil?: string;
      lastErrorAt?: string;
    }
  >;
  /** Moving averages measured by this instance, per model. */
  latency: Array<LatencyEstimate & { model: string }>;
}

/** Where the listed models come from, for `created` in OpenAI's model shape. */
const LISTED_AT = Math.floor(Date.now() / 1000);

/**
 * The gateway as an injectable service: what a host NestJS app calls in-process, and
 * what the gateway app's controllers call for HTTP. Every method runs the same request
 * path (validation, routing, provider call, metrics).
 */
@Injectable()
export class AiGatewayService {
  constructor(
    private readonly pipeline: ChatPipeline,
    private readonly config: GatewayConfigService,
    private readonly breakers: CircuitBreakerService,
    private readonly latency: LatencyTracker,
    private readonly usageAnalytics: UsageAnalytics,
  ) {}

  /** Usage analytics over the usage log: `gateway.analytics.summary({ period: '24h' })`. */
  get analytics(): UsageAnalytics {
    return this.usageAnalytics;
  }

  /**
   * Per provider and per key: circuit state, open-until, last error, requests and
   * failures in the breaker window, and measured latency. Keys appear only as ids.
   */
  async providersStatus(): Promise<ProviderStatusReport[]> {
    const { providers } = this.config.current;
    const iso = (ms: number | undefined): string | undefined =>
      ms === undefined ? undefined : new Date(ms).toISOString();
    return (await this.breakers.status()).map((status) => {
      const provider = providers[status.provider];
      return {
        ...status,
        kind: provider?.kind ?? 'unknown',
        fake: provider?.fake ?? false,
        openUntil: iso(status.openUntil),
        lastErrorAt: iso(status.lastErrorAt),
        windowMs: provider?.breaker.windowMs ?? 0,
        keys: status.keys.map((key) => ({
          ...key,
          openUntil: iso(key.openUntil),
          lastErrorAt: iso(key.lastErrorAt),
        })),
        latency: this.latency.forProvider(status.provider),
      };
    });
  }

  /** A chat completion in OpenAI's shape, with what happened in `meta`. */
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    return this.pipeline.chat(request, options);
  }

  /**
   * A streamed chat completion: resolves once a provider accepted the request, then
   * yields OpenAI chunks. Failures before that reject; failures after it throw from
   * the iterator, so a cut stream never looks complete.
   */
  chatStream(request: ChatRequest, options?: CallOptions): Promise<ChatStream> {
    return this.pipeline.chatStream(request, options);
  }

  embed(request: EmbeddingRequest, options?: CallOptions): Promise<EmbedResult> {
    return this.pipeline.embed(request, options);
  }

  /**
   * Models callers can name: `provider/model` for every configured model of an enabled
   * provider, plus each route. The built-in fake is marked `fake: true` and its
   * `owned_by` says it is not a real model.
   */
  listModels(): GatewayModel[] {
    const { providers, routes } = this.config.current;
    const models: GatewayModel[] = [];
    for (const provider of Object.values(providers)) {
      if (!provider.enabled) continue;
      for (const id of provider.models) {
        models.push({
          id: `${provider.name}/${id}`,
          object: 'model',
          created: LISTED_AT,
          owned_by: provider.fake
            ? `${provider.name} (fake provider, not a real model)`
            : provider.name,
          provider: provider.name,
          ...(provider.fake ? { fake: true } : {}),
        });
      }
    }
    for (const route of Object.values(routes)) {
      models.push({
        id: route.name,
        object: 'model',
        created: LISTED_AT,
        owned_by: 'gateway-route',
        provider: route.targets[0]?.split('/')[0] ?? '',
      });
    }
    return models;
  }
}
