import { Anthropic } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { Agent } from 'undici';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import { DEFAULT_BASE_URLS } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { knownSecrets, providerSecrets } from '../../errors/known-secrets';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../../types/unified';
import { transportError } from '../http/abort';
import { createPooledFetch } from '../http/pooled-fetch';
import { createUpstreamAgent } from '../http/upstream-agent';
import type { ProviderAdapter, ProviderCallContext } from '../provider-adapter.interface';
import { anthropicError, streamError } from './anthropic.errors';
import { toAnthropicParams } from './anthropic.mapper';
import { fromAnthropicMessage } from './anthropic-response.mapper';
import { AnthropicStreamMapper } from './anthropic-stream.mapper';

/**
 * Anthropic's Messages API through `@anthropic-ai/sdk` (API version 2026-10-21), on the
 * provider's pooled keep-alive connections. Requests are translated from the unified
 * (OpenAI) shape by `anthropic.mapper.ts`, which rejects what Anthropic cannot carry;
 * streams are translated event by event into OpenAI chunks. One SDK client per API key.
 */
export class AnthropicProvider implements ProviderAdapter {
  readonly name: string;
  private readonly agent: Agent;
  private readonly fetch: typeof fetch;
  private readonly clients = new Map<string, Anthropic>();

  constructor(readonly config: ProviderConfig) {
    this.name = config.name;
    // Its keys are redacted from every error message, whatever text the provider sends back.
    knownSecrets.add(providerSecrets(config));
    this.agent = createUpstreamAgent(config);
    this.fetch = createPooledFetch(this.agent);
  }

  async chat(request: ChatRequest, ctx: ProviderCallContext): Promise<ChatResponse> {
    const params = toAnthropicParams(this.name, request);
    try {
      const message = await this.client(ctx).messages.create(
        { ...params, stream: false },
        this.options(ctx),
      );
      return fromAnthropicMessage(message);
    } catch (error) {
      throw anthropicError(this.name, ctx, error);
    }
  }

  async chatStream(
    request: ChatRequest,
    ctx: ProviderCallContext,
  ): Promise<AsyncIterable<ChatChunk>> {
    const params = toAnthropicParams(this.name, request);
    let events: AsyncIterable<RawMessageStreamEvent>;
    try {
      // Resolves once status and headers arrived: earlier failures reject here.
      events = await this.client(ctx).messages.create(
        { ...params, stream: true },
        this.options(ctx),
      );
    } catch (error) {
      throw anthropicError(this.name, ctx, error);
    }
    return this.translate(events, new AnthropicStreamMapper(request.model), ctx);
  }

  embed(_request: EmbeddingRequest, _ctx: ProviderCallContext): Promise<EmbeddingResponse> {
    return Promise.reject(
      GatewayError.unsupported(this.name, 'Anthropic has no embeddings API', 'model'),
    );
  }

  async close(): Promise<void> {
    this.clients.clear();
    await this.agent.close();
  }

  /**
   * Leaving the loop early (consumer's `return()`) returns the SDK iterator, which aborts
   * the request and frees the connection. The SDK ends quietly when its request is
   * aborted, so a stream without `message_stop` is turned into an error here: a stream
   * never ends cleanly unless the answer is complete.
   */
  private async *translate(
    events: AsyncIterable<RawMessageStreamEvent>,
    mapper: AnthropicStreamMapper,
    ctx: ProviderCallContext,
  ): AsyncGenerator<ChatChunk> {
    try {
      for await (const event of events) {
        yield* mapper.push(event);
      }
    } catch (error) {
      throw streamError(this.name, ctx, error);
    }
    if (mapper.complete) return;
    if (ctx.signal.aborted) throw transportError(this.name, ctx, ctx.signal.reason);
    throw new GatewayError(
      GatewayErrorCode.STREAM_INTERRUPTED,
      `Provider ${this.name} ended the stream before it was complete`,
      {
        provider: this.name,
        retryable: true,
      },
    );
  }

  private options(ctx: ProviderCallContext): {
    signal: AbortSignal;
    timeout: number;
    maxRetries: number;
    headers?: Readonly<Record<string, string>>;
  } {
    return {
      signal: ctx.signal,
      timeout: Math.max(1, Math.ceil(ctx.timeoutMs)),
      maxRetries: 0,
      ...(ctx.traceHeaders ? { headers: ctx.traceHeaders } : {}),
    };
  }

  private client(ctx: ProviderCallContext): Anthropic {
    const key = ctx.apiKey ?? this.config.apiKeys[0];
    if (!key) {
      // Without a key the SDK would look for credentials in the environment and on disk.
      throw new GatewayError(GatewayErrorCode.AUTH, `Provider ${this.name} has no API key`, {
        provider: this.name,
        retryable: false,
      });
    }
    let client = this.clients.get(key);
    if (!client) {
      client = new Anthropic({
        apiKey: key,
        baseURL: this.config.baseUrl ?? DEFAULT_BASE_URLS.anthropic,
        fetch: this.fetch,
        maxRetries: 0,
        timeout: this.config.timeoutMs,
        defaultHeaders: this.config.headers,
        // The SDK's logger may print raw stream data (prompt text); the gateway logs itself.
        logLevel: 'off',
        // The gateway traces upstream calls itself; this also keeps the SDK off process.env.
        openTelemetry: false,
      });
      this.clients.set(key, client);
    }
    return client;
  }
}
