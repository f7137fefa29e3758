import type { ChatStream, ResponseMeta } from '../shared/call-result';
import { ResponseEventBuilder } from './response-events';
import type { ResponsesCall } from './responses-request.mapper';
import type { ResponseObject, ResponseStreamEvent } from './responses.types';

/**
 * A streamed response: iterate it for Responses events. It wraps a chat stream whose
 * first chunk the pipeline already holds, so every failure before the first event was an
 * ordinary error (and a fallback). A failure after it yields `response.failed` and then
 * throws, so the HTTP layer ends with an error event and never `response.completed`.
 * `meta` is the chat stream's: usage, cost and `completed` once it ends.
 */
export class ResponsesEventStream implements AsyncIterable<ResponseStreamEvent> {
  private readonly builder: ResponseEventBuilder;

  constructor(
    private readonly chat: ChatStream,
    id: string,
    call: ResponsesCall,
    createdAt: number,
    /** Runs with the finished response before the last event (stores it when asked). */
    private readonly onFinished: (response: ResponseObject) => Promise<void>,
  ) {
    this.builder = new ResponseEventBuilder(id, call, createdAt);
  }

  get meta(): ResponseMeta {
    return this.chat.meta;
  }

  /** The sequence number for an event the writer adds itself (the `error` event). */
  nextSequence(): number {
    return this.builder.nextSequence();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ResponseStreamEvent> {
    const builder = this.builder;
    let started = false;
    try {
      for await (const chunk of this.chat) {
        if (!started) {
          started = true;
          yield* builder.start(chunk.model);
        }
        yield* builder.chunk(chunk);
      }
      if (!started) {
        started = true;
        yield* builder.start(undefined);
      }
      const { events, response } = builder.finish();
      yield* events;
      // Stored before the last event: a client that saw it complete can continue from it.
      await this.onFinished(response);
      yield builder.final(response);
    } catch (error) {
      if (started) yield builder.failed(error);
      throw error;
    }
  }
}
