import { StringDecoder } from 'node:string_decoder';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { PassthroughResult } from '../passthrough/passthrough.types';
import { SseReader } from '../providers/http/sse-reader';
import type { ResponseMeta } from '../shared/call-result';
import type { ResponseObject, ResponseStreamEvent } from './responses.types';

/** A streamed response as the HTTP layer writes it, whether translated or forwarded. */
export interface ResponsesEvents extends AsyncIterable<ResponseStreamEvent> {
  readonly meta: ResponseMeta;
  /** The sequence number for an event the writer adds itself (the `error` event). */
  nextSequence(): number;
}

/** Events that end a response for good. */
const FINISHED = new Set(['response.completed', 'response.incomplete']);

/**
 * OpenAI's own Responses event stream, forwarded: read off the upstream's SSE and yielded
 * as events, so the writer frames them as it frames translated ones. The finished
 * response is stored before its last event goes out (a client that saw it complete can
 * continue from it). A stream that ends without a last event, or with `response.failed`,
 * throws, so the writer adds its `error` event; the relay's usage tap records the same
 * failure in the books (see the endpoint's `streamEnd`).
 */
export class ForwardedResponseStream implements ResponsesEvents {
  private lastSequence = -1;

  constructor(
    private readonly result: PassthroughResult,
    private readonly provider: string,
    private readonly onFinished: (response: ResponseObject) => Promise<void>,
  ) {}

  get meta(): ResponseMeta {
    return this.result.meta;
  }

  nextSequence(): number {
    return this.lastSequence + 1;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ResponseStreamEvent> {
    const body = this.result.body;
    const reader = new SseReader();
    const decoder = new StringDecoder('utf8');
    let ended = false;
    const cut = (cause?: unknown): GatewayError =>
      new GatewayError(
        GatewayErrorCode.STREAM_INTERRUPTED,
        `The answer of provider ${this.provider} stopped before its end`,
        { provider: this.provider, cause },
      );
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        for (const data of reader.push(decoder.write(chunk))) {
          const event = eventOf(data);
          if (!event) continue;
          this.lastSequence = Math.max(this.lastSequence, event.sequence_number);
          if (FINISHED.has(event.type)) {
            ended = true;
            await this.onFinished(event.response as ResponseObject);
          }
          if (event.type === 'response.failed') {
            yield event;
            throw upstreamFailure(event, this.provider);
          }
          // OpenAI's own `error` event: the writer sends the one error event, with its reason.
          if (event.type === 'error') throw upstreamFailure(event, this.provider);
          yield event;
        }
      }
    } catch (error) {
      // The connection cut under the relay: the books already hold the cause.
      throw error instanceof GatewayError ? error : cut(error);
    } finally {
      // Stopped early (the caller left, or a failure above): the upstream is let go.
      if (!body.readableEnded) body.destroy();
    }
    if (!ended) throw cut();
  }
}

function eventOf(data: string): ResponseStreamEvent | undefined {
  try {
    const event = JSON.parse(data) as ResponseStreamEvent | null;
    if (event === null || typeof event !== 'object' || typeof event.type !== 'string') return;
    if (typeof event.sequence_number !== 'number') event.sequence_number = -1;
    return event;
  } catch {
    return undefined;
  }
}

/** `response.failed` / `error` from upstream as the gateway error the books record. */
function upstreamFailure(event: ResponseStreamEvent, provider: string): GatewayError {
  const response = event.response as { error?: { message?: unknown } | null } | undefined;
  const message = response?.error?.message ?? event.message;
  return new GatewayError(
    GatewayErrorCode.SERVER_ERROR,
    `Provider ${provider} failed the response: ${typeof message === 'string' ? message : 'no reason given'}`,
    { provider },
  );
}
