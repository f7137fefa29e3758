import { randomBytes } from 'node:crypto';
import type {
  EmbedContentRequest,
  EnhancedGenerateContentResponse,
  GenerativeModel,
  RequestOptions,
  SingleRequestOptions,
} from '@google/generative-ai';
import { GoogleGenerativeAI } from '@google/generative-ai';
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
import type { ProviderAdapter, ProviderCallContext } from '../provider-adapter.interface';
import { GeminiCallScope } from './gemini-call.scope';
import { toGatewayError } from './gemini.errors';
import { toGeminiChatRequest, toGeminiEmbeddingPlan } from './gemini.mapper';
import type { GeminiAnswerMeta } from './gemini-response.mapper';
import { toChatResponse, toEmbeddingResponse } from './gemini-response.mapper';
import { GeminiStreamMapper } from './gemini-stream.mapper';

/** Headers the SDK sets itself and refuses in `customHeaders`. */
const RESERVED_HEADERS = ['x-goog-api-key', 'x-goog-api-client'];

/**
 * Google Gemini through `@google/generative-ai`. The SDK takes no custom fetch, so calls
 * go through Node's global fetch (and its own keep-alive pool) rather than the provider's
 * undici agent; it has no retries of its own. Each call gets one `GeminiCallScope`
 * (caller signal + deadline + early stop), passed as the SDK's per-request `signal`.
 */
export class GeminiProvider implements ProviderAdapter {
  readonly name: string;
  private readonly clients = new Map<string, GoogleGenerativeAI>();
  private readonly requestOptions: RequestOptions;

  constructor(readonly config: ProviderConfig) {
    this.name = config.name;
    // Its keys are redacted from every error message, whatever text the provider sends back.
    knownSecrets.add(providerSecrets(config));
    const reserved = Object.keys(config.headers ?? {}).find((h) =>
      RESERVED_HEADERS.includes(h.toLowerCase()),
    );
    if (reserved) {
      throw new GatewayError(
        GatewayErrorCode.INVALID_CONFIG,
        `Provider ${this.name}: header ${reserved} cannot be set`,
        {
          provider: this.name,
        },
      );
    }
    this.requestOptions = {
      ...splitBaseUrl(config.baseUrl ?? DEFAULT_BASE_URLS.gemini ?? ''),
      customHeaders: config.headers,
    };
  }

  /** One call's options: its signal, and the attempt's trace headers beside the configured ones. */
  private single(signal: AbortSignal, ctx: ProviderCallContext): SingleRequestOptions {
    if (!ctx.traceHeaders) return { signal };
    return { signal, customHeaders: { ...this.config.headers, ...ctx.traceHeaders } };
  }

  async chat(request: ChatRequest, ctx: ProviderCallContext): Promise<ChatResponse> {
    const body = toGeminiChatRequest(request, this.name);
    const scope = this.scope(ctx);
    try {
      const { response } = await this.model(request.model, ctx).generateContent(
        body,
        this.single(scope.signal, ctx),
      );
      return toChatResponse(response, this.answerMeta(request));
    } catch (error) {
      throw toGatewayError(error, this.name, scope);
    } finally {
      scope.end();
    }
  }

  async chatStream(
    request: ChatRequest,
    ctx: ProviderCallContext,
  ): Promise<AsyncIterable<ChatChunk>> {
    const body = toGeminiChatRequest(request, this.name);
    const scope = this.scope(ctx);
    try {
      // Resolves once Gemini answered with a 2xx status and headers.
      const result = await this.model(request.model, ctx).generateContentStream(
        body,
        this.single(scope.signal, ctx),
      );
      // The SDK also aggregates the stream into this promise; nobody awaits it, and it
      // rejects whenever the stream fails or is cancelled.
      result.response.catch(() => undefined);
      return this.chunks(result.stream, new GeminiStreamMapper(this.answerMeta(request)), scope);
    } catch (error) {
      scope.end();
      throw toGatewayError(error, this.name, scope);
    }
  }

  async embed(request: EmbeddingRequest, ctx: ProviderCallContext): Promise<EmbeddingResponse> {
    const plan = toGeminiEmbeddingPlan(request, this.name);
    const scope = this.scope(ctx);
    // The API takes outputDimensionality; the SDK's types lack it but send it along.
    const toRequest = (text: string): EmbedContentRequest & { outputDimensionality?: number } => ({
      content: { role: 'user', parts: [{ text }] },
      ...(plan.outputDimensionality !== undefined
        ? { outputDimensionality: plan.outputDimensionality }
        : {}),
    });
    try {
      const model = this.model(request.model, ctx);
      const vectors = plan.single
        ? [
            (await model.embedContent(toRequest(plan.texts[0]), this.single(scope.signal, ctx)))
              .embedding.values,
          ]
        : (
            await model.batchEmbedContents(
              { requests: plan.texts.map(toRequest) },
              this.single(scope.signal, ctx),
            )
          ).embeddings.map((e) => e.values);
      return toEmbeddingResponse(vectors, plan.texts, request.model, plan.encoding);
    } catch (error) {
      throw toGatewayError(error, this.name, scope);
    } finally {
      scope.end();
    }
  }

  close(): Promise<void> {
    this.clients.clear();
    return Promise.resolve();
  }

  private async *chunks(
    stream: AsyncGenerator<EnhancedGenerateContentResponse>,
    mapper: GeminiStreamMapper,
    scope: GeminiCallScope,
  ): AsyncGenerator<ChatChunk> {
    let ended = false;
    try {
      for await (const response of stream) {
        scope.disarm();
        yield* mapper.map(response);
      }
      ended = true;
      yield* mapper.finish();
    } catch (error) {
      throw toGatewayError(error, this.name, scope);
    } finally {
      // Stopped before Gemini finished (early return() or an error event): abort so the
      // connection is released instead of draining the rest of the answer.
      if (!ended) scope.cancel();
      scope.end();
    }
  }

  private scope(ctx: ProviderCallContext): GeminiCallScope {
    return new GeminiCallScope(ctx, ctx.timeoutMs > 0 ? ctx.timeoutMs : this.config.timeoutMs);
  }

  private model(model: string, ctx: ProviderCallContext): GenerativeModel {
    const key = ctx.apiKey ?? this.config.apiKeys[0] ?? '';
    let client = this.clients.get(key);
    if (!client) {
      client = new GoogleGenerativeAI(key);
      this.clients.set(key, client);
    }
    return client.getGenerativeModel({ model }, this.requestOptions);
  }

  private answerMeta(request: ChatRequest): GeminiAnswerMeta {
    const random = randomBytes(12).toString('hex');
    return {
      id: `chatcmpl-${random}`,
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      provider: this.name,
      callPrefix: `call_${random.slice(0, 8)}`,
    };
  }
}

/** The SDK appends `/<apiVersion>` itself: a configured `.../v1beta` is split off. */
function splitBaseUrl(url: string): Pick<RequestOptions, 'baseUrl' | 'apiVersion'> {
  const trimmed = url.replace(/\/+$/, '');
  const match = /^(.*)\/(v1beta|v1alpha|v1)$/.exec(trimmed);
  return match ? { baseUrl: match[1], apiVersion: match[2] } : { baseUrl: trimmed };
}
