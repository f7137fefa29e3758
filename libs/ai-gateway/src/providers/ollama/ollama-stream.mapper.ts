import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatChunk } from '../../types/unified';
import { fromOllamaToolCalls, toFinishReason, toUsage } from './ollama.mapper';
import type { OllamaChatResponse } from './ollama.types';

type ChunkChoice = ChatCompletionChunk.Choice;

/**
 * Turns the lines of one streamed Ollama answer into OpenAI chunks. Ollama sends text in
 * pieces but each tool call whole, so a call becomes a single delta carrying its id, name
 * and complete arguments; the `done` line becomes the finish chunk and the usage chunk.
 */
export class OllamaChunkMapper {
  private readonly created = Math.floor(Date.now() / 1000);
  private toolCalls = 0;
  private finished = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  /** True once the `done` line was mapped: anything short of it is a cut stream. */
  get done(): boolean {
    return this.finished;
  }

  /** The opening chunk every OpenAI stream starts with. */
  start(): ChatChunk {
    return this.chunk([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
    ]);
  }

  /** Chunks for one line (an `{error}` line is the caller's to throw). */
  map(line: OllamaChatResponse): ChatChunk[] {
    const out: ChatChunk[] = [];
    const content = line.message?.content;
    if (content) out.push(this.delta({ content }));
    const calls = fromOllamaToolCalls(line.message?.tool_calls ?? [], this.toolCalls);
    for (const call of calls) {
      out.push(
        this.delta({
          tool_calls: [
            {
              index: this.toolCalls++,
              id: call.id,
              type: 'function',
              function: { name: call.function.name, arguments: call.function.arguments },
            },
          ],
        }),
      );
    }
    if (line.done) {
      this.finished = true;
      const finish = toFinishReason(line.done_reason, this.toolCalls > 0);
      out.push(this.chunk([{ index: 0, delta: {}, finish_reason: finish }]));
      out.push({ ...this.chunk([]), usage: toUsage(line) });
    }
    return out;
  }

  private delta(delta: ChunkChoice['delta']): ChatChunk {
    return this.chunk([{ index: 0, delta, finish_reason: null }]);
  }

  private chunk(choices: ChunkChoice[]): ChatChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices,
    };
  }
}
