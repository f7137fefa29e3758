import { Injectable, Logger } from '@nestjs/common';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { withRequestId } from '../pipeline/admission/request-admission';
import type { IdentifiedOptions } from '../pipeline/admission/request-admission';
import { ChatPipeline } from '../pipeline/chat-pipeline.service';
import { RequestLedger } from '../pipeline/request-ledger';
import type { CallOptions, Caller, ResponseMeta } from '../shared/call-result';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import type { ChatCompletionMessageParam, ChatRequest } from '../types/unified';
import { FilesService } from '../files/files.service';
import { PassthroughPipeline } from '../passthrough/passthrough-pipeline.service';
import type { PassthroughResult } from '../passthrough/passthrough.types';
import { readJsonResult } from '../passthrough/read-result';
import type { ResponsesEvents } from './forwarded-response-stream';
import { ForwardedResponseStream } from './forwarded-response-stream';
import { ResponsesEventStream } from './responses-event-stream';
import type { NativeCall, NativeFeature } from './responses-native';
import {
  forwardedBody,
  isHostedToolItem,
  nativeFeatureOf,
  parseNativeCall,
} from './responses-native';
import { messagesOfItems } from './responses-input.mapper';
import { responseId, responseOf, responseOfItemId } from './responses-output.mapper';
import type { ResponsesCall } from './responses-request.mapper';
import { parseResponsesRequest } from './responses-request.mapper';
import type { DeletedResponse, ResponseInputItem, ResponseObject } from './responses.types';
import { StoredResponsesRepository } from './stored-responses.repository';

/** A whole Response object, with what happened in `meta` (as for chat). */
export interface ResponsesResult {
  response: ResponseObject;
  meta: ResponseMeta;
}

interface PreparedCall {
  call: ResponsesCall;
  /** The conversation up to this request (stored history + this input), as items. */
  items: ResponseInputItem[];
  chat: ChatRequest;
  options: IdentifiedOptions;
}

/**
 * OpenAI's Responses API on the gateway's one chat path: a request is translated into a
 * unified chat request (with the stored conversation of `previous_response_id` in
 * front) and run through `ChatPipeline` — scope, limits, cache, routing with fallback,
 * budgets, the usage row — so any provider kind answers it. The answer is translated
 * back into a Response object or the Responses event sequence; `store` keeps it, owned
 * by the caller's key.
 *
 * A request that needs OpenAI's own servers (a built-in tool such as web search, see
 * `nativeFeatureOf`) is forwarded as it is to the model's OpenAI providers instead,
 * through `PassthroughPipeline` (the same admission, fallback and books); its
 * conversation is still kept here, so continuations and ownership work the same way.
 */
@Injectable()
export class ResponsesService {
  private readonly logger = new Logger(ResponsesService.name);

