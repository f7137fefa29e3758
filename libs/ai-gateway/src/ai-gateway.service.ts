import { Injectable } from '@nestjs/common';
import { GatewayConfigService } from './config/gateway-config.service';
import type { ProviderStatusReport, ProvidersReadiness } from './diagnostics/providers-status';
import { ProvidersStatus } from './diagnostics/providers-status';
import { assertModelsAllowed } from './keys/model-scope';
import { ChatPipeline } from './pipeline/chat-pipeline.service';
import { EmbeddingsPipeline } from './pipeline/embeddings-pipeline.service';
import { ModelResolver } from './routing/model-resolver.service';
import type {
  CallOptions,
  Caller,
  ChatResult,
  ChatStream,
  EmbedResult,
} from './shared/call-result';
import type { ChatRequest, EmbeddingRequest, GatewayModel } from './types/unified';
import { UsageAnalytics } from './usage/analytics/usage-analytics.service';

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
    private readonly chats: ChatPipeline,
    private readonly embeddings: EmbeddingsPipeline,
    private readonly config: GatewayConfigService,
    private readonly resolver: ModelResolver,
    private readonly status: ProvidersStatus,
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
  providersStatus(): Promise<ProviderStatusReport[]> {
    return this.status.report();
  }

  /**
   * Which enabled providers have a live adapter (`missing` lists those that do not), for a
   * readiness probe: it calls no provider, so it spends no tokens.
   */
  providersReadiness(): ProvidersReadiness {
    return this.status.readiness();
  }

  /** A chat completion in OpenAI's shape, with what happened in `meta`. */
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    return this.chats.chat(request, options);
  }

  /**
   * A streamed chat completion: resolves once a provider accepted the request, then
   * yields OpenAI chunks. Failures before that reject; failures after it throw from
   * the iterator, so a cut stream never looks complete.
   */
  chatStream(request: ChatRequest, options?: CallOptions): Promise<ChatStream> {
    return this.chats.chatStream(request, options);
  }

  embed(request: EmbeddingRequest, options?: CallOptions): Promise<EmbedResult> {
    return this.embeddings.embed(request, options);
  }

  /**
   * Where a model or route name would be sent, in order of preference, as
   * `provider/model` (enabled providers only): what a caller that walks the candidates
   * itself (one call per candidate, e.g. to check each answer) passes as `chain`.
   *
   * @param caller refuses a name outside its model scope (its key's `allowedModels`).
   * @throws GatewayError `model_not_allowed` outside the caller's scope; `model_not_found`
   *   for a name no route or provider serves.
   */
  candidatesFor(model: string, caller?: Pick<Caller, 'allowedModels'>): string[] {
    assertModelsAllowed(caller?.allowedModels, [model]);
    return this.resolver.resolve(model).targets.map((t) => `${t.provider}/${t.model}`);
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
