import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ChatChunk } from '../types/unified';
import type { ChatStream, ResponseMeta } from './call-result';
import { usageOf } from './usage';

interface StreamHooks {
  /** Called once, when the stream completed (no error) or failed. */
  onEnd(error?: unknown): void;
}

/**
 * Wraps a provider's chunk stream: times the first chunk, captures usage, hides the
 * usage chunk unless the caller asked for it, and reports the end exactly once —
 * including when the consumer stops early.
 */
export class GatewayChatStream implements ChatStream {
  readonly meta: ResponseMeta;
  private consumed = false;

  constructor(
    private readonly chunks: AsyncIterable<ChatChunk>,
    meta: ResponseMeta,
    private readonly includeUsage: boolean,
    private readonly hooks: StreamHooks,
  ) {
    this.meta = meta;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChatChunk> {
    if (this.consumed) throw new Error('A chat stream can be iterated only once');
    this.consumed = true;
    let ended = false;
    try {
      for await (const chunk of this.chunks) {
        if (chunk.usage) this.meta.usage = usageOf(chunk.usage);
        if (chunk.usage && chunk.choices.length === 0 && !this.includeUsage) continue;
        yield chunk;
      }
      ended = true;
      this.meta.completed = true;
      this.hooks.onEnd();
    } catch (error) {
      ended = true;
      this.meta.completed = false;
      this.hooks.onEnd(error);
      throw error;
    } finally {
      if (!ended) {
        // The consumer left early (client disconnected): the answer was not delivered.
        this.meta.completed = false;
        this.hooks.onEnd(
          new GatewayError(GatewayErrorCode.CANCELLED, 'The caller stopped reading the stream'),
        );
      }
    }
  }
}