  constructor(
    private readonly pipeline: ChatPipeline,
    private readonly ledger: RequestLedger,
    private readonly stored: StoredResponsesRepository,
    private readonly passthrough: PassthroughPipeline,
    private readonly files: FilesService,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** `POST /v1/responses` without streaming (a `stream` flag in the body is not read here). */
  async create(body: unknown, callOptions: CallOptions = {}): Promise<ResponsesResult> {
    const native = nativeFeatureOf(body);
    if (native) return this.forwardJson(body, callOptions, native);
    const { call, items, chat, options } = await this.prepare(body, callOptions);
    const createdAt = this.nowSeconds();
    const { response: completion, meta } = await this.pipeline.chat(chat, options);
    const response = responseOf(responseId(), call, completion, createdAt);
    if (call.store) await this.keep(response, items, options.caller);
    return { response, meta };
  }

  /**
   * `POST /v1/responses` with `stream: true`: resolves once a provider accepted the request
   * (every failure before that rejects, after fallback), then yields Responses events.
   */
  async stream(body: unknown, callOptions: CallOptions = {}): Promise<ResponsesEvents> {
    const native = nativeFeatureOf(body);
    if (native) return this.forwardStream(body, callOptions, native);
    const { call, items, chat, options } = await this.prepare(body, callOptions);
    const createdAt = this.nowSeconds();
    // Usage is always asked for: the last event carries it whatever the caller sent.
    const stream = await this.pipeline.chatStream(
      { ...chat, stream: true, stream_options: { include_usage: true } },
      options,
    );
    return new ResponsesEventStream(stream, responseId(), call, createdAt, (response) =>
      call.store ? this.keep(response, items, options.caller) : Promise.resolve(),
    );
  }

  /**
   * A stored response of the caller's key (`GET /v1/responses/{id}`).
   *
   * @throws GatewayError `not_found` when there is none, it expired, or another key owns it.
   */
  async retrieve(id: string, caller?: Pick<Caller, 'keyId'>): Promise<ResponseObject> {
    return (await this.owned(id, caller, 'id')).response;
  }

  /** Deletes a stored response of the caller's key (`DELETE /v1/responses/{id}`). */
  async delete(id: string, caller?: Pick<Caller, 'keyId'>): Promise<DeletedResponse> {
    await this.owned(id, caller, 'id');
    await this.stored.remove(id);
    return { id, object: 'response', deleted: true };
  }

  /** Checks and translates; a refusal here gets its usage row like the pipeline's own. */
  private async prepare(body: unknown, callOptions: CallOptions): Promise<PreparedCall> {
    const options = withRequestId(callOptions);
    try {
      const call = parseResponsesRequest(body);
      const history = call.previousResponseId
        ? await this.history(call.previousResponseId, options.caller)
        : [];
      const items = [...history, ...(await this.resolveReferences(call.input, options.caller))];
      const system: ChatCompletionMessageParam[] = call.instructions
        ? [{ role: 'system', content: call.instructions }]
        : [];
      const messages = [...system, ...messagesOfItems(items)];
      const chat = { ...call.params, model: call.model, messages } as ChatRequest;
      return { call, items, chat, options };
    } catch (error) {
      const stream = (body as { stream?: unknown } | null)?.stream === true;
      throw this.ledger.refused(body, options, error, stream ? 'chat_stream' : 'chat');
    }
  }

  /**
   * The items a continuation starts from: the stored conversation and its output. For a
   * translated continuation, hosted-tool items of a forwarded response (a web search
   * call…) are left out: no other provider takes them, and the answer that followed
   * them carries what they found.
   */
  private async history(
    id: string,
    caller: Caller | undefined,
    param = 'previous_response_id',
    hosted: 'keep' | 'drop' = 'drop',
  ): Promise<ResponseInputItem[]> {
    const stored = await this.owned(id, caller, param);
    const items = [...stored.input, ...(stored.response.output as unknown as ResponseInputItem[])];
    return hosted === 'keep' ? items : items.filter((item) => !isHostedToolItem(item));
  }

  /** A forwarded request without streaming: OpenAI's Response object, kept when asked. */
  private async forwardJson(
    body: unknown,
    callOptions: CallOptions,
    native: NativeFeature,
  ): Promise<ResponsesResult> {
    const { call, items, options, result } = await this.forward(body, callOptions, native);
    const response = await readJsonResult<ResponseObject>(result);
    if (call.store && typeof response.id === 'string') {
      await this.keep(response, items, options.caller);
    }
    return { response, meta: result.meta };
  }

  /** A forwarded request with `stream: true`: OpenAI's own events, the last kept first. */
  private async forwardStream(
    body: unknown,
    callOptions: CallOptions,
    native: NativeFeature,
  ): Promise<ResponsesEvents> {
    const { call, items, options, result } = await this.forward(body, callOptions, native);
    if (!(result.headers['content-type'] ?? '').includes('text/event-stream')) {
      result.body.destroy();
      throw new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `Provider ${result.meta.provider} did not stream the response it was asked to stream`,
        { provider: result.meta.provider },
      );
    }
    return new ForwardedResponseStream(result, result.meta.provider, (response) =>
      call.store ? this.keep(response, items, options.caller) : Promise.resolve(),
    );
  }

