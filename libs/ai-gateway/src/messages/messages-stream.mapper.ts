import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatChunk } from '../types/unified';
import { stopReasonOf, toAnthropicUsage } from './messages-response.mapper';
import type { MessagesStreamEvent } from './messages.types';

type Finish = ChatChunk['choices'][number]['finish_reason'];

/** The content block being written (its Anthropic index). */
interface OpenBlock {
  kind: 'text' | 'tool';
  index: number;
}

/**
 * Turns unified chat chunks into Anthropic's event sequence, one instance per stream:
 * `message_start` and a `ping` first, then per content block `content_block_start`,
 * its deltas (`text_delta`, `input_json_delta`) and `content_block_stop`, and at the
 * end `message_delta` (stop reason, usage) and `message_stop`. Only the first choice is
 * read (Anthropic has no `n`). `end()` is for a stream that completed: a failed one gets
 * no closing events, so a cut answer never looks complete.
 */
export class MessagesStreamMapper {
  private open?: OpenBlock;
  private nextIndex = 0;
  /** OpenAI tool index → Anthropic block index. */
  private readonly toolBlocks = new Map<number, number>();
  private finish: Finish | undefined;
  private usage?: CompletionUsage;

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  /**
   * The opening events. The prompt's size is known only when the upstream reports usage
   * at the end: `message_start` says 0 and `message_delta` carries the real figures (the
   * Anthropic SDKs take them from there).
   */
  start(): MessagesStreamEvent[] {
    return [
      {
        type: 'message_start',
        message: {
          id: this.id,
          type: 'message',
          role: 'assistant',
          content: [],
          model: this.model,
          stop_reason: null,
          stop_sequence: null,
          usage: toAnthropicUsage(undefined),
        },
      },
      { type: 'ping' },
    ];
  }

  /** The events one chunk makes (often none: role-only chunks, usage chunks). */
  push(chunk: ChatChunk): MessagesStreamEvent[] {
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices.find((c) => c.index === 0);
    if (!choice) return [];
    const out: MessagesStreamEvent[] = [];
    const delta = choice.delta;
    const text = (delta.content ?? '') + (delta.refusal ?? '');
    if (text !== '') {
      const index =
        this.open?.kind === 'text' ? this.open.index : this.startBlock(out, { kind: 'text' });
      out.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    }
    for (const call of delta.tool_calls ?? []) {
      let index = this.toolBlocks.get(call.index);
      if (index === undefined) {
        index = this.startBlock(out, {
          kind: 'tool',
          id: call.id ?? `toolu_${this.id.slice(4)}_${call.index}`,
          name: call.function?.name ?? '',
        });
        this.toolBlocks.set(call.index, index);
      }
      const fragment = call.function?.arguments ?? '';
      if (fragment !== '') {
        // Providers send one call's fragments in order; a late fragment of an earlier call
        // still goes to its own block (the SDKs accumulate by index).
        out.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: fragment },
        });
      }
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
    return out;
  }

  /** The closing events of a stream that completed. */
  end(): MessagesStreamEvent[] {
    const out: MessagesStreamEvent[] = [];
    this.closeBlock(out);
    out.push(
      {
        type: 'message_delta',
        delta: {
          stop_reason: stopReasonOf(this.finish, this.toolBlocks.size > 0),
          stop_sequence: null,
        },
        usage: toAnthropicUsage(this.usage),
      },
      { type: 'message_stop' },
    );
    return out;
  }

  private startBlock(
    out: MessagesStreamEvent[],
    block: { kind: 'text' } | { kind: 'tool'; id: string; name: string },
  ): number {
    this.closeBlock(out);
    const index = this.nextIndex++;
    if (block.kind === 'text') {
      this.open = { kind: 'text', index };
      out.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    } else {
      this.open = { kind: 'tool', index };
      out.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
    }
    return index;
  }

  private closeBlock(out: MessagesStreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'content_block_stop', index: this.open.index });
    this.open = undefined;
  }
}
