import type { Dispatcher } from 'undici';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { upstreamError } from '../../errors/http-status-error.mapper';
import { knownSecrets, providerSecrets } from '../../errors/known-secrets';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../../types/unified';
import { transportError } from '../http/abort';
import { abortableRequest } from '../http/abortable-request';
import { SseReader } from '../http/sse-reader';
import { connectTimeoutError, isConnectTimeout } from '../http/timed-connector';
import { UpstreamAgentCache } from '../http/upstream-agent-cache';
import type { ProviderAdapter, ProviderCallContext } from '../provider-adapter.interface';
import { readUpstreamError } from './openai-compatible.errors';

/**
 * Any server that speaks OpenAI's API (OpenAI, Mistral, vLLM, TGI, NIM, OpenRouter).
 * No translation: the request is forwarded as received, unknown fields included, so a
 * new OpenAI parameter works without a gateway release. It talks to the upstream with
 * undici's pooled `request`, which costs a fraction of an SDK call on the hot path.
 */
export class OpenAiCompatibleProvider implements ProviderAdapter {
  readonly name: string;
  protected readonly agents: UpstreamAgentCache;
  protected readonly baseUrl: string;
  private readonly headersByKey = new Map<string, Record<string, string>>();

  constructor(readonly config: ProviderConfig) {
    this.name = config.name;
    // Its keys are redacted from every error message, whatever text the provider sends back.
    knownSecrets.add(providerSecrets(config));
    this.agents = new UpstreamAgentCache(config);
    this.baseUrl = (config.baseUrl ?? '').replace(/\/+$/, '');
  }

  async chat(body: ChatRequest, ctx: ProviderCallContext): Promise<ChatResponse> {
    const response = await this.post('/chat/completions', this.chatBody(body, false), ctx);
    return this.readJson<ChatResponse>(response, ctx);
  }

  async chatStream(body: ChatRequest, ctx: ProviderCallContext): Promise<AsyncIterable<ChatChunk>> {
    const response = await this.post('/chat/completions', this.chatBody(body, true), ctx);
    return this.readStream(response, ctx);
  }

  async embed(body: EmbeddingRequest, ctx: ProviderCallContext): Promise<EmbeddingResponse> {
    const response = await this.post('/embeddings', JSON.stringify(body), ctx);
    return this.readJson<EmbeddingResponse>(response, ctx);
  }

  async close(): Promise<void> {
    await this.agents.close();
  }

  /**
   * Streams always ask for usage so the gateway can account for every token; the
   * gateway strips the usage chunk again when the caller did not ask for it.
   */
  protected chatBody(body: ChatRequest, stream: boolean): string {
    if (!stream)
      return JSON.stringify(body.stream === undefined ? body : { ...body, stream: false });
    const options = body.stream_options ?? undefined;
    return JSON.stringify({
      ...body,
      stream: true,
      stream_options: { ...options, include_usage: true },
    });
  }

  protected headers(apiKey: string | undefined): Record<string, string> {
    const cacheKey = apiKey ?? '';
    let headers = this.headersByKey.get(cacheKey);
    if (!headers) {
      headers = {
        'content-type': 'application/json',
        accept: 'application/json',
        ...this.config.headers,
      };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;
      this.headersByKey.set(cacheKey, headers);
    }
    return headers;
  }

  private async post(
    path: string,
    payload: string,
    ctx: ProviderCallContext,
  ): Promise<Dispatcher.ResponseData> {
    let response: Dispatcher.ResponseData;
    try {
      response = await abortableRequest(this.baseUrl + path, {
        method: 'POST',
        headers: ctx.traceHeaders
          ? { ...this.headers(ctx.apiKey), ...ctx.traceHeaders }
          : this.headers(ctx.apiKey),
        body: payload,
        signal: ctx.signal,
        dispatcher: this.agents.agentFor(ctx.connectTimeoutMs),
      });
    } catch (error) {
      if (isConnectTimeout(error) && !ctx.signal.aborted) {
        throw connectTimeoutError(
          this.name,
          ctx.connectTimeoutMs ?? this.config.connectTimeoutMs,
          error,
        );
      }
      throw transportError(this.name, ctx, error);
    }
    if (response.statusCode >= 400) throw await readUpstreamError(this.name, response);
    return response;
  }

