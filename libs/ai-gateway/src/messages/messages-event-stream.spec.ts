import type { ChatStream, ResponseMeta } from '../shared/call-result';
import type { ChatChunk } from '../types/unified';
import { MessagesEventStream } from './messages-event-stream';
import { MessagesStreamMapper } from './messages-stream.mapper';

const meta = { requestId: 'r', provider: 'p', model: 'm', fake: false, attempts: [], latencyMs: 0 };

const text = (content: string): ChatChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});

/** A chat stream over `chunks` that fails after them when told, and says when it was closed. */
function chatStream(chunks: ChatChunk[], failure?: Error): ChatStream & { closed: boolean } {
  const stream = {
    meta: meta as ResponseMeta,
    closed: false,
    async *[Symbol.asyncIterator]() {
      try {
        for (const chunk of chunks) yield await Promise.resolve(chunk);
        if (failure) throw failure;
      } finally {
        stream.closed = true;
      }
    },
  };
  return stream;
}

const eventsOf = (chunks: ChatStream) =>
  new MessagesEventStream(chunks, new MessagesStreamMapper('msg_r', 'm'));

describe(MessagesEventStream.name, () => {
  it('ends a complete stream with message_delta and message_stop', async () => {
    const types: string[] = [];
    for await (const event of eventsOf(chatStream([text('a'), text('b')]))) types.push(event.type);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('passes a failure through without closing events', async () => {
    const types: string[] = [];
    const failing = eventsOf(chatStream([text('a')], new Error('cut')));
    await expect(
      (async () => {
        for await (const event of failing) types.push(event.type);
      })(),
    ).rejects.toThrow('cut');
    expect(types).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta']);
  });

  it.each([
    ['right after message_start, before any chunk was read', 1],
    ['in the middle of the content', 4],
  ])('closes the chat stream when the consumer stops %s', async (_when, taken) => {
    const chunks = chatStream([text('a'), text('b'), text('c')]);
    let seen = 0;
    for await (const event of eventsOf(chunks)) {
      expect(event).toBeDefined();
      if (++seen === taken) break;
    }
    expect(chunks.closed).toBe(true);
  });
});
