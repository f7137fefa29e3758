import type { ChatChunk, ChatResponse } from '../types/unified';

type Choice = ChatResponse['choices'][number];
type ToolCall = NonNullable<Choice['message']['tool_calls']>[number];

interface ChoiceParts {
  content: string;
  refusal: string;
  role?: string;
  finish?: Choice['finish_reason'] | null;
  tools: Array<{ id?: string; name: string; arguments: string }>;
}

/**
 * Rebuilds the complete response from a stream's chunks, so a streamed answer can be
 * cached and later served to streaming and non-streaming callers alike. `complete()` is
 * undefined unless every choice ended with a finish reason: a cut stream is never stored.
 */
export class StreamAssembler {
  private id = '';
  private created = 0;
  private model = '';
  private fingerprint: string | undefined;
  private usage: ChatResponse['usage'];
  private readonly choices = new Map<number, ChoiceParts>();

  add(chunk: ChatChunk): void {
    this.id ||= chunk.id;
    this.created ||= chunk.created;
    this.model ||= chunk.model;
    if (chunk.system_fingerprint) this.fingerprint = chunk.system_fingerprint;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      let parts = this.choices.get(choice.index);
      if (!parts) {
        parts = { content: '', refusal: '', tools: [] };
        this.choices.set(choice.index, parts);
      }
      const delta = choice.delta ?? {};
      if (delta.role) parts.role = delta.role;
      if (typeof delta.content === 'string') parts.content += delta.content;
      if (typeof delta.refusal === 'string') parts.refusal += delta.refusal;
      for (const call of delta.tool_calls ?? []) {
        const tool = (parts.tools[call.index] ??= { name: '', arguments: '' });
        if (call.id) tool.id = call.id;
        if (call.function?.name) tool.name += call.function.name;
        if (call.function?.arguments) tool.arguments += call.function.arguments;
      }
      if (choice.finish_reason) parts.finish = choice.finish_reason;
    }
  }

  /** The response, or undefined when the stream had no choice or one never finished. */
  complete(): ChatResponse | undefined {
    if (this.choices.size === 0) return undefined;
    const choices: Choice[] = [];
    for (const [index, parts] of [...this.choices].sort((a, b) => a[0] - b[0])) {
      if (!parts.finish) return undefined;
      const toolCalls: ToolCall[] = parts.tools.map((tool, i) => ({
        id: tool.id ?? `call_${i}`,
        type: 'function',
        function: { name: tool.name, arguments: tool.arguments },
      }));
      choices.push({
        index,
        finish_reason: parts.finish,
        logprobs: null,
        message: {
          role: 'assistant',
          content: parts.content === '' && toolCalls.length > 0 ? null : parts.content,
          refusal: parts.refusal === '' ? null : parts.refusal,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
      });
    }
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices,
      ...(this.fingerprint ? { system_fingerprint: this.fingerprint } : {}),
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }
}
