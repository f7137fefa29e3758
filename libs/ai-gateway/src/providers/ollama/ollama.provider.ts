import type { Dispatcher } from 'undici';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import { DEFAULT_BASE_URLS } from '../../config/gateway-config.schema';
import { timeoutError } from '../../errors/http-status-error.mapper';
import { knownSecrets, providerSecrets } from '../../errors/known-secrets';
import { readErrorBody } from '../../errors/upstream-error-body';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../../types/unified';
import { UpstreamAgentCache } from '../http/upstream-agent-cache';
import { abortableRequest } from '../http/abortable-request';
import type { ProviderAdapter, ProviderCallContext } from '../provider-adapter.interface';
import { AttemptDeadline } from './attempt-deadline';
import { readNdjsonLines } from './ndjson-line.reader';
import {
  ollamaHttpError,
  ollamaMalformedError,
  ollamaStreamError,
  ollamaTransportError,
  ollamaTruncatedStreamError,
} from './ollama.errors';
import { fromOllamaEmbedResponse, toOllamaEmbedRequest } from './ollama-embed.mapper';
import { fromOllamaChatResponse, toOllamaChatRequest } from './ollama.mapper';
import { OllamaChunkMapper } from './ollama-stream.mapper';
import type { OllamaChatResponse, OllamaEmbedResponse } from './ollama.types';

const FALLBACK_BASE_URL = 'http://127.0.0.1:11434';

/**
 * Ollama through its native HTTP API (`/api/chat`, `/api/embed`) on the provider's pooled
 * keep-alive agent. Ollama itself takes no key; when keys are configured they are sent as
 * a Bearer token for the reverse proxy that usually guards a shared Ollama.
 */
export class OllamaProvider implements ProviderAdapter {
  readonly name: string;
  private readonly baseUrl: string;
  private readonly agents: UpstreamAgentCache;

  constructor(readonly config: ProviderConfig) {
    this.name = config.name;
    // Its keys are redacted from every error message, whatever text the provider sends back.
    knownSecrets.add(providerSecrets(config));
    const base = config.baseUrl ?? DEFAULT_BASE_URLS.ollama ?? FALLBACK_BASE_URL;
    this.baseUrl = base.replace(/\/+$/, '');
    this.agents = new UpstreamAgentCache(config);
  }

  async chat(chatRequest: ChatRequest, ctx: ProviderCallContext): Promise<ChatResponse> {
    const body = toOllamaChatRequest(chatRequest, this.name, false);
    const answer = await this.callJson('/api/chat', body, ctx, 'chat answer');
    if (!isChatLine(answer)) throw ollamaMalformedError(this.name, 'chat answer');
    return fromOllamaChatResponse(answer, completionId(ctx));
  }

  async chatStream(
    chatRequest: ChatRequest,
    ctx: ProviderCallContext,
  ): Promise<AsyncIterable<ChatChunk>> {
    const body = toOllamaChatRequest(chatRequest, this.name, true);
    const deadline = this.deadline(ctx);
    try {
      const response = await this.send('/api/chat', body, ctx, deadline, 'application/x-ndjson');
      const mapper = new OllamaChunkMapper(completionId(ctx), chatRequest.model);
      const release = (): void => {
        deadline.dispose();
        // The consumer stopped early: drop the rest instead of reading it.
        if (!response.body.readableEnded) response.body.destroy();
      };
      return releasing(this.chunks(response, mapper, deadline, release), release);
    } catch (error) {
      deadline.dispose();
      throw error;
    }
  }

  async embed(
    embedRequest: EmbeddingRequest,
    ctx: ProviderCallContext,
  ): Promise<EmbeddingResponse> {
    const body = toOllamaEmbedRequest(embedRequest, this.name);
    const answer = (await this.callJson(
      '/api/embed',
      body,
      ctx,
      'embeddings answer',
    )) as Partial<OllamaEmbedResponse> | null;
    if (!Array.isArray(answer?.embeddings))
      throw ollamaMalformedError(this.name, 'embeddings answer');
    return fromOllamaEmbedResponse(answer as OllamaEmbedResponse, embedRequest.encoding_format);
  }

  async close(): Promise<void> {
    await this.agents.close();
  }