  /**
   * Sends a request that needs OpenAI's own Responses API to the model's OpenAI
   * providers, with the stored conversation it continues spelled out in `input`.
   */
  private async forward(
    body: unknown,
    callOptions: CallOptions,
    native: NativeFeature,
  ): Promise<{
    call: NativeCall;
    items: ResponseInputItem[];
    options: IdentifiedOptions;
    result: PassthroughResult;
  }> {
    const options = withRequestId(callOptions);
    let call: NativeCall;
    let items: ResponseInputItem[];
    let upstream: Record<string, unknown>;
    try {
      call = parseNativeCall(body);
      // Files, vector stores and conversations live in an account every key shares.
      await this.files.assertReferencesOwned(call.body, options.caller);
      const history = call.previousResponseId
        ? await this.history(call.previousResponseId, options.caller, undefined, 'keep')
        : [];
      const input = await this.resolveReferences(call.input, options.caller);
      items = [...history, ...input];
      const rewritten = history.length > 0 || input !== call.input;
      upstream = forwardedBody(call, rewritten ? items : undefined);
    } catch (error) {
      const stream = (body as { stream?: unknown } | null)?.stream === true;
      throw this.ledger.refused(body, options, error, stream ? 'chat_stream' : 'chat');
    }
    const result = await this.passthrough.forward(
      { endpoint: 'responses', body: upstream, requires: native },
      options,
    );
    return { call, items, options, result };
  }

  /**
   * Replaces each `item_reference` by the stored output item it names (the Vercel AI SDK
   * sends earlier turns that way when `store` is on): only items of the caller's own
   * stored responses resolve; any other id is a 404 naming the reference.
   */
  private async resolveReferences(
    input: ResponseInputItem[],
    caller: Caller | undefined,
  ): Promise<ResponseInputItem[]> {
    if (!input.some((item) => item.type === 'item_reference')) return input;
    const responses = new Map<string, ResponseInputItem[]>();
    const resolved: ResponseInputItem[] = [];
    for (const [i, item] of input.entries()) {
      if (item.type !== 'item_reference') {
        resolved.push(item);
        continue;
      }
      const param = `input[${i}].id`;
      const itemId = item.id as string;
      const owner = responseOfItemId(itemId);
      let items = owner === undefined ? undefined : responses.get(owner);
      if (owner !== undefined && items === undefined) {
        items = await this.history(owner, caller, param).catch((error: unknown) => {
          if (error instanceof GatewayError && error.code === GatewayErrorCode.NOT_FOUND) return [];
          throw error;
        });
        responses.set(owner, items);
      }
      const found = items?.find((candidate) => candidate.id === itemId);
      if (!found) {
        throw new GatewayError(GatewayErrorCode.NOT_FOUND, `Item with id '${itemId}' not found.`, {
          param,
        });
      }
      resolved.push(found);
    }
    return resolved;
  }

  private async owned(
    id: string,
    caller: Pick<Caller, 'keyId'> | undefined,
    param: string,
  ): Promise<{ response: ResponseObject; input: ResponseInputItem[] }> {
    const stored = id.startsWith('resp_') ? await this.stored.find(id) : undefined;
    // Another key's response is answered exactly like a missing one: ids are not probed.
    if (!stored || stored.keyId !== (caller?.keyId ?? null)) {
      throw new GatewayError(GatewayErrorCode.NOT_FOUND, `Response with id '${id}' not found.`, {
        param,
      });
    }
    return stored;
  }

  /** Keeps a finished response; a store failure is logged, never the caller's failure. */
  private async keep(
    response: ResponseObject,
    input: ResponseInputItem[],
    caller: Caller | undefined,
  ): Promise<void> {
    try {
      await this.stored.save({ response, input, keyId: caller?.keyId ?? null });
    } catch (error) {
      this.logger.warn({
        msg: 'response not stored',
        responseId: response.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }
}
