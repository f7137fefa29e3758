import type { StreamField, StreamTextTransform } from '../../guardrails/gateway-middleware';
import type { ChatStream, ResponseMeta } from '../../shared/call-result';
import type { ChatChunk } from '../../types/unified';
import type { MiddlewareRun, RunEntry } from './middleware-run';

type Choice = ChatChunk['choices'][number];
type ToolDelta = NonNullable<Choice['delta']['tool_calls']>[number];

/** One field's transforms, last middleware first (the answer passes them in reverse order). */
interface FieldChain {
  readonly field: StreamField;
  readonly links: Array<{ entry: RunEntry; transform: StreamTextTransform }>;
}

/**
 * A streamed answer passed through the middleware's field transforms: each choice's content
 * and each tool call's arguments, chunk by chunk. A transform may hold text back (a
 * placeholder split across chunks); what it holds comes out in a chunk of its own just
 * before the choice's finishing chunk, or at the end of the stream. Chunks are copied when
 * changed, never modified: the cache has assembled the provider's own answer from them.
 */
export class GuardedStream implements ChatStream {
  readonly meta: ResponseMeta;
  private readonly fields = new Map<string, FieldChain>();
  private last?: ChatChunk;

  constructor(
    private readonly inner: ChatStream,
    private readonly run: MiddlewareRun,
  ) {
    this.meta = inner.meta;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChatChunk> {
    let completed = false;
    try {
      for await (const chunk of this.inner) {
        this.last = chunk;
        if (chunk.choices.length === 0) {
          yield chunk;
          continue;
        }
        const choices = chunk.choices.map((choice) => this.transform(choice));
        if (chunk.choices.some((c) => c.finish_reason)) {
          yield* this.finishing(chunk, choices);
          continue;
        }
        yield choices.every((c, i) => c === chunk.choices[i]) ? chunk : { ...chunk, choices };
      }
      // A choice that never finished still gets what its transforms hold.
      for (const index of new Set([...this.fields.values()].map((f) => f.field.choice))) {
        const held = this.last && this.flush(this.last, index);
        if (held) yield held;
      }
      completed = true;
    } finally {
      this.run.streamEnded(completed);
    }
  }

  /**
   * A chunk in which a choice finishes, its text already through the transforms: that text
   * first (without the finish), then what the finishing fields' transforms still hold, then the
   * finish itself (with the chunk's usage, if it carries it).
   */
  private *finishing(chunk: ChatChunk, choices: Choice[]): Generator<ChatChunk> {
    const texts = choices.filter(hasText).map((c) => ({ ...c, finish_reason: null }));
    if (texts.length > 0) yield { ...chunk, usage: undefined, choices: texts };
    for (const choice of choices) {
      if (!choice.finish_reason) continue;
      const held = this.flush(chunk, choice.index);
      if (held) yield held;
    }
    const ends = choices.filter((c) => c.finish_reason).map((c) => ({ ...c, delta: {} }));
    yield { ...chunk, choices: ends };
  }

  /** The choice with its content and tool-call arguments transformed. */
  private transform(choice: Choice): Choice {
    const delta = choice.delta;
    let content = delta.content;
    if (typeof content === 'string' && content !== '') {
      content = this.push({ choice: choice.index, field: 'content' }, content);
    }
    let calls = delta.tool_calls;
    if (calls) {
      let changed = false;
      const mapped = calls.map((call): ToolDelta => {
        const args = call.function?.arguments;
        if (typeof args !== 'string' || args === '') return call;
        const field: StreamField = {
          choice: choice.index,
          field: 'tool_arguments',
          toolIndex: call.index,
        };
        const out = this.push(field, args);
        if (out === args) return call;
        changed = true;
        return { ...call, function: { ...call.function, arguments: out } };
      });
      if (changed) calls = mapped;
    }
    if (content === delta.content && calls === delta.tool_calls) return choice;
    return { ...choice, delta: { ...delta, content, tool_calls: calls } };
  }

  /** `text` through the field's transforms. */
  private push(field: StreamField, text: string): string {
    const chain = this.chainOf(field);
    for (let i = 0; i < chain.links.length; i++) {
      const link = chain.links[i];
      try {
        text = link.transform.push(text);
      } catch (failure) {
        this.run.transformFailed(link.entry, failure);
        chain.links.splice(i--, 1);
      }
    }
    return text;
  }

  /** A chunk with what the transforms of `choice` still hold, or undefined when nothing. */
  private flush(like: ChatChunk, choice: number): ChatChunk | undefined {
    let content = '';
    const tools: ToolDelta[] = [];
    for (const [key, chain] of this.fields) {
      if (chain.field.choice !== choice) continue;
      this.fields.delete(key);
      let text = '';
      for (let i = 0; i < chain.links.length; i++) {
        const link = chain.links[i];
        try {
          // What one transform releases still passes the ones after it.
          text = link.transform.push(text) + link.transform.end();
        } catch (failure) {
          this.run.transformFailed(link.entry, failure);
        }
      }
      if (text === '') continue;
      if (chain.field.field === 'content') content += text;
      else tools.push({ index: chain.field.toolIndex ?? 0, function: { arguments: text } });
    }
    if (content === '' && tools.length === 0) return undefined;
    const delta: Choice['delta'] = {};
    if (content !== '') delta.content = content;
    if (tools.length > 0) delta.tool_calls = tools;
    return {
      id: like.id,
      object: like.object,
      created: like.created,
      model: like.model,
      choices: [{ index: choice, delta, finish_reason: null }],
    };
  }

  private chainOf(field: StreamField): FieldChain {
    const key = `${field.choice}:${field.field}:${field.toolIndex ?? ''}`;
    let chain = this.fields.get(key);
    if (!chain) {
      const links: FieldChain['links'] = [];
      const entries = this.run.entries;
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i];
        const transform = entry.middleware.streamText?.(entry.context, field);
        if (transform) links.push({ entry, transform });
      }
      chain = { field, links };
      this.fields.set(key, chain);
    }
    return chain;
  }
}

/** Whether a choice's delta carries text (content or tool-call arguments). */
function hasText(choice: Choice): boolean {
  const delta = choice.delta;
  return (
    (typeof delta.content === 'string' && delta.content !== '') ||
    (delta.tool_calls?.length ?? 0) > 0
  );
}
