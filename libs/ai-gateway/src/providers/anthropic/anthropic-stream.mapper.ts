import type {
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
  RawMessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatChunk } from '../../types/unified';
import type { AnthropicUsage, FinishReason } from './anthropic-response.mapper';
import { finishReason, toUsage } from './anthropic-response.mapper';

type Delta = ChatChunk['choices'][number]['delta'];

/**
 * Translates Anthropic's raw stream events into OpenAI chunks, one event at a time:
 * `message_start` opens with the role chunk, text deltas become content deltas,
 * each `tool_use` block becomes a tool call with the next running index (its first delta
 * carries id and name, later ones argument fragments), `message_delta` gives the finish
 * reason and `message_stop` the usage chunk. Thinking, citation and signature deltas
 * carry nothing OpenAI clients read and are passed over, like unknown event types.
 */
export class AnthropicStreamMapper {
  private id = '';
  private model: string;
  private readonly created: number;
  /** Anthropic content block index → OpenAI tool call index. */
  private readonly toolIndexByBlock = new Map<number, number>();
  private usage: AnthropicUsage = { input_tokens: 0, output_tokens: 0 };
  private finished: FinishReason | null = null;
  private stopped = false;

  constructor(requestedModel: string, created = Math.floor(Date.now() / 1000)) {
    this.model = requestedModel;
    this.created = created;
  }

  /** True once `message_stop` arrived: the answer is complete. */
  get complete(): boolean {
    return this.stopped;
  }

  /** Finish reason reported so far (null before `message_delta`). */
  get finishReason(): FinishReason | null {
    return this.finished;
  }

  push(event: RawMessageStreamEvent): ChatChunk[] {
    switch (event.type) {
      case 'message_start':
        this.id = event.message.id;
        this.model = event.message.model || this.model;
        this.mergeUsage(event.message.usage);
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        return this.blockStart(event);
      case 'content_block_delta':
        return this.blockDelta(event);
      case 'message_delta':
        this.mergeUsage(event.usage);
        this.finished = finishReason(event.delta.stop_reason);
        return [this.chunk({}, this.finished)];
      case 'message_stop':
        this.stopped = true;
        return [{ ...this.base(), choices: [], usage: toUsage(this.usage) }];
      default:
        // content_block_stop, and event types newer than this adapter.
        return [];
    }
  }

  private blockStart(event: RawContentBlockStartEvent): ChatChunk[] {
    const block = event.content_block;
    if (block.type === 'text') return block.text ? [this.chunk({ content: block.text })] : [];
    if (block.type !== 'tool_use') return [];
    const index = this.toolIndexByBlock.size;
    this.toolIndexByBlock.set(event.index, index);
    return [
      this.chunk({
        tool_calls: [
          { index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } },
        ],
      }),
    ];
  }

  private blockDelta(event: RawContentBlockDeltaEvent): ChatChunk[] {
    const delta = event.delta;
    if (delta.type === 'text_delta') return delta.text ? [this.chunk({ content: delta.text })] : [];
    if (delta.type !== 'input_json_delta' || delta.partial_json === '') return [];
    const index = this.toolIndexByBlock.get(event.index);
    if (index === undefined) return [];
    return [this.chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] })];
  }

  /** message_start reports the prompt, message_delta the running output (and may restate the prompt). */
  private mergeUsage(usage: Partial<AnthropicUsage> | null | undefined): void {
    if (!usage) return;
    this.usage = {
      input_tokens: usage.input_tokens ?? this.usage.input_tokens,
      output_tokens: usage.output_tokens ?? this.usage.output_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? this.usage.cache_read_input_tokens,
      cache_creation_input_tokens:
        usage.cache_creation_input_tokens ?? this.usage.cache_creation_input_tokens,
    };
  }

  private base(): Omit<ChatChunk, 'choices'> {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
    };
  }

  private chunk(delta: Delta, finish: FinishReason | null = null): ChatChunk {
    return {
      ...this.base(),
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    };
  }
}