  /** Reads Ollama's NDJSON lines as OpenAI chunks; a cut or an error line throws. */
  private async *chunks(
    response: Dispatcher.ResponseData,
    mapper: OllamaChunkMapper,
    deadline: AttemptDeadline,
    release: () => void,
  ): AsyncGenerator<ChatChunk, void, undefined> {
    let started = false;
    try {
      // Read to the end even after `done`, so the connection goes back to the pool.
      for await (const text of readNdjsonLines(response.body)) {
        if (mapper.done) continue;
        const line = parseJson(text);
        if (line !== null && typeof line === 'object' && 'error' in line) {
          throw ollamaStreamError(this.name, text);
        }
        if (!isChatLine(line)) throw ollamaMalformedError(this.name, 'stream line');
        if (!started) {
          // The opening chunk waits for Ollama's first line: sent on the headers alone,
          // it would stop the gateway's first-token timer before any token exists.
          started = true;
          deadline.disarm();
          yield mapper.start();
        }
        yield* mapper.map(line);
      }
      if (!mapper.done) throw ollamaTruncatedStreamError(this.name);
    } catch (error) {
      throw ollamaTransportError(this.name, error, deadline);
    } finally {
      release();
    }
  }

  private async callJson(
    path: string,
    body: unknown,
    ctx: ProviderCallContext,
    what: string,
  ): Promise<unknown> {
    const deadline = this.deadline(ctx);
    try {
      const response = await this.send(path, body, ctx, deadline, 'application/json');
      let text: string;
      try {
        text = await response.body.text();
      } catch (error) {
        throw ollamaTransportError(this.name, error, deadline);
      }
      const parsed = parseJson(text);
      if (parsed === undefined) throw ollamaMalformedError(this.name, what);
      return parsed;
    } finally {
      deadline.dispose();
    }
  }

  /** POSTs a JSON body; resolves once a 2xx status and headers arrived. */
  private async send(
    path: string,
    body: unknown,
    ctx: ProviderCallContext,
    deadline: AttemptDeadline,
    accept: string,
  ): Promise<Dispatcher.ResponseData> {
    let response: Dispatcher.ResponseData;
    try {
      response = await abortableRequest(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: this.headers(ctx, accept),
        body: JSON.stringify(body),
        signal: deadline.signal,
        dispatcher: this.agents.agentFor(ctx.connectTimeoutMs),
      });
    } catch (error) {
      throw ollamaTransportError(this.name, error, {
        aborted: deadline.aborted,
        timeoutMs: deadline.timeoutMs,
        abortReason: deadline.abortReason,
        connectTimeoutMs: ctx.connectTimeoutMs ?? this.config.connectTimeoutMs,
      });
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await readErrorBody(response.body);
    const retryAfter = response.headers['retry-after'];
    throw ollamaHttpError(
      this.name,
      response.statusCode,
      text,
      typeof retryAfter === 'string' ? retryAfter : undefined,
    );
  }

  private headers(ctx: ProviderCallContext, accept: string): Record<string, string> {
    const key = ctx.apiKey ?? this.config.apiKeys[0];
    return {
      ...this.config.headers,
      'content-type': 'application/json',
      accept,
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...ctx.traceHeaders,
    };
  }

  private deadline(ctx: ProviderCallContext): AttemptDeadline {
    const timeoutMs = ctx.timeoutMs > 0 ? ctx.timeoutMs : this.config.timeoutMs;
    return new AttemptDeadline(ctx.signal, timeoutMs, timeoutError(this.name, timeoutMs));
  }
}

/**
 * Lets `return()` release the response even before the first `next()`: a generator that
 * was never entered skips its own `finally`.
 */
function releasing<T>(
  generator: AsyncGenerator<T, void, undefined>,
  release: () => void,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => generator.next(),
      return: () => {
        release();
        return generator.return(undefined);
      },
    }),
  };
}

function completionId(ctx: ProviderCallContext): string {
  return `chatcmpl-${ctx.requestId}`;
}

/** Parsed JSON, or undefined when the text is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isChatLine(value: unknown): value is OllamaChatResponse {
  if (value === null || typeof value !== 'object') return false;
  const line = value as Partial<OllamaChatResponse>;
  return (
    typeof line.done === 'boolean' &&
    (line.message === undefined || typeof line.message === 'object')
  );
}
