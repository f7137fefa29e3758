import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { timeoutError } from '../errors/http-status-error.mapper';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { ProviderAdapter, ProviderCallContext } from '../providers/provider-adapter.interface';
import { ProviderRegistry } from '../providers/provider-registry.service';
import type { RouteTarget } from '../routing/model-resolver.service';
import { ModelResolver } from '../routing/model-resolver.service';
import type { ChatChunk, ChatRequest } from '../types/unified';
import type { CallOptions, ChatResult, ChatStream, EmbedResult, ResponseMeta } from './call-result';
import { recordUsage, usageOf } from './usage';
import { GatewayChatStream } from './gateway-chat-stream';
import { validateChatRequest, validateEmbeddingRequest } from './request.validator';

/** A prepared attempt: the adapter, the target, and the call context with its deadline. */
export interface Attempt {
  adapter: ProviderAdapter;
  target: RouteTarget;
  ctx: ProviderCallContext;
  meta: ResponseMeta;
  started: number;
  /** Clears the deadline timer and the link to the caller's signal. */
  release(): void;
}

/**
 * The request path of the library: validate → resolve → call the provider with a
 * deadline → record metrics. Later stages (limits, cache, budgets, fallback) plug in
 * here, so the HTTP app and in-process hosts share one path.
 */
@Injectable()
export class ChatPipeline {
  private readonly logger = new Logger(ChatPipeline.name);
  private readonly keyCursor = new Map<string, number>();

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly resolver: ModelResolver,
    private readonly metrics: GatewayMetrics,
  ) {}

  async chat(request: unknown, options: CallOptions = {}): Promise<ChatResult> {
    validateChatRequest(request);
    const attempt = this.begin(request.model, options);
    try {
      const response = await attempt.adapter.chat(
        this.upstreamChat(request, attempt.target, false),
        attempt.ctx,
      );
      attempt.meta.usage = usageOf(response.usage);
      this.finish(attempt, 'ok', 'chat');
      return { response, meta: attempt.meta };
    } catch (error) {
      throw this.fail(attempt, error, 'chat');
    } finally {
      attempt.release();
    }
  }

  async chatStream(request: unknown, options: CallOptions = {}): Promise<ChatStream> {
    validateChatRequest(request);
    const attempt = this.begin(request.model, options);
    let chunks: AsyncIterable<ChatChunk>;
    try {
      chunks = await attempt.adapter.chatStream(
        this.upstreamChat(request, attempt.target, true),
        attempt.ctx,
      );
    } catch (error) {
      attempt.release();
      throw this.fail(attempt, error, 'chat_stream');
    }
    return new GatewayChatStream(chunks, attempt, request.stream_options?.include_usage === true, {
      onFirstChunk: () => {
        attempt.meta.ttftMs = performance.now() - attempt.started;
        this.metrics.timeToFirstToken.observe(
          { provider: attempt.target.provider, model: attempt.target.model },
          attempt.meta.ttftMs / 1000,
        );
      },
      onEnd: (error) => {
        attempt.release();
        if (error) this.fail(attempt, error, 'chat_stream');
        else this.finish(attempt, 'ok', 'chat_stream');
      },
    });
  }

  async embed(request: unknown, options: CallOptions = {}): Promise<EmbedResult> {
    validateEmbeddingRequest(request);
    const attempt = this.begin(request.model, options);
    try {
      const response = await attempt.adapter.embed(
        { ...request, model: attempt.target.model },
        attempt.ctx,
      );
      attempt.meta.usage = { prompt: response.usage?.prompt_tokens ?? 0, completion: 0 };
      this.finish(attempt, 'ok', 'embeddings');
      return { response, meta: attempt.meta };
    } catch (error) {
      throw this.fail(attempt, error, 'embeddings');
    } finally {
      attempt.release();
    }
  }

  private begin(model: string, options: CallOptions): Attempt {
    const resolution = this.resolver.resolve(model);
    const target = resolution.targets[0];
    const adapter = this.registry.get(target.provider);
    if (!adapter) {
      throw new GatewayError(
        GatewayErrorCode.MODEL_NOT_FOUND,
        `Provider "${target.provider}" is not available`,
        {
          param: 'model',
        },
      );
    }
    const providerConfig = adapter.config;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(timeoutError(target.provider, providerConfig.timeoutMs)),
      providerConfig.timeoutMs,
    );
    const callerSignal = options.signal;
    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    if (callerSignal) {
      if (callerSignal.aborted) controller.abort(callerSignal.reason);
      else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    }
    const requestId = options.requestId ?? randomUUID();
    return {
      adapter,
      target,
      started: performance.now(),
      ctx: {
        requestId,
        signal: controller.signal,
        timeoutMs: providerConfig.timeoutMs,
        apiKey: this.nextKey(providerConfig.name, providerConfig.apiKeys),
      },
      meta: {
        requestId,
        provider: target.provider,
        model: target.model,
        route: resolution.route,
        fake: providerConfig.fake,
        attempts: [],
        latencyMs: 0,
      },
      release: () => {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
      },
    };
  }

  /** The request as the provider should see it: its own model id, the stream flag set. */
  private upstreamChat(request: ChatRequest, target: RouteTarget, stream: boolean): ChatRequest {
    return { ...request, model: target.model, stream };
  }

  /** Spreads calls over a provider's keys, round-robin. */
  private nextKey(provider: string, keys: string[]): string | undefined {
    if (keys.length <= 1) return keys[0];
    const cursor = this.keyCursor.get(provider) ?? 0;
    this.keyCursor.set(provider, (cursor + 1) % keys.length);
    return keys[cursor % keys.length];
  }

  private finish(attempt: Attempt, outcome: string, operation: string): void {
    const { meta, target } = attempt;
    meta.latencyMs = performance.now() - attempt.started;
    meta.attempts.push({
      provider: target.provider,
      model: target.model,
      outcome,
      latencyMs: meta.latencyMs,
    });
    const labels = { provider: target.provider, model: target.model, operation, status: outcome };
    this.metrics.requests.inc(labels);
    this.metrics.latency.observe(labels, meta.latencyMs / 1000);
    recordUsage(this.metrics, target, meta.usage);
  }

  private fail(attempt: Attempt, error: unknown, operation: string): GatewayError {
    const gatewayError =
      error instanceof GatewayError
        ? error
        : new GatewayError(
            GatewayErrorCode.INTERNAL,
            `Unexpected failure calling ${attempt.target.provider}`,
            {
              provider: attempt.target.provider,
              cause: error,
            },
          );
    this.finish(attempt, gatewayError.code, operation);
    if (gatewayError.code === GatewayErrorCode.CANCELLED) return gatewayError;
    if (gatewayError.code === GatewayErrorCode.INTERNAL) {
      this.logger.error({
        msg: 'provider call failed unexpectedly',
        requestId: attempt.meta.requestId,
        error: String(error),
      });
    }
    return gatewayError;
  }
}
