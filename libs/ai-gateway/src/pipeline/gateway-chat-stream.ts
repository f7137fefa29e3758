import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ChatChunk } from '../types/unified';
import type { ChatStream, ResponseMeta } from '../shared/call-result';
import { usageOf } from './usage';

interface StreamHooks {
  /** The consumer is about to wait for the provider's next chunk. */
  waiting?(): void;
  /** The provider's next chunk (or its end) arrived. */
  received?(): void;
  /** Every chunk from the provider, the usage chunk included (the cache assembles them). */
  observe?(chunk: ChatChunk): void;
  /** Called once, when the stream completed (no error) or failed. */
  onEnd(error?: unknown): void;
}

/**
 * Relays a provider's stream whose first chunk is already in hand: captures usage, hides
 * the usage chunk unless the caller asked for it, reports the end exactly once — also
 * when the consumer stops early, which releases the provider's stream. One generator
 * over the provider's iterator, so each chunk costs as little as possible.
 */
export class GatewayChatStream implements ChatStream {
  readonly meta: ResponseMeta;
  private consumed = false;

  constructor(
    private readonly first: ChatChunk | undefined,
    private readonly rest: AsyncIterator<ChatChunk>,
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
      const hooks = this.hooks;
      if (this.first) {
        hooks.observe?.(this.first);
        if (this.keep(this.first)) yield this.first;
      }
      for (;;) {
        this.hooks.waiting?.();
        const next = await this.rest.next();
        this.hooks.received?.();
        if (next.done) break;
        hooks.observe?.(next.value);
        if (this.keep(next.value)) yield next.value;
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
        try {
          await this.rest.return?.();
        } catch {
          // Closing a stream nobody reads any more: nothing to report it to.
        }
        this.hooks.onEnd(
          new GatewayError(GatewayErrorCode.CANCELLED, 'The caller stopped reading the stream'),
        );
      }
    }
  }

  /** Records usage; false for a usage-only chunk the caller did not ask to see. */
  private keep(chunk: ChatChunk): boolean {
    if (!chunk.usage) return true;
    this.meta.usage = usageOf(chunk.usage);
    return chunk.choices.length > 0 || this.includeUsage;
  }
}