  private async readJson<T>(
    response: Dispatcher.ResponseData,
    ctx: ProviderCallContext,
  ): Promise<T> {
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw transportError(this.name, ctx, error);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `Provider ${this.name} sent a malformed JSON body`,
        {
          provider: this.name,
          upstreamStatus: response.statusCode,
        },
      );
    }
  }

  private async *readStream(
    response: Dispatcher.ResponseData,
    ctx: ProviderCallContext,
  ): AsyncGenerator<ChatChunk> {
    const reader = new SseReader();
    const body = response.body;
    body.setEncoding('utf8');
    let finished = false;
    let sawFinish = false;
    // Some servers (Mistral, vLLM with continuous usage) put usage on content chunks;
    // the unified stream carries it once, in a trailing chunk with no choices.
    let pendingUsage: { chunk: ChatChunk; usage: NonNullable<ChatChunk['usage']> } | undefined;
    try {
      // Not destroyed when the loop stops at [DONE]: the rest of the body (usually just its
      // end) is drained below, so no abort error is made and the connection is kept.
      const texts = body.iterator({ destroyOnReturn: false }) as AsyncIterable<string>;
      for await (const text of texts) {
        for (const data of reader.push(text)) {
          if (data === '[DONE]') {
            finished = true;
            break;
          }
          let chunk = this.parseChunk(data);
          if (chunk.choices?.[0]?.finish_reason) sawFinish = true;
          if (chunk.usage && chunk.choices?.length > 0) {
            pendingUsage = { chunk, usage: chunk.usage };
            chunk = { ...chunk, usage: undefined };
          } else if (chunk.usage) pendingUsage = undefined;
          yield chunk;
        }
        if (finished) break;
      }
    } catch (error) {
      throw error instanceof GatewayError
        ? error
        : this.interrupted(transportError(this.name, ctx, error));
    } finally {
      // Stops the download when the consumer leaves early or the stream failed (the abort
      // error that makes is nobody's to hear); after [DONE] lets the end come in.
      if (!body.readableEnded) {
        body.on('error', () => undefined);
        if (finished) drainAfterDone(body);
        else body.destroy();
      }
    }
    const tail = reader.flush();
    if (!finished && tail !== undefined && tail !== '[DONE]') this.parseChunk(tail);
    // Some compatible servers omit [DONE]; a finish_reason still proves a complete answer.
    if (!finished && !sawFinish && tail !== '[DONE]') {
      throw new GatewayError(
        GatewayErrorCode.STREAM_INTERRUPTED,
        `Provider ${this.name} ended the stream before it was complete`,
        {
          provider: this.name,
          retryable: true,
        },
      );
    }
    if (pendingUsage) {
      const { id, created, model, object } = pendingUsage.chunk;
      yield { id, created, model, object, choices: [], usage: pendingUsage.usage };
    }
  }

  private parseChunk(data: string): ChatChunk {
    let parsed: ChatChunk & { error?: { message?: string; type?: string; code?: string } };
    try {
      parsed = JSON.parse(data) as typeof parsed;
    } catch {
      throw new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `Provider ${this.name} sent a malformed stream event`,
        {
          provider: this.name,
        },
      );
    }
    if (parsed.error) {
      // An error event inside a 200 stream: classify it like an HTTP error of that kind.
      const type = `${parsed.error.type ?? ''} ${parsed.error.code ?? ''}`;
      const status = /rate|limit/i.test(type) ? 429 : /invalid|context/i.test(type) ? 400 : 500;
      throw upstreamError({ provider: this.name, status, message: parsed.error.message, type });
    }
    return parsed;
  }

  private interrupted(error: GatewayError): GatewayError {
    if (error.code !== GatewayErrorCode.CONNECTION) return error;
    return new GatewayError(
      GatewayErrorCode.STREAM_INTERRUPTED,
      `Provider ${this.name} cut the stream mid-way`,
      {
        provider: this.name,
        retryable: true,
        cause: error,
      },
    );
  }
}

/** Most bytes read, and longest wait, past `[DONE]` before the connection is given up. */
const MAX_AFTER_DONE_BYTES = 64 * 1024;
const MAX_AFTER_DONE_MS = 1_000;

/**
 * Lets a stream's end come in after `[DONE]` (so the pooled connection is kept, and no
 * abort error is made); a server that keeps sending past it, or keeps it open, has its
 * connection closed rather than holding a pooled connection.
 */
function drainAfterDone(body: Dispatcher.ResponseData['body']): void {
  let extra = 0;
  const timer = setTimeout(() => body.destroy(), MAX_AFTER_DONE_MS);
  timer.unref();
  body.once('close', () => clearTimeout(timer));
  body.on('data', (chunk: string | Buffer) => {
    extra += chunk.length;
    if (extra > MAX_AFTER_DONE_BYTES) body.destroy();
  });
}
