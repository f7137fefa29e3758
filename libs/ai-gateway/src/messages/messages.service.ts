import { Injectable } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import { assertModelsAllowed } from '../keys/model-scope';
import { withRequestId } from '../pipeline/admission/request-admission';
import { ChatPipeline } from '../pipeline/chat-pipeline.service';
import type { Operation } from '../pipeline/execution/execution.types';
import { RequestLedger } from '../pipeline/request-ledger';
import { ModelResolver } from '../routing/model-resolver.service';
import type { CallOptions } from '../shared/call-result';
import { TokenCounter } from '../tokens/token-counter.service';
import type { ChatRequest } from '../types/unified';
import { MessagesEventStream } from './messages-event-stream';
import { toChatRequest, toCountTokensRequest } from './messages-request.mapper';
import { messageIdOf, toAnthropicMessage } from './messages-response.mapper';
import { MessagesStreamMapper } from './messages-stream.mapper';
import type { MessagesResult, MessagesStream, MessagesTokenCount } from './messages.types';

/**
 * Anthropic's Messages API over the gateway's one chat path: the request is translated to
 * the unified chat shape and run through `ChatPipeline` — keys and model scopes, rate
 * limits, budgets, the cache, routing with fallback to any provider kind, usage rows,
 * metrics, the decision trace — and the answer translated back. Nothing of the path is
 * copied here; a request the translation refuses is booked like the path's own refusals.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly pipeline: ChatPipeline,
    private readonly ledger: RequestLedger,
    private readonly resolver: ModelResolver,
    private readonly tokens: TokenCounter,
    private readonly config: GatewayConfigService,
  ) {}

  /** `POST /v1/messages` without `stream`: the whole Anthropic message. */
  async create(body: unknown, options: CallOptions = {}): Promise<MessagesResult> {
    const identified = withRequestId(options);
    const chat = this.translate(body, identified, 'chat');
    const { response, meta } = await this.pipeline.chat(chat, identified);
    return {
      message: toAnthropicMessage(response, messageIdOf(meta.requestId), meta.provider),
      meta,
    };
  }

  /**
   * `POST /v1/messages` with `stream: true`: resolves once a provider accepted the request
   * (every failure before that rejects, after fallback), then yields Anthropic's events.
   */
  async stream(body: unknown, options: CallOptions = {}): Promise<MessagesStream> {
    const identified = withRequestId(options);
    const chat = this.translate(body, identified, 'chat_stream');
    chat.stream = true;
    chat.stream_options = { include_usage: true };
    const chunks = await this.pipeline.chatStream(chat, identified);
    const mapper = new MessagesStreamMapper(messageIdOf(chunks.meta.requestId), chunks.meta.model);
    return new MessagesEventStream(chunks, mapper);
  }

  /**
   * `POST /v1/messages/count_tokens`: the prompt's tokens on the model's first target, from
   * the gateway's token counter — exact for OpenAI encodings, an o200k approximation for
   * other providers (docs/INGRESS.md). It calls no provider, so it spends no rate limit,
   * budget or usage row; the caller's model scope still applies.
   */
  async countTokens(body: unknown, options: CallOptions = {}): Promise<MessagesTokenCount> {
    const chat = toCountTokensRequest(body);
    assertModelsAllowed(options.caller?.allowedModels, [chat.model]);
    const target = this.resolver.resolve(chat.model).targets[0];
    const providers = this.config.current.providers;
    const kind = Object.hasOwn(providers, target.provider)
      ? providers[target.provider].kind
      : 'openai';
    return { input_tokens: await this.tokens.countPromptAsync(chat, kind, target.model) };
  }

  /** The unified request; a refusal gets its usage row before it is thrown. */
  private translate(
    body: unknown,
    options: CallOptions & { requestId: string },
    operation: Operation,
  ): ChatRequest {
    try {
      return toChatRequest(body);
    } catch (error) {
      throw this.ledger.refused(body, options, error, operation);
    }
  }
}
