import type { ChatStream, ResponseMeta } from '../shared/call-result';
import type { ChatChunk, ChatResponse } from '../types/unified';

/** Characters of content per replayed chunk (cut at a word boundary when one is near). */
const PIECE = 48;

/**
 * A cached answer served as a stream: the chunks OpenAI would send — the role, the
 * content in word-aligned pieces, tool calls, the finish reason, then the usage chunk
 * when the caller asked for it — so a streaming client cannot tell a hit from a call.
 */
export class ReplayedStream implements ChatStream {
  constructor(
    private readonly response: ChatResponse,
    readonly meta: ResponseMeta,
    private readonly includeUsage: boolean,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<ChatChunk> {
    const chunks = replayChunks(this.response, this.includeUsage);
    const meta = this.meta;
    let next = 0;
    return {
      next: () => {
        if (next < chunks.length) return Promise.resolve({ done: false, value: chunks[next++] });
        meta.completed = true;
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}

/** The chunks of a complete response, in order. */
export function replayChunks(response: ChatResponse, includeUsage: boolean): ChatChunk[] {
  const chunks: ChatChunk[] = [];
  const chunk = (choices: ChatChunk['choices']): ChatChunk => ({
    id: response.id,
    object: 'chat.completion.chunk',
    created: response.created,
    model: response.model,
    ...(response.system_fingerprint ? { system_fingerprint: response.system_fingerprint } : {}),
    choices,
  });
  for (const choice of response.choices) {
    const index = choice.index;
    const message = choice.message;
    chunks.push(chunk([{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    for (const piece of pieces(message.content ?? '')) {
      chunks.push(chunk([{ index, delta: { content: piece }, finish_reason: null }]));
    }
    if (message.refusal) {
      chunks.push(chunk([{ index, delta: { refusal: message.refusal }, finish_reason: null }]));
    }
    (message.tool_calls ?? []).forEach((call, i) => {
      if (call.type !== 'function') return;
      const fn = call.function;
      chunks.push(
        chunk([
          {
            index,
            delta: {
              tool_calls: [
                {
                  index: i,
                  id: call.id,
                  type: 'function',
                  function: { name: fn.name, arguments: fn.arguments },
                },
              ],
            },
            finish_reason: null,
          },
        ]),
      );
    });
    chunks.push(chunk([{ index, delta: {}, finish_reason: choice.finish_reason }]));
  }
  if (includeUsage && response.usage) chunks.push({ ...chunk([]), usage: response.usage });
  return chunks;
}

/** Content in pieces of about {@link PIECE} characters, ending after a space where possible. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + PIECE, text.length);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space + 1;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}
