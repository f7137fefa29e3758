import type { ChatStream, ResponseMeta } from '../shared/call-result';
import type { ChatChunk } from '../types/unified';
import type { MessagesStreamMapper } from './messages-stream.mapper';
import type { MessagesStream, MessagesStreamEvent } from './messages.types';

/**
 * A chat stream read as Anthropic's events. Failures of the chat stream pass through
 * unchanged (no closing events); a consumer that stops early — even right after
 * `message_start`, before a chunk was read — ends the chat stream too, which releases
 * the provider's stream and books the request as cancelled.
 */
export class MessagesEventStream implements MessagesStream {
  readonly meta: ResponseMeta;

  constructor(
    private readonly chunks: ChatStream,
    private readonly mapper: MessagesStreamMapper,
  ) {
    this.meta = chunks.meta;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MessagesStreamEvent> {
    const chunks = this.chunks[Symbol.asyncIterator]();
    let started = false;
    let settled = false;
    try {
      for (const event of this.mapper.start()) yield event;
      for (;;) {
        started = true;
        const next = await pull(chunks, () => (settled = true));
        if (next.done) break;
        for (const event of this.mapper.push(next.value)) yield event;
      }
      settled = true;
      for (const event of this.mapper.end()) yield event;
    } finally {
      if (!settled) await release(chunks, started);
    }
  }
}

/** The next chunk; a failure means the chat stream has already settled itself. */
async function pull(
  chunks: AsyncIterator<ChatChunk>,
  onFailure: () => void,
): Promise<IteratorResult<ChatChunk>> {
  try {
    return await chunks.next();
  } catch (error) {
    onFailure();
    throw error;
  }
}

/**
 * Ends a chat stream nobody will read. A generator never started would skip its clean-up
 * on `return()`, so it is started first (its first chunk is already in hand).
 */
async function release(chunks: AsyncIterator<ChatChunk>, started: boolean): Promise<void> {
  try {
    if (!started) await chunks.next();
    await chunks.return?.(undefined);
  } catch {
    // A stream that failed while being released has settled itself with that failure.
  }
}
